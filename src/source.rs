//! Reading input files safely: size limits, special files, encodings.

use crate::span::{LineIndex, Position, Span};
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Far beyond any policy (IAM caps managed policies at 6,144 characters) or template; a larger
/// file is refused before it is read, so a stray 50 MB dump cannot stall a pre-commit run.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative stays relative), with `/` separators.
    pub path: String,
    /// The text, without a UTF-8 byte-order mark; invalid UTF-8 is replaced for display.
    pub text: String,
    /// Built on first use: only files with findings need line numbers.
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        Self {
            path,
            text,
            lines: OnceLock::new(),
        }
    }

    /// Hands over an index a parser built on its way through the text.
    pub fn set_lines(&self, lines: LineIndex) {
        debug_assert_eq!(
            lines.line_starts(),
            LineIndex::new(&self.text).line_starts()
        );
        // Set at most once, before any use: a second index would be the same.
        let _ = self.lines.set(lines);
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines().position(&self.text, offset)
    }

    /// The positions of a span's start and end.
    pub fn span_positions(&self, span: Span) -> (Position, Position) {
        let lines = self.lines();
        let start = lines.position(&self.text, span.start);
        (
            start,
            lines.position_after(&self.text, span.start, start, span.end),
        )
    }
}

/// Why the bytes of a file are not JSON text, found before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingError {
    pub message: String,
    pub span: Span,
}

/// Turns raw bytes into text. A UTF-8 BOM is accepted and dropped; UTF-16, NUL bytes and
/// invalid UTF-8 are errors located at the offending byte.
///
/// A UTF-16 file (with its byte-order mark, as Windows tools write it) is an error at the
/// start; its text is still decoded, so that a walked one that holds a policy is told
/// from other JSON and reported rather than skipped.
pub fn decode(mut bytes: Vec<u8>) -> (String, Option<EncodingError>) {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..].chunks_exact(2).map(|p| unit([p[0], p[1]]));
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return (
            text,
            Some(EncodingError {
                message: "the file is UTF-16 encoded; IAM policies are UTF-8 JSON".to_string(),
                span: Span::new(0, 0),
            }),
        );
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // Valid UTF-8 (nearly every file) becomes the text without a copy.
    let (at, body) = match String::from_utf8(bytes) {
        Ok(text) => {
            let error = memchr::memchr(0, text.as_bytes()).map(|at| EncodingError {
                message: "NUL byte: this is a binary file, not JSON text".to_string(),
                span: Span::new(at, at + 1),
            });
            return (text, error);
        }
        Err(e) => (e.utf8_error().valid_up_to(), e.into_bytes()),
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let byte = body[at];
    let message = if body.contains(&0) {
        format!("invalid UTF-8 (byte 0x{byte:02X}): this looks like a binary file")
    } else {
        format!("invalid UTF-8 (byte 0x{byte:02X}); IAM policies are UTF-8 JSON")
    };
    // The lossy text is identical up to `at`, so the offset is exact there too.
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    (
        text,
        Some(EncodingError {
            message,
            span: Span::new(at, end),
        }),
    )
}

/// Reads a file without blocking on FIFOs or devices and without reading oversized files.
/// A path the user named is looked at before it is opened: opening a device can do
/// something (rewind a tape, claim a terminal), so only a regular file is opened.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    check_regular(&meta)?;
    let file = fs::File::open(path)?;
    read_sized(file, &meta)
}

/// Reads a file a walk found, which its folder listing gave as a regular file. It is opened
/// first and looked at through the open file: one path look-up instead of two, and no window
/// between looking and opening in which the file could become a FIFO. Opening without
/// blocking keeps even that case from waiting for a writer; once the file is known to be
/// regular, a read that would block makes the reads block ([`read_spare`]).
#[cfg(unix)]
pub fn read_walked_file(path: &Path) -> io::Result<Vec<u8>> {
    let Some(file) = open_walked(path) else {
        // Rare: say what a look at the path says first, as for a named file. An unreadable
        // file over the size limit is reported as too large, not as unreadable.
        return read_file(path);
    };
    let meta = file.metadata()?;
    check_regular(&meta)?;
    read_sized(file, &meta)
}

