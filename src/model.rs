//! The document model: what the report says and how it is structured, with no knowledge of
//! any output format. Renderers (docx, text) read it; stages before them build and number it.

use crate::error::Location;

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
    /// Set when the whole paragraph was inserted or deleted between two versions.
    pub revision: Option<Revision>,
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
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub alignments: Vec<Alignment>,
    pub origin: Location,
}

pub type Cell = Vec<Inline>;

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
            | Inline::Revised {
                revision: Revision::Deleted,
                ..
            } => {}
        }
    }
    out
}
