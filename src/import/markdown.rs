//! Stage 3 of import: the inferred model written back as gongwen's Markdown, one file per
//! level-1 part, numbers left to the build.

use std::fmt::Write as _;

use crate::document::model::{Block, Emphasis, Inline, Paragraph, Table};

/// One section file: its name ("03-部门整体绩效目标完成情况.md") and text.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionFile {
    pub name: String,
    pub text: String,
    /// (paragraph number in the .docx, line in this file) of each block, for messages.
    pub lines: Vec<(usize, usize)>,
}

/// Splits the blocks at level-1 headings; what stands before the first goes in 00-开头.md.
pub fn sections(blocks: &[Block]) -> Vec<SectionFile> {
    let mut groups: Vec<(String, Vec<&Block>)> = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(h) if h.level.get() == 1 => {
                groups.push((crate::document::model::plain_text(&h.content), vec![block]));
            }
            _ => match groups.last_mut() {
                Some((_, group)) => group.push(block),
                None => groups.push(("开头".to_string(), vec![block])),
            },
        }
    }
    let numbered_from = usize::from(
        !matches!(blocks.first(), Some(Block::Heading(h)) if h.level.get() == 1)
            && !blocks.is_empty(),
    );
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (title, blocks))| {
            let order = i + 1 - numbered_from;
            let (text, lines) = section_text(order, &blocks);
            SectionFile {
                name: format!("{order:02}-{}.md", file_stem(&title)),
                text,
                lines,
            }
        })
        .collect()
}

/// A heading as a file name: characters Windows refuses dropped, at most 30 characters.
fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .filter(|c| !c.is_whitespace() && !"/\\:*?\"<>|".contains(*c) && !c.is_control())
        .take(30)
        .collect();
    if stem.is_empty() {
        "正文".to_string()
    } else {
        stem
    }
}

fn section_text(order: usize, blocks: &[&Block]) -> (String, Vec<(usize, usize)>) {
    let mut out = format!("---\norder: {order}\n---\n");
    let mut lines = Vec::new();
    let mut footnotes = Vec::new();
    let mut previous_item = false;
    for block in blocks {
        let item = matches!(block, Block::Paragraph(Paragraph { item: Some(_), .. }));
        // Items of one list follow each other without a blank line, as content/ writes them.
        out.push_str(if item && previous_item { "" } else { "\n" });
        previous_item = item;
        let origin = match block {
            Block::Heading(h) => h.origin.line,
            Block::Paragraph(p) => p.origin.line,
            Block::Table(t) => t.origin.line,
        };
        lines.push((origin, out.matches('\n').count() + 1));
        match block {
            Block::Heading(h) => {
                let text = escape(&crate::document::model::plain_text(&h.content), true);
                writeln!(out, "{} {text}", "#".repeat(usize::from(h.level.get()))).ok();
            }
            Block::Paragraph(p) => {
                if let Some(item) = &p.item {
                    write!(out, "{}. ", item.ordinal).ok();
                }
                let lead = inlines(&p.lead, &mut footnotes, false);
                out.push_str(&lead);
                out.push_str(&inlines(
                    &p.content,
                    &mut footnotes,
                    p.item.is_none() && lead.is_empty(),
                ));
                out.push('\n');
            }
            Block::Table(table) => out.push_str(&table_text(table)),
        }
    }
    for (i, note) in footnotes.iter().enumerate() {
        write!(out, "\n[^{}]: {}\n", i + 1, escape(note, true)).ok();
    }
    (out, lines)
}

fn inlines(inlines: &[Inline], footnotes: &mut Vec<String>, line_start: bool) -> String {
    let mut out = String::new();
    let mut at_line_start = line_start;
    for inline in inlines {
        match inline {
            Inline::Text { text, emphasis } => {
                out.push_str(&emphasized(text, *emphasis, at_line_start));
                at_line_start = false;
            }
            Inline::LineBreak => {
                out.push_str("\\\n");
                at_line_start = true;
            }
            Inline::Footnote(content) => {
                footnotes.push(crate::document::model::plain_text(content).replace('\n', " "));
                write!(out, "[^{}]", footnotes.len()).ok();
            }
            // A .docx read for import carries no tracked changes.
            Inline::Revised { .. } | Inline::RevisedFootnote { .. } => {}
        }
    }
    out
}

/// `**…**` around the text, with punctuation at either end left outside: CommonMark does not
/// open emphasis on "**“" after a letter.
fn emphasized(text: &str, emphasis: Emphasis, line_start: bool) -> String {
    let mark = match (emphasis.bold, emphasis.italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => return escape(text, line_start),
    };
    let is_edge = |c: char| c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(c);
    let inner = text.trim_matches(is_edge);
    if inner.is_empty() {
        return escape(text, line_start);
    }
    let start = text.len() - text.trim_start_matches(is_edge).len();
    let end = start + inner.len();
    format!(
        "{}{mark}{}{mark}{}",
        escape(&text[..start], line_start),
        escape(inner, false),
        escape(&text[end..], false)
    )
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '\u{2010}'..='\u{2027}')
}

/// Text as Markdown shows it literally (see [`crate::document::literal::escape_literal`]), written
/// into a section that the build then renders as a template: template syntax is quoted so
/// the build prints it as typed, and placeholders that --figures made are written as
/// placeholders.
pub fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut literal = 0;
    for (i, c) in text.char_indices() {
        let template = match c {
            super::figures::OPEN => "{{ ",
            super::figures::CLOSE => " }}",
            '{' if text[i + 1..].starts_with(['{', '%']) => "{{ \"{\" }}",
            _ => continue,
        };
        let start = line_start && literal == 0;
        out.push_str(&crate::document::literal::escape_literal(
            &text[literal..i],
            start,
        ));
        out.push_str(template);
        literal = i + c.len_utf8();
    }
    let start = line_start && literal == 0;
    out.push_str(&crate::document::literal::escape_literal(
        &text[literal..],
        start,
    ));
    out
}

fn table_text(table: &Table) -> String {
    let row = |cells: &[Vec<Inline>]| {
        let cells: Vec<String> = cells
            .iter()
            .map(|cell| {
                escape(
                    &crate::document::model::plain_text(cell).replace('\n', " "),
                    false,
                )
            })
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = row(&table.header);
    out.push_str(&format!("|{}\n", "---|".repeat(table.header.len())));
    for cells in &table.rows {
        out.push_str(&row(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_text_is_literal_markdown_and_a_literal_template() {
        let text = format!(
            "1．项 R&amp;D {{{{ x {}预算执行率{}",
            super::super::figures::OPEN,
            super::super::figures::CLOSE
        );
        assert_eq!(
            escape(&text, true),
            "1．项 R\\&amp;D {{ \"{\" }}\\{ x {{ 预算执行率 }}"
        );
    }
}
