use clap::Parser;
use std::process::ExitCode;

/// A run makes some 270,000 small allocations on the managed policies, most freed within the
/// file that made them, on two or more threads at once. mimalloc keeps a free list per
/// thread and size and takes its memory from the system in large regions (as huge pages where
/// the kernel allows): against glibc's malloc, a run takes 0.88x the wall time and about 230
/// page faults instead of 3,000, for 36 MiB of peak memory instead of 18 (benches/README.md).
/// Its version 2 was faster than version 3 here, at half the memory.
///
/// `--no-default-features` leaves the system's malloc, for heap profilers that watch it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    mlpolicy::cli::run(mlpolicy::cli::Cli::parse())
}
