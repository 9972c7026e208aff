//! One file per subcommand.

pub mod build;
pub mod generate;
pub mod indicators;
