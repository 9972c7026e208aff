//! Stage: number headings 一、 （一） 1. （1） across the whole document, and give ordered-list
//! items the marker of the level below their heading.

use crate::diag::code;
use crate::diag::{Error, Location, Result};
use crate::document::markers;
use crate::document::model::{Block, Document, HeadingLevel};

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
                heading.number = marker(heading.level, counters[index], &heading.origin)?;
                current = heading.level.get();
            }
            Block::Paragraph(paragraph) => {
                let Some(item) = &mut paragraph.item else {
                    continue;
                };
                let depth = current.saturating_add(item.depth);
                let level = HeadingLevel::new(depth).ok_or_else(|| {
                    Error::invalid(code::MARKDOWN,
                        paragraph.origin.clone(),
                        format!(
                            "编号段落落在第 {depth} 级，超过了公文的四级编号（一、（一）1.（1））。请减少列表嵌套，或把上级标题改浅一级。"
                        ),
                    )
                })?;
                item.level = Some(level);
                item.marker = marker(level, item.ordinal, &paragraph.origin)?;
            }
            Block::Table(_) => {}
        }
    }
    Ok(())
}

/// Chinese numerals (一、 （一）) are written up to 九千九百九十九; the standard has no form
/// beyond, so a larger number is an error rather than "10000、".
const MAX_CHINESE: u64 = 9999;

fn marker(level: HeadingLevel, n: u64, origin: &Location) -> Result<String> {
    if level.get() <= 2 && n > MAX_CHINESE {
        return Err(Error::invalid(
            code::MARKDOWN,
            origin.clone(),
            format!(
                "这是同一级的第 {n} 个编号，超过了中文编号的上限（{MAX_CHINESE}）。请拆分报告或调整标题层级。"
            ),
        ));
    }
    Ok(markers::marker(level, n))
}
