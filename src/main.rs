use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    mlpolicy::cli::run(mlpolicy::cli::Cli::parse())
}
