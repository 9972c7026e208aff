//! The document model: what the report says and how it is structured, with no knowledge of
//! any output format. Renderers (docx, text) read it; stages before them build and number it.

use crate::diag::Location;

/// A whole report, ready for a renderer once its headings are numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// "附件3": the attachment label on the first line, if the report is an attachment.
    pub attachment: Option<String>,
    pub title: String,
    /// The 单位 that reports, named as the document's author in its properties.
    pub unit: String,
    pub blocks: Vec<Block>,
    /// ISO 8601 date written into the package metadata; taken from the sources, not the clock.
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Paragraph),
    Table(Table),
}

/// Heading levels of a 公文: 一、 （一） 1. （1）.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeadingLevel(u8);

impl HeadingLevel {
    pub const DEEPEST: u8 = 4;

    /// `None` past the fourth level, which a 公文 does not have.
    pub fn new(level: u8) -> Option<Self> {
        (1..=Self::DEEPEST)
            .contains(&level)
            .then_some(HeadingLevel(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// 0-based, for indexing per-level tables.
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

/// A tracked change, for a redline: what a reviewer accepts or rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    Inserted,
    Deleted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: HeadingLevel,
    /// "一、", "（二）", "3.", "（4）": set by the numbering stage, empty before it.
    pub number: String,
    pub content: Vec<Inline>,
    pub origin: Location,
    /// Where the heading's text was typed, run by run (as a paragraph's [`Paragraph::spans`]).
    pub spans: Vec<TextSpan>,
    /// Set when the whole heading was inserted or deleted between two versions.
    pub revision: Option<Revision>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Set for an item of an ordered list, which a 公文 writes as a numbered paragraph.
    pub item: Option<ListItem>,
    /// A run-in heading ("收集绩效管理信息。") that takes its level's heading font.
    pub lead: Vec<Inline>,
    pub content: Vec<Inline>,
    pub origin: Location,
    /// Where the paragraph's text was typed, run by run, in `origin`'s file: so a finding
    /// in the text (placeholders filled in) points at the writer's line and column.
    pub spans: Vec<TextSpan>,
    /// Set when the whole paragraph was inserted or deleted between two versions.
    pub revision: Option<Revision>,
}

/// A run of a paragraph's text and where it was typed: the run starts at character `at` of
/// the paragraph's plain text ([`plain_text`] of its lead and content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpan {
    pub at: usize,
    pub line: usize,
    pub column: usize,
    /// Typed as it reads (its characters follow each other on the line), not a
    /// placeholder's value.
    pub verbatim: bool,
}

impl TextSpan {
    /// Where character `offset` of a text with these runs was typed, in `origin`'s file: in
    /// its run, as far in as the run was typed (a placeholder's value points at the
    /// placeholder); `origin` for a text without runs.
    pub fn locate(spans: &[TextSpan], origin: &Location, offset: usize) -> Location {
        let i = spans.partition_point(|s| s.at <= offset);
        let Some(span) = i.checked_sub(1).map(|i| spans[i]) else {
            return origin.clone();
        };
        let within = if span.verbatim { offset - span.at } else { 0 };
        Location::new(&origin.file, span.line, span.column + within)
    }
}

/// An ordered-list item; the numbering stage turns its place into a marker such as "1.".
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// 1 for a top-level list, 2 for a list nested in one of its items …
    pub depth: u8,
    pub ordinal: u64,
    /// The heading level whose marker style the item takes; set by the numbering stage.
    pub level: Option<HeadingLevel>,
    /// "1.", "（2）" …; set by the numbering stage.
    pub marker: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// "表1 部门支出情况": the paragraph written right above the table, centred over it.
    pub title: Option<Vec<Inline>>,
    /// "单位：万元": the line between the title and the table, flush right.
    pub unit: Option<Vec<Inline>>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// Set when the whole table was inserted or deleted between two versions.
    pub revision: Option<Revision>,
    /// In a redline, one per row: rows inserted or deleted whole. Empty otherwise.
    pub row_revisions: Vec<Option<Revision>>,
    pub alignments: Vec<Alignment>,
    pub origin: Location,
}

pub type Cell = Vec<Inline>;

impl Table {
    /// For each column, the decimals its figures share (the most any has), or `None` where a
    /// non-empty cell is not one figure.
    pub fn figure_columns(&self) -> Vec<Option<usize>> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        (0..columns)
            .map(|i| {
                let mut decimals = None;
                for cell in self.rows.iter().filter_map(|row| row.get(i)) {
                    let text = plain_text(cell);
                    if !text.trim().is_empty() {
                        let (_, fraction) = figure(&text)?;
                        decimals = Some(decimals.unwrap_or(0).max(fraction.len()));
                    }
                }
                decimals
            })
            .collect()
    }

