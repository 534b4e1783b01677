//! `youjun`: the command-line face of 优均, for analysts and for tests.
//! Every failure ends with a message on stderr and exit status 1; nothing panics.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误 (error): {message}");
            ExitCode::FAILURE
        }
    }
}
