//! Renderers turn a numbered document model into bytes a person reads.

pub mod docx;
pub mod grid;
pub mod text;
pub mod xlsx;
pub mod xml;

use crate::diag::Result;
use crate::document::model::Document;

pub trait Renderer {
    fn render(&self, document: &Document) -> Result<Vec<u8>>;
}
