//! gongwen: a report written as Markdown + YAML becomes a GB/T 9704-2012 .docx.
//!
//! The stages run one way, each using only the ones above it (docs/architecture.md;
//! tests/architecture.rs fails on a `use` that points back):
//! [`diag`] (diagnostics, locations) → [`input`] (read files, YAML, data, style) →
//! [`eval`] (formulas, indicators, scores) → [`document`] (placeholders, Markdown, the model,
//! heading numbers) → [`check`] (the rules) → [`render`] (.docx, .xlsx, text) →
//! [`output`] (atomic writes, PDF previews) → [`import`] and [`review`] (the other way: .docx
//! in) → [`scaffold`] (new and generated reports) → [`lsp`] (the language server for editors).

pub mod check;
pub mod diag;
pub mod document;
pub mod eval;
pub mod import;
pub mod input;
pub mod lsp;
pub mod output;
pub mod render;
pub mod review;
pub mod scaffold;
