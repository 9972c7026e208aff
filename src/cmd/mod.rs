//! One file per subcommand.

pub mod build;
pub mod check;
pub mod diff;
pub mod generate;
pub mod indicators;
pub mod markdown;
pub mod new;
pub mod redline;
pub mod style;
pub mod textconv;
pub mod watch;