    /// Writes each figure of a figure column to the column's decimals: 300 → 300.00 beside
    /// 280.10, so a column reads evenly. Adds zeros only; no figure is rounded.
    pub fn align_decimals(&mut self) {
        let columns = self.figure_columns();
        for row in &mut self.rows {
            for (cell, decimals) in row.iter_mut().zip(&columns) {
                if let (Some(decimals), [Inline::Text { text, .. }]) =
                    (decimals, cell.as_mut_slice())
                {
                    *text = with_decimals(text, *decimals);
                }
            }
        }
    }
}

/// A figure as a table writes it: digits with an optional sign, thousands commas, decimals
/// and a percent sign; its whole and fractional digits.
fn figure(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let body = text.strip_suffix('%').unwrap_or(text);
    let body = body.strip_prefix(['-', '−', '+']).unwrap_or(body);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let whole_ok = whole.starts_with(|c: char| c.is_ascii_digit())
        && whole.bytes().all(|b| b.is_ascii_digit() || b == b',');
    (whole_ok && fraction.bytes().all(|b| b.is_ascii_digit())).then_some((whole, fraction))
}

/// `text` (a figure) with zeros added to `decimals` places.
fn with_decimals(text: &str, decimals: usize) -> String {
    let Some((_, fraction)) = figure(text) else {
        return text.to_string();
    };
    let text = text.trim();
    let (number, percent) = match text.strip_suffix('%') {
        Some(number) => (number, "%"),
        None => (text, ""),
    };
    let missing = decimals.saturating_sub(fraction.len());
    let point = if fraction.is_empty() && missing > 0 {
        "."
    } else {
        ""
    };
    format!("{number}{point}{}{percent}", "0".repeat(missing))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    Default,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Emphasis {
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        emphasis: Emphasis,
    },
    Footnote(Vec<Inline>),
    LineBreak,
    /// Text inserted or deleted between two versions (a redline).
    Revised {
        revision: Revision,
        text: String,
    },
    /// A footnote one version has and the other has not (a redline).
    RevisedFootnote {
        revision: Revision,
        note: Vec<Inline>,
    },
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Self {
        Inline::Text {
            text: text.into(),
            emphasis: Emphasis::default(),
        }
    }
}

/// The text of inlines as a reader sees it (with tracked changes accepted), footnotes left out.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. }
            | Inline::Revised {
                revision: Revision::Inserted,
                text,
            } => out.push_str(text),
            Inline::LineBreak => out.push('\n'),
            Inline::Footnote(_)
            | Inline::RevisedFootnote { .. }
            | Inline::Revised {
                revision: Revision::Deleted,
                ..
            } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Alignment, Inline, Table};
    use crate::diag::Location;

    #[test]
    fn figures_share_their_column_decimals() {
        let cell = |t: &str| vec![Inline::plain(t)];
        let mut table = Table {
            title: None,
            unit: None,
            header: vec![cell("项目"), cell("金额"), cell("比率")],
            rows: vec![
                vec![cell("甲"), cell("1,200.5"), cell("87.3%")],
                vec![cell("乙"), cell("300"), cell("12.25%")],
                vec![cell("丙"), cell(""), cell("约12")],
            ],
            alignments: vec![Alignment::Default; 3],
            origin: Location::new("a.md", 1, 1),
            revision: None,
            row_revisions: Vec::new(),
        };
        assert_eq!(table.figure_columns(), [None, Some(1), None]);
        table.align_decimals();
        let column: Vec<String> = table
            .rows
            .iter()
            .map(|r| super::plain_text(&r[1]))
            .collect();
        assert_eq!(column, ["1,200.5", "300.0", ""]);
        assert_eq!(super::with_decimals("87.3%", 2), "87.30%");
        assert_eq!(super::with_decimals("-5", 0), "-5");
    }
}
