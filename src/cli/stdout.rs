//! Writing a command's result to stdout. `print!` panics when the reader
//! has gone (`youjun run … | head`); a closed pipe is the reader's choice,
//! not a failure, so it ends the output quietly. Any other write error is
//! reported like a file error.

use std::io::{ErrorKind, Write};

use super::file_error;
use youjun::message::{Error, Text};

/// Writes `text` to stdout, all of it or until the reader closes the pipe.
///
/// # Errors
///
/// A write error other than a closed pipe (a full disk behind a redirect).
pub(crate) fn emit(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(file_error("stdout", Text::new("无法写出结果", "cannot write the result"), e)),
        _ => Ok(()),
    }
}

/// [`emit`] with a line end.
///
/// # Errors
///
/// As [`emit`].
pub(crate) fn emit_line(text: &str) -> Result<(), Error> {
    emit(&format!("{text}\n"))
}
