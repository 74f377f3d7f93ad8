//! Byte scans sixteen bytes at a time: the questions every string of every policy is asked
//! (where does a run of plain characters end, where is the next byte to escape, does it hold
//! template syntax or a wildcard, is it `service:action`, where are an ARN's colons). SSE2,
//! which every x86_64 processor has, answers a question about sixteen bytes in a few
//! instructions, where eight-byte words took several times as many; elsewhere the same
//! answers come from a plain loop (built on x86_64 for the tests, which hold the two to each
//! other).
//!
//! A question's answer is a mask with bit `i` set for byte `i` of the block.

#[cfg(target_arch = "x86_64")]
pub(crate) use sse2::Block;

#[cfg(not(target_arch = "x86_64"))]
pub(crate) use portable::Block;

/// How many bytes a block holds.
pub(crate) const WIDTH: usize = 16;

/// Every byte of a block.
pub(crate) const ALL: u32 = (1 << WIDTH) - 1;

/// The blocks that cover `bytes` from `from` on, in order, each with its offset in `bytes`
/// and the mask of its bytes that no block before it held (`fresh`); `f` returns `Some` to
/// stop the scan with its answer. The whole blocks come first, with every byte fresh. A
/// last few bytes are read as the slice's last sixteen, overlapping the block before (only
/// the new ones fresh), or, in a slice shorter than a block, padded with zero bytes (only
/// the slice's fresh): no copy of a variable length, which was a `memcpy` call for nearly
/// every string.
#[inline]
pub(crate) fn scan<T>(
    bytes: &[u8],
    mut from: usize,
    mut f: impl FnMut(usize, Block, u32) -> Option<T>,
) -> Option<T> {
    let len = bytes.len();
    while from + WIDTH <= len {
        if let Some(answer) = f(from, Block::load(&bytes[from..from + WIDTH]), ALL) {
            return Some(answer);
        }
        from += WIDTH;
    }
    if from >= len {
        return None;
    }
    if len >= WIDTH {
        let last = len - WIDTH;
        return f(
            last,
            Block::load(&bytes[last..]),
            (ALL << (from - last)) & ALL,
        );
    }
    f(
        0,
        Block::load(&padded(bytes)),
        ((1 << len) - 1) & (ALL << from),
    )
}

/// A slice shorter than a block, followed by zero bytes: two fixed-size copies that
/// overlap, each a move or two.
#[inline]
fn padded(bytes: &[u8]) -> [u8; WIDTH] {
    let n = bytes.len();
    let mut out = [0u8; WIDTH];
    if n >= 8 {
        out[..8].copy_from_slice(&bytes[..8]);
        out[n - 8..n].copy_from_slice(&bytes[n - 8..]);
    } else if n >= 4 {
        out[..4].copy_from_slice(&bytes[..4]);
        out[n - 4..n].copy_from_slice(&bytes[n - 4..]);
    } else {
        out[..n].copy_from_slice(bytes);
    }
    out
}

/// The first byte at or after `from` that `marks` marks in its block: the question the
/// searches below ask, each with its own marks. Only fresh bytes count, so a byte seen in an
/// earlier block, or padding, is never taken.
#[inline]
pub(crate) fn first(bytes: &[u8], from: usize, marks: impl Fn(Block) -> u32) -> Option<usize> {
    scan(bytes, from, |at, block, fresh| {
        let marked = marks(block) & fresh;
        (marked != 0).then(|| at + marked.trailing_zeros() as usize)
    })
}

/// The first byte at or after `from` that a JSON string cannot hold as it is: a quote, a
/// backslash or a control character. Where the parser's run of plain characters ends, and
/// the next byte the JSON report escapes.
#[inline]
pub(crate) fn next_string_special(bytes: &[u8], from: usize) -> Option<usize> {
    first(bytes, from, |block| {
        block.eq(b'"') | block.eq(b'\\') | block.at_most(0x1f)
    })
}

