//! Diagnostics: one type for every error and warning, where it is, and how it is shown.

mod diagnostic;
mod error;
pub mod suggest;

pub use diagnostic::*;
pub use error::*;
