//! One file per subcommand.

pub mod build;
pub mod check;
pub mod generate;
pub mod indicators;
