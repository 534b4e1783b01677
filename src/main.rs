//! `youjun`: the command-line face of 优均, for analysts and for tests.
//! Every failure ends with a message on stderr and exit status 1; nothing panics.

mod cli;

use std::process::ExitCode;

use youjun::message::ErrorKind;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", cli::report(&e, cli::error_lang(&args)));
            if e.kind() == ErrorKind::Usage {
                eprintln!("{}", cli::USAGE);
            }
            ExitCode::FAILURE
        }
    }
}
