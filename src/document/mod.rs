//! The document: placeholders filled, Markdown parsed into the model, headings numbered.
//! [`report`] runs every stage from a report directory to a built report.

pub mod figures;
pub mod literal;
pub mod markdown;
pub mod markers;
pub mod model;
pub mod numbering;
pub mod provenance;
pub mod report;
pub mod template;
pub mod worksheet;