/// Opens a walked file without blocking, by its name in its folder: a walk reads a folder's
/// files one after another, and each thread keeps its last folder open, so the kernel looks
/// up one name instead of every component of the path (the run's path look-ups were 4% of
/// its time). `None` when that fails; the caller then goes by the path.
#[cfg(unix)]
fn open_walked(path: &Path) -> Option<fs::File> {
    use std::ffi::CStr;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;

    thread_local! {
        /// The folder this thread last read from, and a descriptor of it.
        static FOLDER: std::cell::RefCell<Option<(std::path::PathBuf, OwnedFd)>> =
            const { std::cell::RefCell::new(None) };
    }
    const FLAGS: libc::c_int = libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;
    let (folder, name) = crate::discover::split_file(path);
    let name = name?.as_bytes();
    // Names are at most 255 bytes (NAME_MAX): room for one and its terminating NUL.
    let mut buf = [0u8; 256];
    buf.get_mut(..name.len())?.copy_from_slice(name);
    let name = CStr::from_bytes_with_nul(&buf[..=name.len()]).ok()?;
    FOLDER.with(|cell| {
        let mut cached = cell.borrow_mut();
        // Bytes, not `Path`'s comparison by components: this runs for every file.
        let folder_bytes = folder.as_os_str().as_bytes();
        if cached
            .as_ref()
            .is_none_or(|(open, _)| open.as_os_str().as_bytes() != folder_bytes)
        {
            let dir = fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY)
                .open(if folder.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    folder
                })
                .ok()?;
            *cached = Some((folder.to_path_buf(), dir.into()));
        }
        let (_, dir) = cached.as_ref()?;
        // SAFETY: `dir` is an open descriptor and `name` a NUL-terminated string.
        let fd = unsafe { libc::openat(dir.as_raw_fd(), name.as_ptr(), FLAGS) };
        // SAFETY: a descriptor openat just returned, owned by nothing else.
        (fd >= 0).then(|| fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
    })
}

#[cfg(not(unix))]
pub fn read_walked_file(path: &Path) -> io::Result<Vec<u8>> {
    read_file(path)
}

