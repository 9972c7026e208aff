//! Stage 2 of import: the paragraphs of a .docx become a document model. Which paragraphs
//! are headings, at which level, and which are numbered paragraphs, is inferred from heading
//! styles, automatic and typed numbers, emphasis (bold, 黑体, 楷体) and context: a number of
//! the wrong kind for its place ("1、 基本情况" first, "（3）" among （一）（二）) takes the
//! level where it continues a sequence.

use std::path::Path;

use crate::diag::Location;
use crate::document::markdown;
use crate::document::markers;
use crate::document::model::{
    Alignment, Block, Document, Emphasis, Heading, HeadingLevel, Inline, ListItem, Paragraph, Table,
};
use crate::import::docx_text::structure::{self, Run};

/// A heading is a line: longer than this it is prose, whatever its number.
const MAX_HEADING_CHARS: usize = 40;
/// A run-in heading ("收集绩效管理信息。") is a short phrase.
const MAX_LEAD_CHARS: usize = 20;

/// How a heading announces its level, for matching it with the headings above it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// markers::parse_marker's level: 1 一、 2 （一） 3 1. 4 （1） 5 ①.
    Marker(u8),
    /// A heading style ("heading 2") without a number.
    Style(u8),
    /// A paragraph that is all bold or in a heading font, by that font.
    Emphasis(String),
}

