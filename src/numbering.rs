//! Stage: number headings 一、 （一） 1. （1） across the whole document, and give ordered-list
//! items the marker of the level below their heading.

use crate::error::{Error, Result};
use crate::markers;
use crate::model::{Block, Document, HeadingLevel};

/// Numbers continue across section files and restart under each parent heading.
pub fn number(document: &mut Document) -> Result<()> {
    let mut counters = [0u64; HeadingLevel::DEEPEST as usize];
    let mut current = 0u8;
    for block in &mut document.blocks {
        match block {
            Block::Heading(heading) => {
                let index = heading.level.index();
                counters[index] += 1;
                counters[index + 1..].fill(0);
                heading.number = markers::marker(heading.level, counters[index]);
                current = heading.level.get();
            }
            Block::Paragraph(paragraph) => {
                let Some(item) = &mut paragraph.item else {
                    continue;
                };
                let depth = current.saturating_add(item.depth);
                let level = HeadingLevel::new(depth).ok_or_else(|| {
                    Error::invalid(
                        paragraph.origin.clone(),
                        format!(
                            "编号段落落在第 {depth} 级，超过了公文的四级编号（一、（一）1.（1））。请减少列表嵌套，或把上级标题改浅一级。"
                        ),
                    )
                })?;
                item.level = Some(level);
                item.marker = markers::marker(level, item.ordinal);
            }
            Block::Table(_) => {}
        }
    }
    Ok(())
}
