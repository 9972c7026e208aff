//! One file per subcommand.

pub mod build;
pub mod check;
pub mod diff;
pub mod generate;
pub mod import;
pub mod indicators;
pub mod markdown;
pub mod redline;
pub mod textconv;
