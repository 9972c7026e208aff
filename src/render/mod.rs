//! Renderers turn a numbered document model into bytes a person reads.

pub mod docx;
pub mod text;
pub mod xlsx;

use crate::error::Result;
use crate::model::Document;

pub trait Renderer {
    fn render(&self, document: &Document) -> Result<Vec<u8>>;
}
