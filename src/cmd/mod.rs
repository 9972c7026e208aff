//! One file per subcommand.

pub mod build;
pub mod check;
pub mod diff;
pub mod generate;
pub mod import;
pub mod indicators;
pub mod markdown;
pub mod new;
pub mod redline;
pub mod style;
pub mod textconv;
pub mod watch;

use std::io::{ErrorKind, Write};

/// Prints an error as every diagnostic is printed (rustc-style, on stderr).
pub fn print_error(error: &gongwen::error::Error) {
    eprint!("{}", gongwen::diagnostic::render_all(&[error.diagnostic()]));
}

/// Writes to stdout. When the reader has gone (`gongwen textconv … | head`) the command ends
/// quietly with success, as ripgrep does: `print!` would panic on the closed pipe.
pub fn print(text: impl std::fmt::Display) {
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = write!(stdout, "{text}").and_then(|()| stdout.flush()) {
        if err.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误：无法写到标准输出：{err}");
        std::process::exit(1);
    }
}
