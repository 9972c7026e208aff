//! Stage 2: parse one section file (YAML front matter + Markdown) into model blocks.
//!
//! Event-driven over pulldown-cmark; every block keeps the file position it came from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel as MdLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::diag::{Diagnostic, code};
use crate::diag::{Error, LineIndex, Location, Result};
use crate::document::markers;
use crate::document::model::{
    Alignment, Block, Cell, Emphasis, Heading, HeadingLevel, Inline, ListItem, Paragraph, Table,
    TextSpan, plain_text,
};
use crate::document::template::Filled;
use crate::input::source::SourceFile;
use crate::input::yaml;

/// The keys a section's front matter may have.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Position among the sections; sections without it follow, by file name.
    pub order: Option<i64>,
    /// Who writes this section (shown to reviewers, not in the document).
    pub author: Option<String>,
}

/// A section file split into its front matter and its Markdown body.
#[derive(Debug, Clone)]
pub struct Section {
    pub path: PathBuf,
    pub front: FrontMatter,
    /// Where each value of the front matter was typed.
    pub front_positions: yaml::Positions,
    pub body: String,
    /// The body's first line in the file.
    pub body_line: usize,
}

impl Section {
    /// Where the front matter's `key` was typed, or the file's start.
    pub fn front_location(&self, key: &str) -> Location {
        self.front_positions.at(&[key])
    }
}

/// The front matter starts on a file's second line, after `---`.
fn front_origin(path: &Path) -> yaml::Origin<'_> {
    yaml::Origin {
        file: path,
        first_line: 2,
    }
}

/// Splits off the front matter (between a first line `---` and the next `---` or `...`).
pub fn split(file: &SourceFile) -> Result<Section> {
    let text = &file.text;
    let mut lines = text.split_inclusive('\n');
    let opens = lines.next().is_some_and(|first| first.trim_end() == "---");
    if !opens {
        return Ok(Section {
            path: file.path.clone(),
            front: FrontMatter::default(),
            front_positions: yaml::Positions::default(),
            body: text.clone(),
            body_line: 1,
        });
    }
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let yaml_start = offset;
    for (index, line) in lines.enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let origin = front_origin(&file.path);
            let (front, front_positions) = yaml::parse(&text[yaml_start..offset], origin)?;
            return Ok(Section {
                path: file.path.clone(),
                front,
                front_positions,
                body: text[offset + line.len()..].to_string(),
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Error::invalid(
        code::MARKDOWN,
        Location::new(&file.path, 1, 1),
        "front matter 没有结束：以 --- 开头的 YAML 块必须再以单独一行 --- 结束。",
    ))
}

/// Parses a section's Markdown, its placeholders `filled` in, into model blocks; positions
/// point at where the writer typed the text: in `source`, the body of `path` from
/// `first_line`. The byte ranges of the filled text the blocks print (footnotes' too, not the
/// writers' notes) go into `printed`, in order.
pub fn parse_blocks(
    path: &Path,
    source: &str,
    filled: &Filled,
    first_line: usize,
    warnings: &mut Vec<Diagnostic>,
    printed: &mut Vec<std::ops::Range<usize>>,
) -> Result<Vec<Block>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut walker = Walker {
        path,
        lines: LineIndex::new(source, first_line),
        filled,
        blocks: Vec::new(),
        open: None,
        emphasis: Emphasis::default(),
        lists: Vec::new(),
        pending_item: None,
        table: None,
        footnote: None,
        footnotes: HashMap::new(),
        references: Vec::new(),
        warnings,
    };
    for (event, range) in Parser::new_ext(&filled.text, options).into_offset_iter() {
        match &event {
            Event::Text(_) | Event::Code(_) => printed.push(range.clone()),
            Event::InlineHtml(html) | Event::Html(html) if !is_note(html) => {
                printed.push(range.clone());
            }
            _ => {}
        }
        walker.event(event, range.start)?;
    }
    walker.finish()
}

