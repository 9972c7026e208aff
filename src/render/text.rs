//! Plain text, one paragraph a line, headings with their numbers: what the document says,
//! for diffs and for tests that read the result like a reviewer.

use crate::document::model::{Block, Document, Inline, plain_text};

pub fn to_text(document: &Document) -> String {
    let mut lines = Vec::new();
    lines.extend(document.attachment.clone());
    lines.push(document.title.clone());
    for block in &document.blocks {
        match block {
            Block::Heading(heading) => {
                lines.push(format!(
                    "{}{}",
                    heading.number,
                    inline_text(&heading.content)
                ));
            }
            Block::Paragraph(paragraph) => {
                let marker = paragraph
                    .item
                    .as_ref()
                    .map_or("", |item| item.marker.as_str());
                lines.push(format!(
                    "{marker}{}{}",
                    inline_text(&paragraph.lead),
                    inline_text(&paragraph.content)
                ));
            }
            Block::Table(table) => {
                lines.extend(table.title.as_deref().map(inline_text));
                lines.extend(table.unit.as_deref().map(inline_text));
                for row in std::iter::once(&table.header).chain(&table.rows) {
                    let cells: Vec<String> = row.iter().map(|cell| inline_text(cell)).collect();
                    lines.push(format!("| {} |", cells.join(" | ")));
                }
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Footnotes are shown inline in brackets, so a diff sees their text where they are cited.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Footnote(note) => {
                out.push_str("〔注：");
                out.push_str(&plain_text(note));
                out.push('〕');
            }
            other => out.push_str(&plain_text(std::slice::from_ref(other))),
        }
    }
    out.replace('\n', " ")
}
