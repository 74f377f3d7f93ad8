use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    tune_allocator();
    mlpolicy::cli::run(mlpolicy::cli::Cli::parse())
}

/// glibc grows a thread's heap a page at a time, with an `mprotect` call for each step, and
/// every such call takes the address-space lock that the other threads' page faults wait on:
/// about 840 calls in a run of the managed corpus. A top pad makes each heap start with room
/// to spare (pages count in memory only once touched). Setting it turns off glibc's moving
/// mmap threshold, so the threshold is set too: a source file of a few hundred kilobytes is
/// read into the heap, as before, rather than into fresh pages of its own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    use std::ffi::c_int;
    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }
    const M_TOP_PAD: c_int = -2;
    const M_MMAP_THRESHOLD: c_int = -3;
    // SAFETY: mallopt only changes glibc's tuning, and runs before any other thread exists.
    // A refused setting (it returns 0) leaves glibc's default, which is still correct.
    unsafe {
        mallopt(M_TOP_PAD, 8 << 20);
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