/// The first byte at or after `from` that is not a space (`bytes.len()` if none is).
#[inline]
pub(crate) fn spaces_end(bytes: &[u8], from: usize) -> usize {
    first(bytes, from, |block| !block.eq(b' ')).unwrap_or(bytes.len())
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_max_epu8,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// Sixteen bytes in an SSE2 register.
    #[derive(Clone, Copy)]
    pub(crate) struct Block(__m128i);

    // SAFETY (every `unsafe` below): SSE2 is part of the x86_64 baseline, so its intrinsics
    // are always available; the one load reads exactly the sixteen bytes of a checked slice.
    #[allow(clippy::cast_possible_wrap)]
    impl Block {
        /// The first sixteen bytes of `bytes`, which holds at least that many.
        #[inline]
        pub(crate) fn load(bytes: &[u8]) -> Self {
            let bytes = &bytes[..super::WIDTH];
            Self(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
        }

        /// The bytes equal to `b`.
        #[inline]
        pub(crate) fn eq(self, b: u8) -> u32 {
            unsafe { mask(_mm_cmpeq_epi8(self.0, _mm_set1_epi8(b as i8))) }
        }

        /// The bytes in `lo..=hi`, an ASCII range.
        #[inline]
        pub(crate) fn in_ascii_range(self, lo: u8, hi: u8) -> u32 {
            debug_assert!(lo <= hi && hi < 0x80);
            // Moved so that `lo` lands on -128: the range is then the signed values below
            // -128 + its width, and everything else (bytes from 0x80 too) is not.
            unsafe {
                let moved = _mm_add_epi8(self.0, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
                let limit = _mm_set1_epi8((0x80u8.wrapping_add(hi - lo + 1)) as i8);
                mask(_mm_cmplt_epi8(moved, limit))
            }
        }

        /// The bytes at most `b` (unsigned).
        #[inline]
        pub(crate) fn at_most(self, b: u8) -> u32 {
            unsafe {
                let b = _mm_set1_epi8(b as i8);
                mask(_mm_cmpeq_epi8(_mm_max_epu8(self.0, b), b))
            }
        }

        /// Each byte with the bits of `bits` set.
        #[inline]
        pub(crate) fn with_bits(self, bits: u8) -> Self {
            Self(unsafe { _mm_or_si128(self.0, _mm_set1_epi8(bits as i8)) })
        }
    }

    #[inline]
    #[allow(clippy::cast_sign_loss)]
    unsafe fn mask(v: __m128i) -> u32 {
        unsafe { _mm_movemask_epi8(v) as u32 }
    }
}

/// The same answers a byte at a time: the build for other processors, and what the tests
/// hold the SSE2 one to.
#[cfg(any(test, not(target_arch = "x86_64")))]
mod portable {
    #[derive(Clone, Copy)]
    pub(crate) struct Block([u8; super::WIDTH]);

    impl Block {
        pub(crate) fn load(bytes: &[u8]) -> Self {
            let mut block = [0u8; super::WIDTH];
            block.copy_from_slice(&bytes[..super::WIDTH]);
            Self(block)
        }

        fn marks(self, test: impl Fn(u8) -> bool) -> u32 {
            self.0
                .iter()
                .enumerate()
                .filter(|&(_, &b)| test(b))
                .fold(0, |m, (i, _)| m | 1 << i)
        }

        pub(crate) fn eq(self, b: u8) -> u32 {
            self.marks(|x| x == b)
        }

        pub(crate) fn in_ascii_range(self, lo: u8, hi: u8) -> u32 {
            self.marks(|x| (lo..=hi).contains(&x))
        }

        pub(crate) fn at_most(self, b: u8) -> u32 {
            self.marks(|x| x <= b)
        }

        pub(crate) fn with_bits(self, bits: u8) -> Self {
            Self(self.0.map(|x| x | bits))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{WIDTH, portable, scan};

    /// Every question, on blocks holding every byte value in every position.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn sse2_answers_as_the_portable_block_does() {
        use super::sse2;
        let questions: [(u8, u8); 6] = [
            (b'A', b'Z'),
            (0, 0x1f),
            (b'"', b'"'),
            (0, 0x7f),
            (b'a', b'a'),
            (0x7f, 0x7f),
        ];
        for b in 0..=255u8 {
            for at in 0..WIDTH {
                let mut bytes = [b'x'; WIDTH];
                bytes[at] = b;
                bytes[(at + 7) % WIDTH] = b.wrapping_add(0x55);
                let (fast, plain) = (sse2::Block::load(&bytes), portable::Block::load(&bytes));
                for probe in [0, 0x1f, 0x20, b'"', b'{', 0x7f, 0x80, 0xff, b] {
                    assert_eq!(fast.eq(probe), plain.eq(probe), "{bytes:?} == {probe}");
                    assert_eq!(
                        fast.at_most(probe),
                        plain.at_most(probe),
                        "{bytes:?} <= {probe}"
                    );
                    assert_eq!(
                        fast.with_bits(probe).eq(b'{'),
                        plain.with_bits(probe).eq(b'{'),
                        "{bytes:?} | {probe}"
                    );
                }
                for (lo, hi) in questions {
                    assert_eq!(
                        fast.in_ascii_range(lo, hi),
                        plain.in_ascii_range(lo, hi),
                        "{bytes:?} in {lo}..={hi}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_scan_sees_every_byte_once_as_fresh_and_nothing_else() {
        for len in 0..50 {
            let bytes: Vec<u8> = (1..=len as u8).collect();
            for from in 0..=len {
                let mut seen = Vec::new();
                let none: Option<()> = scan(&bytes, from, |at, block, fresh| {
                    for i in 0..WIDTH {
                        let real = at + i < len;
                        // The bytes of the slice are themselves, the padding zero.
                        let expected = if real { bytes[at + i] } else { 0 };
                        assert_eq!(block.eq(expected) & (1 << i), 1 << i, "byte {i} at {at}");
                        if fresh & (1 << i) != 0 {
                            assert!(real, "fresh padding at {at} + {i}");
                            seen.push(at + i);
                        }
                    }
                    None
                });
                assert!(none.is_none());
                assert_eq!(
                    seen,
                    (from..len).collect::<Vec<_>>(),
                    "len {len} from {from}"
                );
            }
        }
        assert_eq!(scan(b"abc", 0, |at, _, _| Some(at)), Some(0));
    }

    #[test]
    fn string_specials_and_space_runs_are_found_in_every_position() {
        use super::{next_string_special, spaces_end};
        for b in 0..=255u8 {
            let special = b < 0x20 || b == b'"' || b == b'\\';
            for len in [1, 7, 15, 16, 17, 33] {
                for at in 0..len {
                    for fill in [b'a', b' ', 0x7f, 0xff, b']'] {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        for from in [0, at, at + 1] {
                            let expected = (from..len).find(|&i| {
                                let c = bytes[i];
                                c < 0x20 || c == b'"' || c == b'\\'
                            });
                            assert_eq!(next_string_special(&bytes, from), expected);
                            if special && from <= at && fill != b' ' {
                                assert_eq!(expected, Some(at));
                            }
                            let spaces = (from..len).find(|&i| bytes[i] != b' ').unwrap_or(len);
                            assert_eq!(spaces_end(&bytes, from), spaces, "{bytes:?} {from}");
                        }
                    }
                }
            }
        }
    }
}