fn check_regular(meta: &fs::Metadata) -> io::Result<()> {
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if !meta.is_file() {
        return Err(io::Error::other(
            "not a regular file (a FIFO, socket or device); not read",
        ));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    Ok(())
}

/// Sized once from the metadata (plus one byte to see the end), not grown while reading.
#[cfg(not(unix))]
fn read_sized(file: fs::File, meta: &fs::Metadata) -> io::Result<Vec<u8>> {
    read_into(file, Vec::with_capacity(meta.len() as usize + 1))
}

/// Reads a regular file that its metadata says holds `meta.len()` bytes, in one system call
/// nearly always: asked for one byte more than that, a read that comes back short at that
/// size has met the end (a regular file's reads are short only there), so no second read
/// is needed to see it. A file that grew since is read on to its end, within the limit.
#[cfg(unix)]
fn read_sized(file: fs::File, meta: &fs::Metadata) -> io::Result<Vec<u8>> {
    use std::os::fd::AsRawFd;
    let mut blocking = false;
    read_to_known_end(meta.len(), |bytes| {
        read_spare(file.as_raw_fd(), bytes, &mut blocking)
    })
}

/// Reads into `bytes`' spare room: one `read`, again after a signal. A walked file is opened
/// without blocking; local file systems ignore that for regular files, but a network or FUSE
/// one may pass it on and answer "try again": then reads block from there on.
#[cfg(unix)]
fn read_spare(fd: libc::c_int, bytes: &mut Vec<u8>, blocking: &mut bool) -> io::Result<usize> {
    loop {
        let spare = bytes.spare_capacity_mut();
        // SAFETY: `spare` is writable memory of `spare.len()` bytes that `bytes` owns.
        let n = unsafe { libc::read(fd, spare.as_mut_ptr().cast(), spare.len()) };
        if let Ok(n) = usize::try_from(n) {
            // SAFETY: the read initialised the first `n` spare bytes.
            unsafe { bytes.set_len(bytes.len() + n) };
            return Ok(n);
        }
        let error = io::Error::last_os_error();
        match error.kind() {
            io::ErrorKind::Interrupted => {}
            io::ErrorKind::WouldBlock if !*blocking => {
                // SAFETY: an open descriptor; F_SETFL with 0 clears O_NONBLOCK, the one
                // status flag set.
                if unsafe { libc::fcntl(fd, libc::F_SETFL, 0) } == -1 {
                    return Err(io::Error::last_os_error());
                }
                *blocking = true;
            }
            _ => return Err(error),
        }
    }
}

/// Reads a file of `size` bytes through `read`, which appends to the vector's spare room
/// and says how much it added: until a read adds nothing, or comes back short once `size`
/// bytes are in. Never more than one byte past [`MAX_FILE_SIZE`].
#[cfg(unix)]
fn read_to_known_end(
    size: u64,
    mut read: impl FnMut(&mut Vec<u8>) -> io::Result<usize>,
) -> io::Result<Vec<u8>> {
    const LIMIT: usize = MAX_FILE_SIZE as usize + 1;
    let size = usize::try_from(size).unwrap_or(LIMIT).min(LIMIT);
    let mut bytes = Vec::with_capacity((size + 1).min(LIMIT));
    loop {
        if bytes.len() == bytes.capacity() {
            if bytes.len() >= LIMIT {
                return Err(too_large(bytes.len() as u64));
            }
            // The file grew after it was looked at.
            bytes.reserve_exact(bytes.len().clamp(8 << 10, LIMIT - bytes.len()));
        }
        let asked = bytes.capacity() - bytes.len();
        let n = read(&mut bytes)?;
        if n == 0 || (n < asked && bytes.len() == size) {
            return Ok(bytes);
        }
    }
}

pub fn read_limited(reader: impl Read) -> io::Result<Vec<u8>> {
    read_into(reader, Vec::new())
}

fn read_into(reader: impl Read, mut bytes: Vec<u8>) -> io::Result<Vec<u8>> {
    reader.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(len: u64) -> io::Error {
    io::Error::other(format!(
        "file is {len} bytes, over the {} MiB limit; not read",
        MAX_FILE_SIZE / 1024 / 1024
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped() {
        let (text, err) = decode(b"\xEF\xBB\xBF{}".to_vec());
        assert_eq!(text, "{}");
        assert_eq!(err, None);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let (_, err) = decode(b"{\"a\": \"\xFF\"}".to_vec());
        let err = err.expect("error");
        assert_eq!(err.span.start, 7);
        assert!(err.message.contains("0xFF"));
    }

    #[test]
    fn utf16_and_nul_are_errors() {
        let (text, err) = decode(b"\xFF\xFE{\0}\0".to_vec());
        assert_eq!(text, "{}");
        assert_eq!(err.expect("error").span, Span::new(0, 0));
        let (text, err) = decode(b"\xFE\xFF\0{\0\"\xD8\x3D\xDE\x00\0\"\0}".to_vec());
        assert_eq!(text, "{\"\u{1F600}\"}");
        assert!(err.is_some());
        let (_, err) = decode(b"{\"a\":\0}".to_vec());
        assert_eq!(err.expect("error").span.start, 5);
    }

    /// A walked entry that turned into a FIFO after the folder was listed: opened without
    /// blocking, and refused when looked at through the open file.
    #[cfg(unix)]
    #[test]
    fn a_walked_file_that_is_a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = std::env::temp_dir().join(format!("mlpolicy-walked-fifo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        let fifo = dir.join("p.json");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: a NUL-terminated path, and a mode.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        let err = read_walked_file(&fifo).expect_err("a FIFO is not read");
        assert_eq!(
            err.to_string(),
            "not a regular file (a FIFO, socket or device); not read"
        );
        let file = dir.join("f.json");
        fs::write(&file, b"{}").expect("write");
        assert_eq!(read_walked_file(&file).expect("read"), b"{}");
        let _ = fs::remove_dir_all(&dir);
    }

    /// A reader that hands out `chunks` one per read (cut to the room asked for), as a file
    /// whose reads come back short anywhere would.
    #[cfg(unix)]
    fn chunked(chunks: &[&[u8]]) -> impl FnMut(&mut Vec<u8>) -> io::Result<usize> {
        let mut left: Vec<Vec<u8>> = chunks.iter().rev().map(|c| c.to_vec()).collect();
        move |bytes: &mut Vec<u8>| {
            let Some(mut chunk) = left.pop() else {
                return Ok(0);
            };
            let room = bytes.capacity() - bytes.len();
            if chunk.len() > room {
                left.push(chunk.split_off(room));
            }
            bytes.extend_from_slice(&chunk);
            Ok(chunk.len())
        }
    }

    /// The end is seen without a second read when the first comes back short at the size
    /// the metadata gave; a file that grew or shrank since, or whose reads come back short
    /// before the end, is read on until a read adds nothing.
    #[cfg(unix)]
    #[test]
    fn a_file_is_read_to_its_end_whatever_its_size_said() {
        let mut reads = 0;
        let mut one = chunked(&[b"abc", b"never read"]);
        let counted = |bytes: &mut Vec<u8>| {
            reads += 1;
            one(bytes)
        };
        assert_eq!(read_to_known_end(3, counted).expect("read"), b"abc");
        assert_eq!(reads, 1);
        for (size, chunks, whole) in [
            (3, &[&b"ab"[..], b"c"][..], &b"abc"[..]),
            (3, &[b"abcdef"], b"abcdef"),
            (3, &[b"a"], b"a"),
            (0, &[b"xyz"], b"xyz"),
            (0, &[], b""),
        ] {
            let read = read_to_known_end(size, chunked(chunks)).expect("read");
            assert_eq!(read, whole, "size {size}, chunks {chunks:?}");
        }
        let grown = vec![b'x'; MAX_FILE_SIZE as usize + 10];
        let err = read_to_known_end(10, chunked(&[&grown])).expect_err("over the limit");
        assert!(err.to_string().contains("over the 16 MiB limit"), "{err}");
        let at_limit = &grown[..MAX_FILE_SIZE as usize];
        let read = read_to_known_end(MAX_FILE_SIZE, chunked(&[at_limit])).expect("read");
        assert_eq!(read.len(), at_limit.len());
    }

    /// A descriptor opened without blocking that answers "try again" (a pipe with no data
    /// yet here, as a network file system might for a file) is made to block, and read.
    #[cfg(unix)]
    #[test]
    fn a_read_that_would_block_waits_instead() {
        use std::io::Write;
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let mut fds = [0; 2];
        // SAFETY: room for the two descriptors pipe writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
        // SAFETY: descriptors pipe just made, owned by nothing else.
        let (reader, writer) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        // SAFETY: an open descriptor.
        assert_eq!(
            unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) },
            0
        );
        let writing = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            fs::File::from(writer).write_all(b"late").expect("write");
        });
        let mut blocking = false;
        let read = read_to_known_end(4, |bytes| {
            read_spare(reader.as_raw_fd(), bytes, &mut blocking)
        })
        .expect("read");
        assert_eq!(read, b"late");
        assert!(blocking);
        writing.join().expect("writer");
    }

    /// Files are opened by name in their folder, which each thread keeps open: moving between
    /// folders, and back, reads each file from its own folder; a name too long to open that
    /// way, and a missing file, get the messages a named file gets.
    #[cfg(unix)]
    #[test]
    fn walked_files_are_read_from_their_own_folders() {
        let root =
            std::env::temp_dir().join(format!("mlpolicy-walked-dirs-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let (a, b) = (root.join("a"), root.join("a/b"));
        fs::create_dir_all(&b).expect("temp dirs");
        fs::write(a.join("p.json"), b"a").expect("write");
        fs::write(b.join("p.json"), b"b").expect("write");
        for (folder, text) in [(&a, b"a"), (&b, b"b"), (&a, b"a"), (&b, b"b")] {
            assert_eq!(
                read_walked_file(&folder.join("p.json")).expect("read"),
                text
            );
        }
        let missing = read_walked_file(&a.join("missing.json")).expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let long = read_walked_file(&a.join("x".repeat(300))).expect_err("too long");
        assert_eq!(
            long.kind(),
            read_file(&a.join("x".repeat(300)))
                .expect_err("too long")
                .kind()
        );
        let _ = fs::remove_dir_all(&root);
    }
}