/// An HTML comment: a writer's note (and later, a check switch), never printed.
fn is_note(html: &str) -> bool {
    html.trim_start().starts_with("<!--")
}

/// A block being collected: its inlines, and what it becomes when it closes.
struct Open {
    kind: OpenKind,
    inlines: Vec<Inline>,
    origin: Location,
    soft_break: bool,
    /// Characters of plain text so far, and where each run of them was typed.
    chars: usize,
    spans: Vec<TextSpan>,
}

enum OpenKind {
    Heading(HeadingLevel),
    Paragraph(Option<ListItem>),
    Cell,
}

struct List {
    /// `None` for a bullet list.
    next: Option<u64>,
}

struct TableBuilder {
    alignments: Vec<Alignment>,
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    origin: Location,
}

struct Walker<'a, 'w> {
    path: &'a Path,
    /// Lines of the source as the writer typed it.
    lines: LineIndex<'a>,
    /// The text parsed, and where each piece of it was typed.
    filled: &'a Filled,
    blocks: Vec<Block>,
    open: Option<Open>,
    emphasis: Emphasis,
    lists: Vec<List>,
    /// An item whose first paragraph has not started yet.
    pending_item: Option<ListItem>,
    table: Option<TableBuilder>,
    /// Label and inlines of the footnote definition being read.
    footnote: Option<(String, Vec<Inline>)>,
    footnotes: HashMap<String, Vec<Inline>>,
    /// Footnote references in document order, resolved once all definitions are known.
    references: Vec<(String, Location)>,
    warnings: &'w mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    /// The paragraph just written, taken back as a table's caption if `is` says it is one.
    fn take_caption(&mut self, is: fn(&str) -> bool) -> Option<Vec<Inline>> {
        match self.blocks.last() {
            Some(Block::Paragraph(p))
                if p.item.is_none() && p.lead.is_empty() && is(&plain_text(&p.content)) =>
            {
                match self.blocks.pop() {
                    Some(Block::Paragraph(p)) => Some(p.content),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Where the writer typed what stands at byte `offset` of the filled text.
    fn location(&self, offset: usize) -> Location {
        let (line, column) = self.lines.position(self.filled.source_offset(offset));
        Location::new(self.path, line, column)
    }

    /// Records where the runs of `text`, at byte `offset` of the filled text, were typed.
    fn spans(&mut self, text: &str, offset: usize) {
        let Some(open) = &mut self.open else {
            return;
        };
        for (filled, source, verbatim) in self.filled.pieces(offset, offset + text.len()) {
            let Some(before) = text.get(..filled - offset) else {
                continue;
            };
            let (line, column) = self.lines.position(source);
            open.spans.push(TextSpan {
                at: open.chars + before.chars().count(),
                line,
                column,
                verbatim,
            });
        }
        open.chars += text.chars().count();
    }

    fn event(&mut self, event: Event<'_>, offset: usize) -> Result<()> {
        match event {
            Event::Start(tag) => self.start(tag, offset)?,
            Event::End(tag) => self.end(tag, offset)?,
            Event::Text(text) | Event::Code(text) => self.text(&text, offset),
            Event::InlineHtml(html) | Event::Html(html) => {
                if !is_note(&html) {
                    self.text(&html, offset);
                }
            }
            Event::SoftBreak => {
                if let Some(open) = &mut self.open {
                    open.soft_break = true;
                }
            }
            Event::HardBreak => self.push(Inline::LineBreak, offset),
            Event::FootnoteReference(label) => {
                let location = self.location(offset);
                self.references.push((label.to_string(), location));
                self.push(Inline::Footnote(Vec::new()), offset);
            }
            Event::Rule
            | Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) -> Result<()> {
        match tag {
            Tag::MetadataBlock(_) => {}
            Tag::Heading { level, .. } => {
                let depth = heading_depth(level);
                let level = HeadingLevel::new(depth).ok_or_else(|| {
                    Error::invalid(code::MARKDOWN,
                        self.location(offset),
                        format!(
                            "标题层级过深（第 {depth} 级）。公文标题最多四级：一、（一）1.（1）；请改用四级以内的标题，或改写为正文。"
                        ),
                    )
                })?;
                self.open(OpenKind::Heading(level), offset);
            }
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::HtmlBlock => {
                if self.footnote.is_none() && self.open.is_none() {
                    let item = self.pending_item.take();
                    self.open(OpenKind::Paragraph(item), offset);
                }
            }
            Tag::List(start) => {
                self.close();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.close();
                let nesting = self.lists.len();
                let Some(depth) = u8::try_from(nesting)
                    .ok()
                    .filter(|&depth| depth <= HeadingLevel::DEEPEST)
                else {
                    return Err(Error::invalid(
                        code::MARKDOWN,
                        self.location(offset),
                        format!(
                            "列表嵌套了 {nesting} 层，超过了公文的四级编号（一、（一）1.（1））。请减少列表嵌套。"
                        ),
                    ));
                };
                self.pending_item = match self.lists.last_mut() {
                    Some(List { next: Some(next) }) => {
                        let ordinal = *next;
                        *next += 1;
                        Some(ListItem {
                            depth,
                            ordinal,
                            level: None,
                            marker: String::new(),
                        })
                    }
                    _ => None,
                };
            }
            Tag::Table(alignments) => {
                self.table = Some(TableBuilder {
                    alignments: alignments.into_iter().map(alignment).collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    origin: self.location(offset),
                });
            }
            Tag::TableCell => self.open(OpenKind::Cell, offset),
            Tag::FootnoteDefinition(label) => {
                self.close();
                self.footnote = Some((label.to_string(), Vec::new()));
            }
            Tag::Strong => self.emphasis.bold = true,
            Tag::Emphasis => self.emphasis.italic = true,
            Tag::Image { .. } => {
                return Err(Error::invalid(
                    code::MARKDOWN,
                    self.location(offset),
                    "暂不支持插入图片。请把图片内容改写为文字或表格。",
                ));
            }
            Tag::BlockQuote(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd, offset: usize) -> Result<()> {
        match tag {
            TagEnd::MetadataBlock(_) => {}
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.close()
            }
            TagEnd::Item => {
                self.close();
                self.pending_item = None;
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::TableCell => {
                if let Some(open) = self.open.take() {
                    let cell = finish_inlines(open.inlines);
                    if let Some(table) = &mut self.table {
                        table.row.push(cell);
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header = std::mem::take(&mut table.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    let unit = self.take_caption(is_unit_line);
                    let title = self.take_caption(is_table_title);
                    let mut table = Table {
                        title,
                        unit,
                        header: table.header,
                        rows: table.rows,
                        revision: None,
                        row_revisions: Vec::new(),
                        alignments: table.alignments,
                        origin: table.origin,
                    };
                    table.align_decimals();
                    self.blocks.push(Block::Table(table));
                }
            }
            TagEnd::FootnoteDefinition => {
                if let Some((label, inlines)) = self.footnote.take() {
                    self.footnotes.insert(label, finish_inlines(inlines));
                }
            }
            TagEnd::Strong => self.emphasis.bold = false,
            TagEnd::Emphasis => self.emphasis.italic = false,
            TagEnd::Image => {
                return Err(Error::invalid(
                    code::MARKDOWN,
                    self.location(offset),
                    "暂不支持插入图片。",
                ));
            }
            TagEnd::BlockQuote(_)
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {}
        }
        Ok(())
    }

    fn open(&mut self, kind: OpenKind, offset: usize) {
        self.close();
        self.open = Some(Open {
            kind,
            inlines: Vec::new(),
            origin: self.location(offset),
            soft_break: false,
            chars: 0,
            spans: Vec::new(),
        });
    }

    fn text(&mut self, text: &str, offset: usize) {
        if self.open.is_none() && self.footnote.is_none() {
            // A tight list item's text comes without a paragraph around it.
            let item = self.pending_item.take();
            self.open(OpenKind::Paragraph(item), offset);
        }
        let emphasis = self.emphasis;
        if let Some(open) = &mut self.open
            && std::mem::take(&mut open.soft_break)
            && needs_space(&open.inlines, text)
        {
            open.inlines.push(Inline::Text {
                text: " ".into(),
                emphasis,
            });
            open.chars += 1;
        }
        if self.footnote.is_none() || self.open.is_some() {
            self.spans(text, offset);
        }
        self.push(
            Inline::Text {
                text: text.to_string(),
                emphasis,
            },
            offset,
        );
    }

    fn push(&mut self, inline: Inline, offset: usize) {
        if let Some((_, inlines)) = &mut self.footnote
            && self.open.is_none()
        {
            inlines.push(inline);
            return;
        }
        if self.open.is_none() {
            self.open(OpenKind::Paragraph(None), offset);
        }
        if let Some(open) = &mut self.open {
            if inline == Inline::LineBreak {
                open.chars += 1;
            }
            open.inlines.push(inline);
        }
    }

    /// Turns the open block into a model block.
    fn close(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        // The runs' offsets count from the text as finishing leaves it, its start trimmed.
        let trimmed = match open.inlines.first() {
            Some(Inline::Text { .. }) => plain_text(&open.inlines)
                .chars()
                .take_while(|c| c.is_whitespace())
                .count(),
            _ => 0,
        };
        let spans: Vec<TextSpan> = open
            .spans
            .iter()
            .map(|s| TextSpan {
                at: s.at.saturating_sub(trimmed),
                ..*s
            })
            .collect();
        let mut inlines = finish_inlines(open.inlines);
        let block = match open.kind {
            OpenKind::Heading(level) => {
                let stripped = self.strip_typed_number(&mut inlines, &open.origin);
                Block::Heading(Heading {
                    level,
                    number: String::new(),
                    content: inlines,
                    origin: open.origin,
                    spans: without_first(&spans, stripped),
                    revision: None,
                })
            }
            // A block of only comments (the writer's notes) prints nothing, not an empty line.
            OpenKind::Paragraph(None) if inlines.is_empty() => return,
            OpenKind::Paragraph(item) => {
                let lead = match item {
                    Some(_) => split_lead(&mut inlines),
                    None => Vec::new(),
                };
                Block::Paragraph(Paragraph {
                    item,
                    lead,
                    content: inlines,
                    origin: open.origin,
                    spans,
                    revision: None,
                })
            }
            OpenKind::Cell => return,
        };
        if let Some((_, footnote)) = &mut self.footnote {
            // A heading or paragraph inside a footnote definition is part of the note.
            if let Block::Paragraph(p) = block {
                footnote.extend(p.lead);
                footnote.extend(p.content);
            }
            return;
        }
        self.blocks.push(block);
    }

    /// "一、基本情况" as a heading would be numbered twice: keep the automatic number only.
    /// The characters taken off the start.
    fn strip_typed_number(&mut self, inlines: &mut [Inline], origin: &Location) -> usize {
        let Some(Inline::Text { text, .. }) = inlines.first_mut() else {
            return 0;
        };
        let Some(len) = markers::typed_number(text) else {
            return 0;
        };
        let stripped = text[..len].chars().count();
        let typed = text[..len].trim_end();
        self.warnings.push(
            Diagnostic::warning(
                code::TYPED_NUMBER,
                origin.clone(),
                format!("标题“{text}”里手写了编号“{typed}”，已去掉；标题编号由 gongwen 自动生成"),
            )
            .with_length(typed.chars().count())
            .with_fix("从源文件的标题中删去编号"),
        );
        text.replace_range(..len, "");
        stripped
    }

    fn finish(mut self) -> Result<Vec<Block>> {
        self.close();
        let mut references = std::mem::take(&mut self.references).into_iter();
        for block in &mut self.blocks {
            let inlines: Box<dyn Iterator<Item = &mut Inline>> = match block {
                Block::Heading(h) => Box::new(h.content.iter_mut()),
                Block::Paragraph(p) => Box::new(p.lead.iter_mut().chain(p.content.iter_mut())),
                Block::Table(t) => Box::new(
                    t.title
                        .iter_mut()
                        .chain(t.unit.iter_mut())
                        .chain(t.header.iter_mut())
                        .chain(t.rows.iter_mut().flatten())
                        .flatten(),
                ),
            };
            for inline in inlines {
                if let Inline::Footnote(content) = inline {
                    let Some((label, location)) = references.next() else {
                        continue;
                    };
                    *content = self.footnotes.get(&label).cloned().ok_or_else(|| {
                        Error::invalid(
                            code::MARKDOWN,
                            location,
                            format!(
                                "脚注 [^{label}] 没有定义。请在文末加上“[^{label}]: 脚注内容”。"
                            ),
                        )
                    })?;
                }
            }
        }
        Ok(self.blocks)
    }
}

fn heading_depth(level: MdLevel) -> u8 {
    match level {
        MdLevel::H1 => 1,
        MdLevel::H2 => 2,
        MdLevel::H3 => 3,
        MdLevel::H4 => 4,
        MdLevel::H5 => 5,
        MdLevel::H6 => 6,
    }
}

fn alignment(a: pulldown_cmark::Alignment) -> Alignment {
    match a {
        pulldown_cmark::Alignment::None => Alignment::Default,
        pulldown_cmark::Alignment::Left => Alignment::Left,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        pulldown_cmark::Alignment::Right => Alignment::Right,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// A soft line break is a space between Latin words and nothing next to Chinese text.
fn needs_space(before: &[Inline], after: &str) -> bool {
    let last = before.iter().rev().find_map(|inline| match inline {
        Inline::Text { text, .. } => text.chars().next_back(),
        _ => None,
    });
    let next = after.chars().next();
    match (last, next) {
        (Some(a), Some(b)) => !is_cjk(a) && !is_cjk(b),
        _ => false,
    }
}

/// Merges neighbouring runs of the same emphasis and trims the block's outer whitespace.
/// "单位：万元" (or 单位:万元): a table's unit line.
pub fn is_unit_line(text: &str) -> bool {
    text.strip_prefix("单位")
        .and_then(|rest| rest.strip_prefix(['：', ':']))
        .is_some_and(|unit| !unit.trim().is_empty() && unit.chars().count() <= 10)
}

/// "表1 …", "表一 …": a table's title.
pub fn is_table_title(text: &str) -> bool {
    text.strip_prefix('表')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

fn finish_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (
            Some(Inline::Text {
                text: prev,
                emphasis: a,
            }),
            Inline::Text { text, emphasis: b },
        ) = (out.last_mut(), &inline)
            && a == b
        {
            prev.push_str(text);
            continue;
        }
        out.push(inline);
    }
    if let Some(Inline::Text { text, .. }) = out.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = out.last_mut() {
        *text = text.trim_end().to_string();
    }
    out.retain(|inline| !matches!(inline, Inline::Text { text, .. } if text.is_empty()));
    out
}

/// A list item that starts in bold has a run-in heading: "**收集绩效管理信息**。我单位……".
/// The heading part keeps the punctuation that closes it.
fn split_lead(inlines: &mut Vec<Inline>) -> Vec<Inline> {
    let starts_bold =
        matches!(inlines.first(), Some(Inline::Text { emphasis, .. }) if emphasis.bold);
    if !starts_bold {
        return Vec::new();
    }
    let mut lead = vec![inlines.remove(0)];
    if let Some(Inline::Text { text, .. }) = inlines.first_mut()
        && let Some(stop) = text
            .chars()
            .next()
            .filter(|c| matches!(c, '。' | '：' | '.'))
    {
        text.replace_range(..stop.len_utf8(), "");
        lead.push(Inline::plain(stop.to_string()));
        if text.is_empty() {
            inlines.remove(0);
        }
    }
    for inline in &mut lead {
        if let Inline::Text { emphasis, .. } = inline {
            // The heading font carries the emphasis; bold is the style's decision.
            emphasis.bold = false;
        }
    }
    lead
}

/// The runs of a text whose first `count` characters were taken off: a run that started
/// among them starts at the text's start, as far in as it was typed.
fn without_first(spans: &[TextSpan], count: usize) -> Vec<TextSpan> {
    let mut out: Vec<TextSpan> = Vec::with_capacity(spans.len());
    for (i, span) in spans.iter().enumerate() {
        let end = spans.get(i + 1).map_or(usize::MAX, |next| next.at);
        if end <= count {
            continue;
        }
        let cut = count.saturating_sub(span.at);
        out.push(TextSpan {
            at: span.at.saturating_sub(count),
            column: if span.verbatim {
                span.column + cut
            } else {
                span.column
            },
            ..*span
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every event CommonMark reads from `markdown`, and whether anything but one
    /// paragraph of text was read.
    fn read(markdown: &str) -> (String, bool) {
        let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
        let mut text = String::new();
        let mut markup = false;
        for event in Parser::new_ext(markdown, options) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                _ => markup = true,
            }
        }
        (text, markup)
    }

    #[test]
    fn escaped_text_reads_back_as_typed() {
        for text in [
            "# 标题",
            "- 项",
            "+ 项",
            "=",
            "1. 项",
            "2) 项",
            "1．第一项",
            "90.54%",
            "**粗** _斜_ `码` ~~删~~ [链](x) ![图](y) <b>",
            "R&amp;D &lt;b&gt; &#123;",
            "甲 | 乙 | 丙",
            "[^1] \\ $x$ {x}",
        ] {
            assert_eq!(
                read(&crate::document::literal::escape_literal(text, true)),
                (text.to_string(), false)
            );
        }
    }

    /// Markdown's characters, digits, the letters of entities and Chinese, as a regex class.
    const CHARS: &str = r#"#*+=_`<>!|~&$.)(:;%^'"@\\\[\]{}\-0-9amplgtx甲乙．（）"#;

    proptest::proptest! {
        /// Any one-line text of those characters with inner spaces.
        #[test]
        fn any_escaped_line_reads_back_as_typed(
            text in proptest::string::string_regex(&format!("[{CHARS}]([{CHARS} ]{{0,30}}[{CHARS}])?")).unwrap()
        ) {
            proptest::prop_assert_eq!(read(&crate::document::literal::escape_literal(&text, true)), (text.clone(), false));
        }
    }
}

#[cfg(test)]
mod heading_spans {
    use super::*;

    fn headings(source: &str) -> Vec<Heading> {
        let mut warnings = Vec::new();
        let filled = Filled::verbatim(source.to_string());
        let blocks = parse_blocks(
            Path::new("a.md"),
            source,
            &filled,
            1,
            &mut warnings,
            &mut Vec::new(),
        )
        .unwrap();
        blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(h),
                _ => None,
            })
            .collect()
    }

    /// A heading's text maps to where it was typed, a typed number (taken off) aside.
    #[test]
    fn a_heading_keeps_where_its_text_was_typed() {
        let [plain, numbered] = &headings("# 基本情况\n\n## 一、具体 **措施**\n")[..]
        else {
            panic!("two headings");
        };
        let at = |h: &Heading, offset| TextSpan::locate(&h.spans, &h.origin, offset);
        assert_eq!(at(plain, 0), Location::new("a.md", 1, 3));
        assert_eq!(plain_text(&numbered.content), "具体 措施");
        assert_eq!(at(numbered, 0), Location::new("a.md", 3, 6));
        assert_eq!(at(numbered, 3), Location::new("a.md", 3, 11));
    }
}