impl Kind {
    fn bracketed(&self) -> Option<bool> {
        match self {
            Kind::Marker(level) => Some(matches!(level, 2 | 4)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Para {
    origin: Location,
    /// The marker's kind and number, typed or automatic.
    marker: Option<(u8, u64)>,
    /// The text after the marker, as inlines and as plain text.
    inlines: Vec<Inline>,
    text: String,
    style_level: Option<u8>,
    emphasis: Option<String>,
    centered: bool,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Heading,
    Item,
    Plain,
}

enum Piece {
    Para(Box<Para>),
    Table(Table),
}

/// The document model of a .docx read by docx_text::structure; `file` names it in origins
/// (line = paragraph number).
pub fn infer(blocks: &[structure::Block], file: &Path) -> Document {
    let mut pieces = pieces(blocks, file);
    let (attachment, title) = front_matter(&mut pieces);
    demote_empty_headings(&mut pieces);
    items_across_tables(&mut pieces);
    let pieces = merge_run_in_headings(pieces);
    Document {
        attachment,
        title,
        // The 单位 is guessed from the title when report.yaml is written.
        unit: String::new(),
        blocks: assign_levels(pieces),
        date: None,
    }
}

fn pieces(blocks: &[structure::Block], file: &Path) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let origin = Location::new(file, index + 1, 1);
        match block {
            structure::Block::Paragraph(p) => {
                for para in split_at_break(p, origin) {
                    pieces.push(Piece::Para(Box::new(para)));
                }
            }
            structure::Block::Table(rows) if !rows.is_empty() => {
                pieces.push(Piece::Table(table(rows, origin)));
            }
            structure::Block::Table(_) => {}
        }
    }
    pieces
}

/// A heading the writer ended with a manual line break (Shift+Enter) and went on typing:
/// its line ends at the break, and the rest is the first paragraph under it. A centred
/// paragraph (a title balanced on two lines) and a paragraph whose first line is not a
/// heading stay whole.
fn split_at_break(p: &structure::Paragraph, origin: Location) -> Vec<Para> {
    let first_break = p.runs.iter().position(|r| matches!(r, Run::Break));
    let (Some(at), false) = (first_break, p.centered) else {
        return para(p, origin).into_iter().collect();
    };
    let line = structure::Paragraph {
        runs: p.runs[..at].to_vec(),
        ..p.clone()
    };
    let rest = structure::Paragraph {
        runs: p.runs[at + 1..].to_vec(),
        ..Default::default()
    };
    match para(&line, origin.clone()) {
        Some(heading) if heading.role == Role::Heading => std::iter::once(heading)
            .chain(para(&rest, origin))
            .collect(),
        _ => para(p, origin).into_iter().collect(),
    }
}

fn para(p: &structure::Paragraph, origin: Location) -> Option<Para> {
    let mut inlines = inlines(&p.runs);
    trim_start(&mut inlines);
    trim_end(&mut inlines);
    let mut text = crate::document::model::plain_text(&inlines);
    let has_footnote = inlines.iter().any(|i| matches!(i, Inline::Footnote(_)));
    if text.trim().is_empty() && !has_footnote && p.number.as_deref().is_none_or(str::is_empty) {
        return None;
    }
    let emphasis = emphasis(&p.runs);
    let style_level = style_level(p);
    let mut marker = p
        .number
        .as_deref()
        .filter(|n| !n.is_empty())
        .and_then(markers::parse_marker);
    if marker.is_none()
        && let Some(len) = markers::typed_number(&text)
    {
        marker = markers::parse_marker(&text[..len]);
        if marker.is_some() {
            drop_prefix(&mut inlines, len);
            text = crate::document::model::plain_text(&inlines);
        }
    }
    Some(Para {
        origin,
        marker,
        role: role(&text, marker, style_level, emphasis.is_some()),
        inlines,
        text,
        style_level,
        emphasis,
        centered: p.centered,
    })
}

fn style_level(p: &structure::Paragraph) -> Option<u8> {
    let from_name = p.style.as_deref().and_then(|name| {
        let rest = name
            .strip_prefix("heading")
            .or_else(|| name.strip_prefix("标题"))?;
        rest.trim().parse::<u8>().ok()
    });
    from_name
        .or(p.outline_level.map(|l| l + 1))
        .filter(|l| (1..=9).contains(l))
}

/// Whether the paragraph looks like a heading before its neighbours are considered.
fn role(text: &str, marker: Option<(u8, u64)>, style_level: Option<u8>, emphasized: bool) -> Role {
    if style_level.is_some() && !text.is_empty() {
        return Role::Heading;
    }
    // A table's title or unit line (in 黑体 too): kept as a paragraph, it is a caption again
    // when the report is built.
    if markdown::is_table_title(text) || markdown::is_unit_line(text) {
        return Role::Plain;
    }
    let chars: Vec<char> = text.chars().collect();
    let short = !chars.is_empty()
        && chars.len() <= MAX_HEADING_CHARS
        && !chars[..chars.len() - 1]
            .iter()
            .any(|&c| matches!(c, '。' | '\n'))
        && !matches!(
            chars[chars.len() - 1],
            '；' | '，' | '：' | '、' | ';' | ',' | ':'
        );
    match marker {
        Some((level, _)) if short && level <= HeadingLevel::DEEPEST => Role::Heading,
        Some(_) => Role::Item,
        None if short && emphasized => Role::Heading,
        None => Role::Plain,
    }
}

/// The font a whole paragraph is emphasized by: a heading font (黑体, 楷体 …) or "bold".
fn emphasis(runs: &[Run]) -> Option<String> {
    let mut fonts = Vec::new();
    let mut all_bold = true;
    for run in runs {
        if let Run::Text {
            text, bold, font, ..
        } = run
            && !text.trim().is_empty()
        {
            all_bold &= *bold;
            fonts.push(font.as_deref().unwrap_or(""));
        }
    }
    let first = *fonts.first()?;
    let heading_font = ["黑体", "楷体", "小标宋", "Hei", "Kai"]
        .iter()
        .any(|f| first.contains(f));
    if heading_font && fonts.iter().all(|f| *f == first) {
        Some(first.to_string())
    } else if all_bold {
        Some("bold".to_string())
    } else {
        None
    }
}

fn inlines(runs: &[Run]) -> Vec<Inline> {
    let mut out = Vec::new();
    for run in runs {
        match run {
            Run::Text {
                text, bold, italic, ..
            } => {
                let emphasis = Emphasis {
                    bold: *bold,
                    italic: *italic,
                };
                match out.last_mut() {
                    Some(Inline::Text {
                        text: last,
                        emphasis: e,
                    }) if *e == emphasis => last.push_str(text),
                    _ => out.push(Inline::Text {
                        text: text.clone(),
                        emphasis,
                    }),
                }
            }
            Run::Break => out.push(Inline::LineBreak),
            Run::Footnote(text) => out.push(Inline::Footnote(vec![Inline::plain(text.clone())])),
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

fn trim_start(inlines: &mut Vec<Inline>) {
    while let Some(first) = inlines.first_mut() {
        match first {
            Inline::Text { text, .. } => {
                let trimmed = text.trim_start_matches(is_space);
                if trimmed.is_empty() {
                    inlines.remove(0);
                } else {
                    *text = trimmed.to_string();
                    return;
                }
            }
            Inline::LineBreak => {
                inlines.remove(0);
            }
            _ => return,
        }
    }
}

fn trim_end(inlines: &mut Vec<Inline>) {
    while let Some(last) = inlines.last_mut() {
        match last {
            Inline::Text { text, .. } => {
                let trimmed = text.trim_end_matches(is_space);
                if trimmed.is_empty() {
                    inlines.pop();
                } else {
                    text.truncate(trimmed.len());
                    return;
                }
            }
            Inline::LineBreak => {
                inlines.pop();
            }
            _ => return,
        }
    }
}

/// Removes the first `len` bytes of plain text (a typed number) and the spaces after it.
fn drop_prefix(inlines: &mut Vec<Inline>, mut len: usize) {
    while len > 0 && !inlines.is_empty() {
        match &mut inlines[0] {
            Inline::Text { text, .. } if text.len() <= len => {
                len -= text.len();
                inlines.remove(0);
            }
            Inline::Text { text, .. } => {
                text.replace_range(..len, "");
                len = 0;
            }
            Inline::LineBreak => len = len.saturating_sub(1),
            _ => {
                inlines.remove(0);
            }
        }
    }
    trim_start(inlines);
}

/// The 附件 label and the title: the first lines, before anything numbered. A title typed
/// on two centred lines is one title.
fn front_matter(pieces: &mut Vec<Piece>) -> (Option<String>, String) {
    let mut attachment = None;
    let mut title = String::new();
    let mut taken = 0;
    let untitled = |p: &Para| p.marker.is_none() && p.style_level.is_none_or(|l| l > 9);
    if let Some(Piece::Para(p)) = pieces.first()
        && is_attachment_label(&p.text)
    {
        attachment = Some(p.text.chars().filter(|c| !is_space(*c)).collect());
        taken = 1;
    }
    if let Some(Piece::Para(p)) = pieces.get(taken)
        && untitled(p)
        && p.text.chars().count() <= 2 * MAX_HEADING_CHARS
    {
        title = title_text(p);
        let (centered, emphasis) = (p.centered, p.emphasis.clone());
        taken += 1;
        while let Some(Piece::Para(next)) = pieces.get(taken) {
            // A title typed left-aligned on two lines goes on in the same font until it names
            // the document.
            let continues = if centered {
                next.centered
            } else {
                !next.centered && next.emphasis == emphasis && !names_the_document(&title)
            };
            let long = (title.chars().count() + next.text.chars().count()) > 2 * MAX_HEADING_CHARS;
            if !continues || !untitled(next) || long {
                break;
            }
            title.push_str(&title_text(next));
            taken += 1;
        }
    }
    pieces.drain(..taken);
    (attachment, title)
}

/// A title ends with what the document is: …自评报告, …自评结果, …自评表.
fn names_the_document(title: &str) -> bool {
    let title = title.trim_end_matches(is_space);
    ["报告", "结果", "自评表", "报告书", "总结", "说明"]
        .iter()
        .any(|end| title.ends_with(end))
}

fn is_attachment_label(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !is_space(*c)).collect();
    compact.strip_prefix("附件").is_some_and(|rest| {
        rest.chars().count() <= 4
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十：:".contains(c))
    })
}

/// A title's line breaks only balance its lines; the build balances them again.
fn title_text(p: &Para) -> String {
    p.text.chars().filter(|&c| c != '\n').collect()
}

/// A numbered line with nothing under it before the next number of its kind, or one that
/// continues a run of numbered paragraphs, is a numbered paragraph, not a heading:
/// "（1）主动把控，掌握意识形态话语权。" "（2）积极发声…".
fn demote_empty_headings(pieces: &mut [Piece]) {
    for i in 0..pieces.len() {
        let Some((kind, n)) = para_at(pieces, i)
            .filter(|p| p.style_level.is_none())
            .and_then(|p| p.marker)
        else {
            continue;
        };
        let next_is_sibling = para_at(pieces, i + 1)
            .is_some_and(|next| next.style_level.is_none() && next.marker == Some((kind, n + 1)));
        let previous = i.checked_sub(1).and_then(|j| para_at(pieces, j));
        let follows_item = previous.is_some_and(|prev| {
            prev.role == Role::Item && prev.marker == Some((kind, n.wrapping_sub(1)))
        });
        // "1.2023年以来，…" is read as a year, not a number; followed by "2.", it was item 1.
        let follows_loose_item = kind == 3
            && n > 1
            && previous.is_some_and(|prev| {
                prev.marker.is_none() && loose_number(&prev.text) == Some(n - 1)
            });
        if follows_loose_item && let Some(Piece::Para(prev)) = pieces.get_mut(i - 1) {
            let len = prev.text.find(['.', '．', '、']).map_or(0, |at| {
                at + prev.text[at..].chars().next().map_or(0, char::len_utf8)
            });
            drop_prefix(&mut prev.inlines, len);
            prev.text = crate::document::model::plain_text(&prev.inlines);
            prev.marker = Some((3, n - 1));
            prev.role = Role::Item;
        }
        if let Some(Piece::Para(p)) = pieces.get_mut(i)
            && p.role == Role::Heading
            && (next_is_sibling || follows_item || follows_loose_item)
        {
            p.role = Role::Item;
        }
    }
}

/// A table between two numbers of one sequence does not end it: a heading next to an item
/// of its sequence, across tables, is an item too. One pass each way carries it along a
/// sequence of any length.
fn items_across_tables(pieces: &mut [Piece]) {
    let paragraphs: Vec<usize> = (0..pieces.len())
        .filter(|&i| para_at(pieces, i).is_some())
        .collect();
    // Forward, a heading after an item numbered one less; backward, before one numbered one more.
    for k in 1..paragraphs.len() {
        demote_next_to_item(pieces, paragraphs[k], paragraphs[k - 1], -1);
    }
    for k in (1..paragraphs.len()).rev() {
        demote_next_to_item(pieces, paragraphs[k - 1], paragraphs[k], 1);
    }
}

/// Makes the heading at `i` an item when the item at `j` is numbered `step` from it.
fn demote_next_to_item(pieces: &mut [Piece], i: usize, j: usize, step: i64) {
    let (Some(p), Some(other)) = (para_at(pieces, i), para_at(pieces, j)) else {
        return;
    };
    let in_sequence = match (p.marker, other.marker) {
        (Some((kind, n)), Some((other_kind, m))) => {
            kind == other_kind && n.checked_add_signed(step) == Some(m)
        }
        _ => false,
    };
    let demote = in_sequence
        && p.role == Role::Heading
        && p.style_level.is_none()
        && other.role == Role::Item
        && other.style_level.is_none();
    if demote && let Some(Piece::Para(p)) = pieces.get_mut(i) {
        p.role = Role::Item;
    }
}

fn para_at(pieces: &[Piece], i: usize) -> Option<&Para> {
    match pieces.get(i)? {
        Piece::Para(p) => Some(p),
        Piece::Table(_) => None,
    }
}

/// "1.2023年…" → 1: digits and a separator at the start, whatever follows.
fn loose_number(text: &str) -> Option<u64> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &text[digits..];
    (digits > 0 && rest.starts_with(['.', '．', '、']))
        .then(|| text[..digits].parse().ok())
        .flatten()
}

/// "2.完成的工作目标。" followed by its text on the next line becomes one numbered paragraph
/// with a run-in heading.
fn merge_run_in_headings(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut merged: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let lead = match merged.last() {
            Some(Piece::Para(p)) => {
                p.role == Role::Item
                    && p.text.chars().count() <= MAX_LEAD_CHARS
                    && p.text.ends_with('。')
                    && p.text.matches('。').count() == 1
            }
            _ => false,
        };
        match (piece, merged.last_mut()) {
            (Piece::Para(next), Some(Piece::Para(p))) if lead && next.role == Role::Plain => {
                p.inlines.extend(next.inlines);
                p.text = crate::document::model::plain_text(&p.inlines);
            }
            (piece, _) => merged.push(piece),
        }
    }
    merged
}

/// Levels from the headings above: a number continuing a sequence joins it, a first number
/// opens a level below the current one, a jump of more than one level is closed up.
fn assign_levels(pieces: Vec<Piece>) -> Vec<Block> {
    let mut stack: Vec<(Kind, u64)> = Vec::new();
    let mut blocks = Vec::new();
    for piece in pieces {
        let p = match piece {
            Piece::Table(table) => {
                blocks.push(Block::Table(table));
                continue;
            }
            Piece::Para(p) => *p,
        };
        let depth = stack.len() as u8;
        let (level, kind, n) = match p.role {
            Role::Heading => {
                let (level, kind, n) = heading_level(&p, &stack);
                (Some(level), kind, n)
            }
            _ => (None, Kind::Style(0), 0),
        };
        match level {
            Some(level) if level <= HeadingLevel::DEEPEST => {
                stack.truncate(usize::from(level - 1));
                stack.push((kind, n));
                blocks.push(Block::Heading(Heading {
                    level: HeadingLevel::new(level).unwrap_or_else(|| unreachable!("1..=4")),
                    number: String::new(),
                    content: plain(&p.inlines),
                    origin: p.origin,
                    spans: Vec::new(),
                    revision: None,
                }));
            }
            _ => blocks.push(Block::Paragraph(paragraph(p, depth))),
        }
    }
    blocks
}

fn heading_level(p: &Para, stack: &[(Kind, u64)]) -> (u8, Kind, u64) {
    let depth = stack.len() as u8;
    let open = |level: u8| level.min(depth + 1).max(1);
    let shallowest = |pred: &dyn Fn(&Kind, u64) -> bool| {
        stack
            .iter()
            .position(|(kind, last)| pred(kind, *last))
            .map(|i| i as u8 + 1)
    };
    if let Some(level) = p.style_level {
        return (open(level), Kind::Style(level), 0);
    }
    if let Some((nominal, n)) = p.marker {
        let kind = Kind::Marker(nominal);
        let level = shallowest(&|k, last| *k == kind && n == last + 1)
            .or_else(|| {
                shallowest(&|k, last| {
                    k.bracketed().is_some() && k.bracketed() == kind.bracketed() && n == last + 1
                })
            })
            .or_else(|| (n == 1).then_some(depth + 1))
            .or_else(|| shallowest(&|k, _| *k == kind))
            .unwrap_or_else(|| open(nominal));
        return (level, kind, n);
    }
    let font = p.emphasis.clone().unwrap_or_default();
    let kind = Kind::Emphasis(font.clone());
    let hint = if font.contains("黑体") {
        Some(1)
    } else if font.contains("楷体") {
        Some(2)
    } else {
        None
    };
    let level = shallowest(&|k, _| *k == kind)
        .or(hint.map(open))
        .unwrap_or(depth + 1);
    (level, kind, 0)
}

/// Heading text is printed in the heading's own font: emphasis inside it is dropped.
fn plain(inlines: &[Inline]) -> Vec<Inline> {
    let text = crate::document::model::plain_text(inlines).replace('\n', "");
    vec![Inline::plain(text)]
}

/// A body paragraph; a numbered one becomes a list item unless its heading is already at the
/// deepest level (a list there would need a fifth), where it keeps its typed number.
fn paragraph(p: Para, depth: u8) -> Paragraph {
    let (item, mut content) = match p.marker {
        Some((_, n)) if depth < HeadingLevel::DEEPEST => (
            Some(ListItem {
                depth: 1,
                ordinal: n,
                level: None,
                marker: String::new(),
            }),
            p.inlines,
        ),
        Some((level, n)) => {
            let marker = HeadingLevel::new(level.clamp(1, HeadingLevel::DEEPEST))
                .map_or_else(|| format!("{n}."), |l| markers::marker(l, n));
            let mut inlines = vec![Inline::plain(marker)];
            inlines.extend(p.inlines);
            (None, inlines)
        }
        None => (None, p.inlines),
    };
    let lead = if item.is_some() {
        split_lead(&mut content)
    } else {
        Vec::new()
    };
    Paragraph {
        item,
        lead,
        content,
        origin: p.origin,
        spans: Vec::new(),
        revision: None,
    }
}

/// The run-in heading of a numbered paragraph: its bold start, or a short first sentence
/// without a comma ("收集绩效管理信息。我单位…"). The full stop stays in the content.
fn split_lead(content: &mut Vec<Inline>) -> Vec<Inline> {
    let bold_start = match content.first() {
        Some(Inline::Text { text, emphasis }) if emphasis.bold && content.len() > 1 => {
            Some(text.trim_end_matches('。').to_string())
        }
        _ => None,
    };
    let text = crate::document::model::plain_text(content);
    let lead = match bold_start {
        Some(lead) if !lead.is_empty() && lead.chars().count() <= MAX_LEAD_CHARS => lead,
        _ => {
            let Some(stop) = text.find('。') else {
                return Vec::new();
            };
            let first = &text[..stop];
            let rest = &text[stop + '。'.len_utf8()..];
            if first.is_empty()
                || first.chars().count() > MAX_LEAD_CHARS
                || first.contains(['，', ',', '；', '：'])
                || rest.trim().is_empty()
                || content.iter().any(|i| !matches!(i, Inline::Text { .. }))
            {
                return Vec::new();
            }
            first.to_string()
        }
    };
    drop_prefix(content, lead.len());
    vec![Inline::Text {
        text: lead,
        emphasis: Emphasis {
            bold: true,
            italic: false,
        },
    }]
}

fn table(rows: &[Vec<Vec<structure::Paragraph>>], origin: Location) -> Table {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cells = |row: &Vec<Vec<structure::Paragraph>>| -> Vec<Vec<Inline>> {
        let mut cells: Vec<Vec<Inline>> = row
            .iter()
            .map(|cell| {
                let text = cell
                    .iter()
                    .map(|p| p.text().replace('\n', " ").trim().to_string())
                    .collect::<Vec<_>>()
                    .join(" ");
                vec![Inline::plain(text)]
            })
            .collect();
        cells.resize(width, vec![Inline::plain("")]);
        cells
    };
    Table {
        title: None,
        unit: None,
        header: cells(&rows[0]),
        rows: rows[1..].iter().map(cells).collect(),
        alignments: vec![Alignment::Default; width],
        origin,
        revision: None,
        row_revisions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> structure::Block {
        styled(text, false, None)
    }

    fn styled(text: &str, bold: bool, font: Option<&str>) -> structure::Block {
        structure::Block::Paragraph(structure::Paragraph {
            runs: vec![Run::Text {
                text: text.to_string(),
                bold,
                italic: false,
                font: font.map(str::to_string),
            }],
            ..Default::default()
        })
    }

    fn outline(blocks: &[structure::Block]) -> Vec<String> {
        infer(blocks, Path::new("x.docx"))
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading(h) => {
                    format!(
                        "{} {}",
                        h.level.get(),
                        crate::document::model::plain_text(&h.content)
                    )
                }
                Block::Paragraph(p) => {
                    let item = p
                        .item
                        .as_ref()
                        .map_or(String::new(), |i| format!("{}. ", i.ordinal));
                    let lead = crate::document::model::plain_text(&p.lead);
                    let lead = if lead.is_empty() {
                        lead
                    } else {
                        format!("**{lead}**")
                    };
                    format!(
                        "{item}{lead}{}",
                        crate::document::model::plain_text(&p.content)
                    )
                }
                Block::Table(_) => "table".to_string(),
            })
            .collect()
    }

    #[test]
    fn a_number_of_the_wrong_kind_takes_the_level_where_it_continues_a_sequence() {
        let document = [
            p("附件3 "),
            p("2023年度某局整体绩效自评报告"),
            p("1、 基本情况"),
            p("正文。"),
            p("二、完成情况"),
            p("（一）运行成本"),
            p("1.公用经费"),
            p("（1）公用经费控制率"),
            p("正文。"),
            p("（3）资金使用合规性"),
            p("正文。"),
            p("（2）管理效率"),
            p("正文。"),
            p("（3） 履职效能"),
            p("正文。"),
        ];
        let doc = infer(&document, Path::new("x.docx"));
        assert_eq!(doc.attachment.as_deref(), Some("附件3"));
        assert_eq!(doc.title, "2023年度某局整体绩效自评报告");
        assert_eq!(
            outline(&document),
            [
                "1 基本情况",
                "正文。",
                "1 完成情况",
                "2 运行成本",
                "3 公用经费",
                "4 公用经费控制率",
                "正文。",
                "4 资金使用合规性",
                "正文。",
                "2 管理效率",
                "正文。",
                "2 履职效能",
                "正文。",
            ]
        );
    }

    #[test]
    fn a_title_on_two_centred_lines_is_one_title() {
        let centred = |text: &str| match p(text) {
            structure::Block::Paragraph(mut para) => {
                para.centered = true;
                structure::Block::Paragraph(para)
            }
            table => table,
        };
        let document = [
            p("附件 2"),
            centred("2023年度某某区"),
            centred("财政局部门整体绩效自评报告"),
            p("一、基本情况"),
        ];
        let doc = infer(&document, Path::new("x.docx"));
        assert_eq!(doc.attachment.as_deref(), Some("附件2"));
        assert_eq!(doc.title, "2023年度某某区财政局部门整体绩效自评报告");
        assert_eq!(outline(&document), ["1 基本情况"]);
    }

    #[test]
    fn numbered_lines_without_text_under_them_are_numbered_paragraphs() {
        let document = [
            p("一、主要成效"),
            p("（1）主动把控，掌握意识形态话语权。"),
            p("（2）积极发声，提高主流媒体关注度"),
            p("（3）凝聚合力。"),
            p("二、下一步"),
            p("1.2023年以来，工作有序推进。"),
            p("2.完成的工作目标。"),
            p("高标准推进各项工作。"),
            p("3.收集绩效信息。我单位收集了资料。"),
        ];
        assert_eq!(
            outline(&document),
            [
                "1 主要成效",
                "1. 主动把控，掌握意识形态话语权。",
                "2. 积极发声，提高主流媒体关注度",
                "3. 凝聚合力。",
                "1 下一步",
                "1. 2023年以来，工作有序推进。",
                "2. **完成的工作目标**。高标准推进各项工作。",
                "3. **收集绩效信息**。我单位收集了资料。",
            ]
        );
    }

    #[test]
    fn bold_and_heading_font_paragraphs_are_headings_by_their_font() {
        let document = [
            p("某局2023年度部门整体绩效自评报告"),
            styled("基本情况", false, Some("黑体")),
            p("正文。"),
            styled("部门职责", false, Some("楷体_GB2312")),
            p("正文。"),
            styled("主要职能", true, None),
            p("正文。"),
            styled("队伍建设", true, None),
            styled("完成情况", false, Some("黑体")),
            styled(
                "这一段整段加粗，但它是一句很长的正文，不是标题，因为它超过了四十个字，还带着句号。",
                true,
                None,
            ),
        ];
        assert_eq!(
            outline(&document),
            [
                "1 基本情况",
                "正文。",
                "2 部门职责",
                "正文。",
                "3 主要职能",
                "正文。",
                "3 队伍建设",
                "1 完成情况",
                "这一段整段加粗，但它是一句很长的正文，不是标题，因为它超过了四十个字，还带着句号。",
            ]
        );
    }
}
