//! The report as a web page for `gongwen serve`: pages in the style's layout (lines of the
//! grid's characters, pages of its lines, broken as Word breaks plain text), then the
//! 自评表 as a table, with every figure's source and every diagnostic at its place. Pure: the
//! same inputs give the same bytes, and every text of the report is escaped.
//!
//! Lines are counted as the layout tests count them (docs/dev/layout.md): a Chinese
//! character takes a grid cell, a Latin letter or a digit half of one; a line may not start
//! with a closing mark nor end with an opening one; a run of Latin letters and digits is not
//! split; a heading is kept on the page of the line after it. Tables and footnotes do not
//! sit on the grid: a page holding a table or a footnote is marked as approximate.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::diag::{Diagnostic, Location};
use crate::document::model::{Block, Document, Inline, Paragraph, Table, TextSpan};
use crate::input::style::{Element, Style};
use crate::render::grid::{Role, ScoreTable, Slot};
use crate::render::xml::escaped;

/// Characters that may not start a line (避头) and may not end one (避尾).
const NO_LINE_START: &str = "，。、；：？！）》」』”’%…";
const NO_LINE_END: &str = "（《「『“‘";

/// What the page is made from.
pub struct Preview<'a> {
    pub document: &'a Document,
    pub style: &'a Style,
    pub score_table: Option<&'a ScoreTable>,
    /// Build warnings, check findings, or the error of a build that failed.
    pub diagnostics: &'a [Diagnostic],
    /// Whether the diagnostics point into this document; false when it is an earlier good
    /// build shown while the sources have an error.
    pub current: bool,
    /// The source of the figure whose placeholder starts at a place, said in one line.
    pub figure_source: &'a dyn Fn(&Location) -> Option<String>,
    /// The report directory, from which file names are shown.
    pub root: &'a Path,
    /// Changes with each rebuild that changes the page; the page polls for it.
    pub version: u64,
    /// The preview face standing in for an official font on this computer, by font name.
    pub faces: &'a BTreeMap<String, String>,
}

/// A character on a line and what it carries: its element's font, emphasis, figure source
/// and diagnostics (indices into [`Marks`]).
#[derive(Clone, Copy, PartialEq)]
struct Cell {
    c: char,
    mark: usize,
}

#[derive(Clone, PartialEq, Eq, Hash, Default)]
struct Mark {
    bold: bool,
    italic: bool,
    figure: Option<String>,
    diagnostics: Vec<usize>,
    footnote: Option<String>,
}

/// Each distinct mark once, numbered in the order first met.
#[derive(Default)]
struct Marks(Vec<Mark>, HashMap<Mark, usize>);

impl Marks {
    fn id(&mut self, mark: Mark) -> usize {
        if let Some(&i) = self.1.get(&mark) {
            return i;
        }
        self.0.push(mark.clone());
        self.1.insert(mark, self.0.len() - 1);
        self.0.len() - 1
    }
}

/// One line of the grid.
enum Line {
    Blank,
    Text {
        class: &'static str,
        cells: Vec<Cell>,
        /// First-line indent, in characters.
        indent: u8,
        /// Filled to the end: justified.
        full: bool,
        align: &'static str,
    },
    /// A table: not on the grid; `lines` is its estimated height.
    Table {
        html: String,
        lines: usize,
    },
}

/// The page's numbers, from the style.
struct Geometry {
    /// Half-width cells on a body line (28 characters: 56).
    line_cells: usize,
    lines_per_page: usize,
}

fn pt_from_mm(mm: Decimal) -> Decimal {
    mm * Decimal::from(72) / Decimal::new(254, 1)
}

impl Geometry {
    fn of(style: &Style) -> Geometry {
        let page = &style.page;
        let height = pt_from_mm(page.height_mm - page.margin_top_mm - page.margin_bottom_mm);
        let lines = (height / style.grid.line_pitch_pt).floor();
        Geometry {
            line_cells: 2 * characters_per_line(style, &style.body),
            lines_per_page: lines.to_usize().unwrap_or(1).max(1),
        }
    }
}

/// How many characters of an element fit on a line of the text block.
fn characters_per_line(style: &Style, element: &Element) -> usize {
    let page = &style.page;
    let width = pt_from_mm(page.width_mm - page.margin_left_mm - page.margin_right_mm);
    let advance = element.size_pt + style.grid.character_spacing_pt;
    if advance <= Decimal::ZERO {
        return 1;
    }
    (width / advance).floor().to_usize().unwrap_or(1).max(1)
}

/// Half-width cells a character takes: one for ASCII, two for anything else.
fn cells_of(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Breaks a paragraph's cells into lines of `capacity` half-width cells, the first indented
/// by `indent` characters: each line with whether it was filled (ended by the width, not by
/// the text or a line break).
fn break_lines(cells: &[Cell], capacity: usize, indent: usize) -> Vec<(Vec<Cell>, bool)> {
    let mut lines = Vec::new();
    let mut line: Vec<Cell> = Vec::new();
    let mut used = (indent * 2).min(capacity.saturating_sub(2));
    for &cell in cells {
        if cell.c == '\n' {
            lines.push((std::mem::take(&mut line), false));
            used = 0;
            continue;
        }
        let width = cells_of(cell.c);
        if used + width > capacity && !line.is_empty() {
            let carried = carried_over(&line, cell.c);
            let next = line.split_off(line.len() - carried);
            lines.push((std::mem::take(&mut line), true));
            used = next.iter().map(|c| cells_of(c.c)).sum();
            line = next;
        }
        line.push(cell);
        used += width;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push((line, false));
    }
    lines
}

/// How many characters at the end of a full `line` go down to the next, before `next`: the
/// last one when `next` may not start a line or it may not end one; a run of Latin letters
/// and digits whole. Never the whole line.
fn carried_over(line: &[Cell], next: char) -> usize {
    let last = line[line.len() - 1].c;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == ',';
    let carried = if is_word(next) && is_word(last) {
        line.iter().rev().take_while(|c| is_word(c.c)).count()
    } else if NO_LINE_START.contains(next) || NO_LINE_END.contains(last) {
        1
    } else {
        0
    };
    if carried >= line.len() { 0 } else { carried }
}

/// The diagnostics by the file and line they point at.
type ByLine<'a> = BTreeMap<(&'a Path, usize), Vec<usize>>;

/// The diagnostics by each character they cover: file, line, column.
type ByColumn<'a> = HashMap<(&'a Path, usize, usize), Vec<usize>>;

/// The most characters one diagnostic is marked on: thousands of findings in one long
/// paragraph stay a lookup per character.
const MARKED_LENGTH: usize = 4096;

struct Renderer<'a> {
    preview: &'a Preview<'a>,
    geometry: Geometry,
    marks: Marks,
    by_line: ByLine<'a>,
    by_column: ByColumn<'a>,
    /// Diagnostics marked somewhere in the pages.
    placed: Vec<bool>,
    /// The figure source of the last placeholder looked up, by its span: each of its
    /// characters asks.
    last_figure: Option<(usize, Location, Option<String>)>,
}

impl<'a> Renderer<'a> {
    fn new(preview: &'a Preview<'a>) -> Self {
        let mut by_line: ByLine<'a> = BTreeMap::new();
        let mut by_column: ByColumn<'a> = HashMap::new();
        if preview.current {
            for (i, d) in preview.diagnostics.iter().enumerate() {
                let (file, line) = (d.location.file.as_path(), d.location.line);
                by_line.entry((file, line)).or_default().push(i);
                let length = usize::try_from(d.length).unwrap_or(MARKED_LENGTH);
                for column in (d.location.column..).take(length.clamp(1, MARKED_LENGTH)) {
                    by_column.entry((file, line, column)).or_default().push(i);
                }
            }
        }
        Renderer {
            preview,
            geometry: Geometry::of(preview.style),
            marks: Marks::default(),
            by_line,
            by_column,
            placed: vec![false; preview.diagnostics.len()],
            last_figure: None,
        }
    }

    fn figure_of(&mut self, span: usize, at: &Location) -> Option<String> {
        if let Some((last, place, figure)) = &self.last_figure
            && *last == span
            && place == at
        {
            return figure.clone();
        }
        let figure = (self.preview.figure_source)(at);
        self.last_figure = Some((span, at.clone(), figure.clone()));
        figure
    }

    /// The diagnostics that cover the character typed at `at`.
    fn diagnostics_at(&mut self, at: &Location) -> Vec<usize> {
        let key = (at.file.as_path(), at.line, at.column);
        let Some(covering) = self.by_column.get(&key) else {
            return Vec::new();
        };
        for &i in covering {
            self.placed[i] = true;
        }
        covering.clone()
    }

    /// Every diagnostic on `origin`'s line not marked elsewhere: for a heading or a table.
    fn diagnostics_on_line(&mut self, origin: &Location) -> Vec<usize> {
        let found = self
            .by_line
            .get(&(origin.file.as_path(), origin.line))
            .cloned()
            .unwrap_or_default();
        for &i in &found {
            self.placed[i] = true;
        }
        found
    }

    fn plain_cells(&mut self, text: &str, mark: Mark) -> Vec<Cell> {
        let mark = self.marks.id(mark);
        text.chars().map(|c| Cell { c, mark }).collect()
    }

    /// Inline content as cells, each character's place found from `spans` (offsets count
    /// from `start`, the characters before it in the paragraph's plain text).
    fn inline_cells(
        &mut self,
        inlines: &[Inline],
        bold: bool,
        located: Option<(&[TextSpan], &Location)>,
        start: &mut usize,
    ) -> Vec<Cell> {
        let mut out = Vec::new();
        for inline in inlines {
            let (text, emphasis) = match inline {
                Inline::Text { text, emphasis } => (text.as_str(), *emphasis),
                Inline::Revised { text, .. } => (text.as_str(), Default::default()),
                Inline::LineBreak => ("\n", Default::default()),
                Inline::Footnote(note) | Inline::RevisedFootnote { note, .. } => {
                    let text = crate::document::model::plain_text(note);
                    let mark = self.marks.id(Mark {
                        footnote: Some(text),
                        ..Mark::default()
                    });
                    out.push(Cell { c: '注', mark });
                    continue;
                }
            };
            for c in text.chars() {
                let mut mark = Mark {
                    bold: bold || emphasis.bold,
                    italic: emphasis.italic,
                    ..Mark::default()
                };
                if let Some((spans, origin)) = located {
                    let at = TextSpan::locate(spans, origin, *start);
                    let i = spans.partition_point(|s| s.at <= *start);
                    let placeholder = i.checked_sub(1).filter(|&i| !spans[i].verbatim).map(|i| {
                        (
                            i,
                            Location::new(&origin.file, spans[i].line, spans[i].column),
                        )
                    });
                    if let Some((i, placeholder)) = placeholder {
                        mark.figure = self.figure_of(i, &placeholder);
                    }
                    mark.diagnostics = self.diagnostics_at(&at);
                }
                let mark = self.marks.id(mark);
                out.push(Cell { c, mark });
                *start += 1;
            }
        }
        out
    }

    fn paragraph_cells(&mut self, paragraph: &Paragraph) -> Vec<Cell> {
        let marker = paragraph.item.as_ref().map(|i| i.marker.clone());
        let mut cells = match marker {
            Some(marker) => self.plain_cells(&marker, Mark::default()),
            None => Vec::new(),
        };
        let located = Some((paragraph.spans.as_slice(), &paragraph.origin));
        let mut start = 0;
        cells.extend(self.inline_cells(&paragraph.lead, true, located, &mut start));
        cells.extend(self.inline_cells(&paragraph.content, false, located, &mut start));
        cells
    }

    fn text_lines(
        &self,
        cells: &[Cell],
        element: &Element,
        class: &'static str,
        lines: &mut Vec<Line>,
    ) {
        let capacity = 2 * characters_per_line(self.preview.style, element);
        let indent = element.first_line_indent_chars;
        let align = align_of(element);
        for (i, (cells, full)) in break_lines(cells, capacity, usize::from(indent))
            .into_iter()
            .enumerate()
        {
            lines.push(Line::Text {
                class,
                cells,
                indent: if i == 0 { indent } else { 0 },
                full,
                align,
            });
        }
    }

    /// The document as lines, each heading's last line flagged to stay with the next.
    fn lines(&mut self) -> Vec<(Line, bool)> {
        let preview = self.preview;
        let style = preview.style;
        let document = preview.document;
        let mut out: Vec<(Line, bool)> = Vec::new();
        let push = |lines: Vec<Line>, keep: bool, out: &mut Vec<(Line, bool)>| {
            let n = lines.len();
            out.extend(
                lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| (l, keep && i + 1 == n)),
            );
        };
        if let Some(label) = &document.attachment {
            let cells = self.plain_cells(label, Mark::default());
            let mut lines = Vec::new();
            self.text_lines(&cells, &style.attachment_label, "label", &mut lines);
            push(lines, false, &mut out);
        }
        let title = &style.title;
        let blank = |n: u8| (0..n).map(|_| Line::Blank).collect::<Vec<_>>();
        push(blank(title.lines_before), false, &mut out);
        let cells = self.plain_cells(&document.title, Mark::default());
        let mut lines = Vec::new();
        let per_line = characters_per_line(style, title);
        // Balanced lines, as the title is set: each as long as the others.
        let count = cells.len().div_ceil(per_line.max(1)).max(1);
        let each = cells.len().div_ceil(count).max(1);
        for chunk in cells.chunks(each) {
            lines.push(Line::Text {
                class: "title",
                cells: chunk.to_vec(),
                indent: 0,
                full: false,
                align: "center",
            });
        }
        push(lines, false, &mut out);
        push(blank(title.lines_after), false, &mut out);
        for block in &document.blocks {
            let mut lines = Vec::new();
            match block {
                Block::Heading(heading) => {
                    let level = heading.level.index();
                    let diagnostics = self.diagnostics_on_line(&heading.origin);
                    let mark = Mark {
                        diagnostics,
                        ..Mark::default()
                    };
                    let mut cells = self.plain_cells(&heading.number, mark.clone());
                    let text = crate::document::model::plain_text(&heading.content);
                    cells.extend(self.plain_cells(&text, mark));
                    let class = ["h1", "h2", "h3", "h4"][level.min(3)];
                    self.text_lines(&cells, &style.headings[level.min(3)], class, &mut lines);
                    push(lines, true, &mut out);
                }
                Block::Paragraph(paragraph) => {
                    let cells = self.paragraph_cells(paragraph);
                    self.text_lines(&cells, &style.body, "body", &mut lines);
                    push(lines, false, &mut out);
                }
                Block::Table(table) => {
                    let diagnostics = self.diagnostics_on_line(&table.origin);
                    let line = self.table(table, &diagnostics);
                    push(vec![line], false, &mut out);
                }
            }
        }
        out
    }

    /// A table of the report, with its estimated height in lines: its title and unit, and
    /// each row as many lines as its longest cell takes in an equal share of the width.
    fn table(&mut self, table: &Table, diagnostics: &[usize]) -> Line {
        let mut html = String::new();
        let columns = table.header.len().max(1);
        let per_cell = (self.geometry.line_cells / columns).max(2);
        let mut lines = 0;
        let marked = diagnostic_attributes(diagnostics);
        let _ = write!(html, "<div class=\"table\"{marked}>");
        for (class, part) in [("table-title", &table.title), ("table-unit", &table.unit)] {
            if let Some(part) = part {
                let text = crate::render::text::inline_text(part);
                let _ = write!(html, "<div class=\"{class}\">{}</div>", escaped(&text));
                lines += 1;
            }
        }
        html.push_str("<table>");
        for (i, row) in std::iter::once(&table.header)
            .chain(&table.rows)
            .enumerate()
        {
            html.push_str("<tr>");
            let tag = if i == 0 { "th" } else { "td" };
            let mut tallest = 1;
            for cell in row {
                let text = crate::render::text::inline_text(cell);
                let width: usize = text.chars().map(cells_of).sum();
                tallest = tallest.max(width.div_ceil(per_cell));
                let _ = write!(html, "<{tag}>{}</{tag}>", escaped(&text));
            }
            lines += tallest;
            html.push_str("</tr>");
        }
        html.push_str("</table></div>");
        Line::Table { html, lines }
    }

    /// The lines put on pages: a page holds the grid's lines; a heading's last line does not
    /// end a page (it goes over with its heading).
    fn pages(&mut self) -> Vec<Vec<Line>> {
        let per_page = self.geometry.lines_per_page;
        let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
        let mut used = 0;
        let lines = self.lines();
        let mut i = 0;
        while i < lines.len() {
            // A heading goes on with the next line: both fit, or both start the next page.
            let mut group = 1;
            while i + group - 1 < lines.len() && lines[i + group - 1].1 && i + group < lines.len() {
                group += 1;
            }
            let height: usize = lines[i..i + group]
                .iter()
                .map(|(l, _)| match l {
                    Line::Table { lines, .. } => *lines,
                    _ => 1,
                })
                .sum();
            if used > 0 && used + height > per_page {
                let at_top = matches!(lines[i].0, Line::Blank);
                pages.push(Vec::new());
                used = 0;
                if at_top {
                    i += 1;
                    continue;
                }
            }
            used += height;
            let page = pages.len() - 1;
            pages[page].extend(lines[i..i + group].iter().map(|(line, _)| clone_line(line)));
            i += group;
        }
        pages
    }

    fn cells_html(&self, cells: &[Cell], out: &mut String) {
        let mut i = 0;
        while i < cells.len() {
            let mark = cells[i].mark;
            let end = cells[i..]
                .iter()
                .position(|c| c.mark != mark)
                .map_or(cells.len(), |n| i + n);
            let text: String = cells[i..end].iter().map(|c| c.c).collect();
            let m = &self.marks.0[mark];
            if let Some(note) = &m.footnote {
                let _ = write!(
                    out,
                    "<sup class=\"footnote\" title=\"注：{}\">注</sup>",
                    escaped(note)
                );
                i = end;
                continue;
            }
            let mut classes = Vec::new();
            if m.bold {
                classes.push("b".to_string());
            }
            if m.italic {
                classes.push("i".to_string());
            }
            let mut attributes = String::new();
            if let Some(source) = &m.figure {
                classes.push("figure".to_string());
                let source = escaped(source);
                let _ = write!(attributes, " data-source=\"{source}\" title=\"{source}\"");
            }
            if let Some(worst) = m
                .diagnostics
                .iter()
                .map(|&d| self.preview.diagnostics[d].severity)
                .max()
            {
                classes.push(format!("diag {}", worst.name()));
                attributes.push_str(&diagnostic_attributes(&m.diagnostics));
            }
            if classes.is_empty() {
                out.push_str(&escaped(&text));
            } else {
                let _ = write!(
                    out,
                    "<span class=\"{}\"{attributes}>{}</span>",
                    classes.join(" "),
                    escaped(&text)
                );
            }
            i = end;
        }
    }

    fn render(mut self) -> String {
        let pages = self.pages();
        let preview = self.preview;
        let mut body = String::new();
        for (n, page) in pages.iter().enumerate() {
            // Tables and footnotes take space the grid does not count.
            let approximate = page.iter().any(|line| match line {
                Line::Table { .. } => true,
                Line::Text { cells, .. } => cells
                    .iter()
                    .any(|cell| self.marks.0[cell.mark].footnote.is_some()),
                Line::Blank => false,
            });
            let _ = write!(
                body,
                "<section class=\"page{}\" data-page=\"{}\">",
                if approximate { " approximate" } else { "" },
                n + 1
            );
            for line in page {
                match line {
                    Line::Blank => body.push_str("<div class=\"l\"></div>"),
                    Line::Text {
                        class,
                        cells,
                        indent,
                        full,
                        align,
                    } => {
                        let full = if *full { " full" } else { "" };
                        let _ = write!(
                            body,
                            "<div class=\"l {class}{full} {align}\" data-chars=\"{}\"",
                            cells.len()
                        );
                        if *indent > 0 {
                            let _ = write!(body, " style=\"text-indent:{indent}em\"");
                        }
                        body.push('>');
                        self.cells_html(cells, &mut body);
                        body.push_str("</div>");
                    }
                    Line::Table { html, .. } => body.push_str(html),
                }
            }
            let _ = write!(body, "<div class=\"number\">— {} —</div></section>", n + 1);
        }
        if let Some(table) = preview.score_table {
            score_table_html(table, &mut body);
        }
        let mut aside = String::new();
        let count = preview.diagnostics.len();
        let _ = write!(aside, "<h2>检查结果（{count} 条）</h2>");
        if !preview.current {
            aside.push_str(
                "<p class=\"stale\">报告有错误，未能重新生成；左边是上一次生成成功的版本。改正下面的错误并保存后自动刷新。</p>",
            );
        }
        if count == 0 {
            aside.push_str("<p>没有发现问题。</p>");
        }
        aside.push_str("<ol>");
        for (i, d) in preview.diagnostics.iter().enumerate() {
            let at = &d.location;
            let file = at.file.strip_prefix(preview.root).unwrap_or(&at.file);
            let place = if at.line == 0 {
                file.display().to_string()
            } else {
                format!("{}:{}:{}", file.display(), at.line, at.column)
            };
            let placed = if self.placed[i] { " placed" } else { "" };
            let _ = write!(
                aside,
                "<li id=\"d{i}\" class=\"{}{placed}\"><span class=\"place\">{}</span> <span class=\"code\">{}</span> {}",
                d.severity.name(),
                escaped(&place),
                escaped(d.code),
                escaped(&d.message)
            );
            if !d.fix().is_empty() {
                let _ = write!(aside, "<div class=\"fix\">{}</div>", escaped(d.fix()));
            }
            aside.push_str("</li>");
        }
        aside.push_str("</ol>");
        let title = escaped(&preview.document.title);
        let css = self.css();
        format!(
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>预览：{title}</title><style>{css}</style></head>\n<body data-version=\"{}\"><main id=\"pages\">{body}</main><aside id=\"diagnostics\">{aside}</aside><script src=\"{SCRIPT_PATH}\"></script></body></html>\n",
            escaped(&preview.style.language),
            preview.version
        )
    }

    /// The layout as CSS: the page and its margins, a line a grid line, each element in its
    /// font list.
    fn css(&self) -> String {
        let style = self.preview.style;
        let page = &style.page;
        let family = |element: &Element| self.font_family(&element.font);
        let mut css = format!(
            "body{{margin:0;background:#e8e8e8;display:flex;gap:16px;align-items:flex-start}}\
             main{{flex:1 1 auto;min-width:0;padding:16px}}\
             .page{{position:relative;box-sizing:border-box;width:{}mm;height:{}mm;padding:{}mm {}mm {}mm {}mm;margin:0 0 16px;background:#fff;box-shadow:0 1px 4px #999;overflow:hidden}}\
             .page.approximate{{height:auto;min-height:{}mm}}\
             .l{{height:{pitch}pt;line-height:{pitch}pt;white-space:pre;overflow:visible;font-size:{}pt;letter-spacing:{}pt;font-family:{}}}\
             .full{{text-align:justify;text-align-last:justify;text-justify:inter-character}}\
             .left{{text-align:left}}.center{{text-align:center}}.right{{text-align:right}}\
             .b{{font-weight:bold}}.i{{font-style:italic}}\
             .figure{{background:#e6f0ff;cursor:help}}\
             .diag{{text-decoration:underline wavy;text-decoration-skip-ink:none}}.diag.error{{text-decoration-color:#d00}}.diag.warning{{text-decoration-color:#c80}}\
             .footnote{{color:#06c;cursor:help}}\
             .number{{position:absolute;bottom:{}mm;left:0;right:0;padding:0 {}mm 0 {}mm;font-size:{}pt;font-family:{}}}\
             .page:nth-of-type(odd) .number{{text-align:right}}.page:nth-of-type(even) .number{{text-align:left}}\
             .table table,.score-table table{{border-collapse:collapse;width:100%}}\
             .table td,.table th,.score-table td{{border:{}pt solid #000;padding:2pt 5pt;font-size:{}pt;font-family:{}}}\
             .table-title{{text-align:center;font-family:{}}}.table-unit{{text-align:right}}\
             .score-table{{background:#fff;padding:16px;margin:0 0 16px;box-shadow:0 1px 4px #999;overflow-x:auto}}\
             .score-table h2{{text-align:center;font-family:{}}}.score-table .label{{font-weight:bold;text-align:center}}.score-table .value{{text-align:center}}\
             aside{{flex:0 0 24em;position:sticky;top:0;max-height:100vh;overflow:auto;padding:16px;font-family:sans-serif;font-size:14px}}\
             aside li{{margin:0 0 8px}}aside .error .code{{color:#d00}}aside .warning .code{{color:#c80}}aside .place{{color:#555}}aside .fix{{color:#060}}aside .stale{{color:#d00}}",
            page.width_mm,
            page.height_mm,
            page.margin_top_mm,
            page.margin_right_mm,
            page.margin_bottom_mm,
            page.margin_left_mm,
            // A page with a table grows rather than hide what the estimate left out.
            page.height_mm,
            style.body.size_pt,
            style.grid.character_spacing_pt,
            family(&style.body),
            // The page number's line sits below the text block.
            (page.footer_mm - Decimal::from(5)).max(Decimal::ZERO),
            page.margin_right_mm,
            page.margin_left_mm,
            style.page_number.size_pt,
            self.font_family(&style.page_number.font),
            style.table.border_pt,
            style.table.size_pt,
            self.font_family(&style.table.font),
            self.font_family(style.table.header_font()),
            family(&style.title),
            pitch = style.grid.line_pitch_pt,
        );
        for (class, element) in [
            ("label", &style.attachment_label),
            ("title", &style.title),
            ("h1", &style.headings[0]),
            ("h2", &style.headings[1]),
            ("h3", &style.headings[2]),
            ("h4", &style.headings[3]),
        ] {
            let weight = if element.bold { "bold" } else { "normal" };
            let _ = write!(
                css,
                ".{class}{{font-family:{};font-size:{}pt;font-weight:{weight}}}",
                family(element),
                element.size_pt
            );
        }
        css
    }

    /// A CSS font list: the style's font, the face Word and WPS put in its place, the free
    /// face of the preview's font map, then the generic family.
    fn font_family(&self, font: &str) -> String {
        let style = self.preview.style;
        let mut names = vec![font];
        names.extend(style.font_substitutes.get(font).map(String::as_str));
        names.extend(self.preview.faces.get(font).map(String::as_str));
        let mut list: Vec<String> = names.iter().map(|name| css_string(name)).collect();
        list.push("serif".to_string());
        list.join(",")
    }
}

/// A font name as a CSS string: quoted, with anything but letters, digits, spaces and the
/// few marks font names use left out, so no name can end the rule.
fn css_string(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
        .collect();
    format!("\"{kept}\"")
}

fn clone_line(line: &Line) -> Line {
    match line {
        Line::Blank => Line::Blank,
        Line::Text {
            class,
            cells,
            indent,
            full,
            align,
        } => Line::Text {
            class,
            cells: cells.clone(),
            indent: *indent,
            full: *full,
            align,
        },
        Line::Table { html, lines } => Line::Table {
            html: html.clone(),
            lines: *lines,
        },
    }
}

fn align_of(element: &Element) -> &'static str {
    use crate::input::style::Align;
    match element.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    }
}

/// ` data-diagnostics="d0 d3"`: the diagnostics a mark stands for, by their ids in the list.
fn diagnostic_attributes(diagnostics: &[usize]) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = diagnostics.iter().map(|i| format!("d{i}")).collect();
    format!(" data-diagnostics=\"{}\"", ids.join(" "))
}

/// The 自评表 as one HTML table per part, with its merged cells.
fn score_table_html(table: &ScoreTable, out: &mut String) {
    let _ = write!(
        out,
        "<section class=\"score-table\"><h2>{}</h2>",
        escaped(&table.title)
    );
    for grid in &table.parts {
        out.push_str("<table>");
        for row in &grid.rows {
            out.push_str("<tr>");
            for slot in row {
                let Slot::Cell(cell) = slot else { continue };
                let class = match cell.role {
                    Role::Label => "label",
                    Role::Value => "value",
                    Role::Text => "text",
                };
                let _ = write!(
                    out,
                    "<td class=\"{class}\" colspan=\"{}\" rowspan=\"{}\">{}</td>",
                    cell.span,
                    cell.rows,
                    escaped(&cell.content.display())
                );
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
}

/// Where the page loads [`SCRIPT`] from: a file of the server's own, so that the page's
/// policy lets no inline script run.
pub const SCRIPT_PATH: &str = "/preview.js";

/// Polls `/version`; when it changes, fetches the page and puts its body in place (no
/// reload: the scroll position stays). With `?measure`, writes into each page what the
/// browser laid out: its lines, how many run past the text block's width, and whether the
/// last one ends inside the block, for a test in a browser.
pub const SCRIPT: &str = r#"
(function(){
  function measure(){
    if(location.search.indexOf('measure')<0)return;
    document.querySelectorAll('.page').forEach(function(p){
      var lines=p.querySelectorAll('.l');var over=0;
      lines.forEach(function(l){if(l.scrollWidth>l.clientWidth+1)over++;});
      var style=getComputedStyle(p);
      var bottom=p.getBoundingClientRect().bottom-parseFloat(style.paddingBottom);
      var last=lines.length?lines[lines.length-1].getBoundingClientRect().bottom:0;
      p.setAttribute('data-measured-lines',String(lines.length));
      p.setAttribute('data-measured-overflowing',String(over));
      p.setAttribute('data-measured-fits',String(last<=bottom+0.5));
    });
    // The grid as the browser sets it: body characters on a line, lines in the text block.
    var page=document.querySelector('.page');if(!page)return;
    var block=document.createElement('div');block.style.height='100%';page.appendChild(block);
    var probe=document.createElement('span');probe.className='l body';probe.style.display='inline-block';
    block.appendChild(probe);var n=0;
    while(n<200){probe.textContent=new Array(n+2).join('\u5b57');if(probe.getBoundingClientRect().width>block.clientWidth+0.5)break;n++;}
    var rows=Math.floor((block.clientHeight+0.5)/probe.getBoundingClientRect().height);
    page.removeChild(block);
    document.body.setAttribute('data-measured-characters',String(n));
    document.body.setAttribute('data-measured-rows',String(rows));
  }
  measure();
  function poll(){
    fetch('/version',{cache:'no-store'}).then(function(r){return r.text();}).then(function(v){
      if(v.trim()!==document.body.getAttribute('data-version')){
        return fetch('/',{cache:'no-store'}).then(function(r){return r.text();}).then(function(html){
          var next=new DOMParser().parseFromString(html,'text/html');
          document.getElementById('pages').innerHTML=next.getElementById('pages').innerHTML;
          document.getElementById('diagnostics').innerHTML=next.getElementById('diagnostics').innerHTML;
          document.body.setAttribute('data-version',next.body.getAttribute('data-version'));
          measure();
        });
      }
    }).catch(function(){}).then(function(){setTimeout(poll,500);});
  }
  setTimeout(poll,500);
})();
"#;

/// The page, as `gongwen serve` sends it.
pub fn page(preview: &Preview) -> String {
    Renderer::new(preview).render()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::{Preview, page};
    use crate::diag::{Diagnostic, Location};
    use crate::document::model::{
        Block, Document, Heading, HeadingLevel, Inline, Paragraph, TextSpan,
    };
    use crate::input::style::{self, Style};

    fn style() -> Style {
        style::Source::Builtin(style::DEFAULT).load().unwrap()
    }

    fn paragraph(text: &str, spans: Vec<TextSpan>) -> Block {
        Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content: vec![Inline::plain(text)],
            origin: Location::new("a.md", 3, 1),
            spans,
            revision: None,
        })
    }

    fn heading(level: u8, text: &str, line: usize) -> Block {
        Block::Heading(Heading {
            level: HeadingLevel::new(level).unwrap(),
            number: String::new(),
            content: vec![Inline::plain(text)],
            origin: Location::new("a.md", line, 1),
            spans: Vec::new(),
            revision: None,
        })
    }

    fn report_of(title: &str, blocks: Vec<Block>) -> Document {
        let mut document = Document {
            attachment: None,
            title: title.to_string(),
            unit: String::new(),
            blocks,
            date: None,
        };
        crate::document::numbering::number(&mut document).unwrap();
        document
    }

    fn render(document: &Document, diagnostics: &[Diagnostic]) -> String {
        let style = style();
        let source = |at: &Location| Some(format!("data.yaml:{} \"<源>\"", at.line));
        page(&Preview {
            document,
            style: &style,
            score_table: None,
            diagnostics,
            current: true,
            figure_source: &source,
            root: Path::new(""),
            version: 7,
            faces: &BTreeMap::new(),
        })
    }

    /// Each page's lines of text, as the page shows them (tags taken out).
    fn pages(html: &str) -> Vec<Vec<String>> {
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        main.split("<section class=\"page")
            .skip(1)
            .map(|page| {
                page.split("<div class=\"l")
                    .skip(1)
                    .map(|line| {
                        let inner =
                            &line[line.find('>').unwrap() + 1..line.find("</div>").unwrap()];
                        let mut text = String::new();
                        let mut in_tag = false;
                        for c in inner.chars() {
                            match c {
                                '<' => in_tag = true,
                                '>' => in_tag = false,
                                c if !in_tag => text.push(c),
                                _ => {}
                            }
                        }
                        text
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_text_of_the_report_is_escaped() {
        let hostile = "<script>alert(\"x\")</script>&";
        let spans = vec![TextSpan {
            at: 0,
            line: 3,
            column: 1,
            verbatim: false,
        }];
        let document = report_of(hostile, vec![paragraph(hostile, spans)]);
        let diagnostic = Diagnostic::warning("W001", Location::new("a.md", 3, 1), hostile)
            .with_fix("<img src=x onerror=alert(1)>");
        let html = render(&document, &[diagnostic]);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"));
        assert!(html.contains("data-source=\"data.yaml:3 &quot;&lt;源&gt;&quot;\""));
        // The finding is marked at its place and listed.
        assert!(
            html.contains("class=\"diag warning figure\"")
                || html.contains("class=\"figure diag warning\"")
        );
        assert!(html.contains("<li id=\"d0\" class=\"warning placed\">"));
    }

    #[test]
    fn headings_are_numbered_as_the_build_numbers_them() {
        let document = report_of(
            "标题",
            vec![
                heading(1, "基本情况", 1),
                heading(2, "部门职责", 2),
                heading(3, "主要职能", 3),
                heading(4, "具体事项", 4),
                paragraph("正文。", Vec::new()),
                heading(1, "自评情况", 6),
            ],
        );
        let lines: Vec<String> = pages(&render(&document, &[])).concat();
        let texts: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            texts,
            [
                "标题",
                "一、基本情况",
                "（一）部门职责",
                "1.主要职能",
                "（1）具体事项",
                "正文。",
                "二、自评情况"
            ]
        );
    }

    #[test]
    fn a_long_paragraph_breaks_into_lines_of_28_and_pages_of_22() {
        let text = "字".repeat(28 * 22 * 2);
        let document = report_of("标题", vec![paragraph(&text, Vec::new())]);
        let pages = pages(&render(&document, &[]));
        // Page 1: a blank line, the title, a blank line, then the paragraph.
        assert_eq!(pages[0].len(), 22);
        assert_eq!(pages[0][..3], ["", "标题", ""]);
        assert_eq!(pages[0][3].chars().count(), 26, "two characters of indent");
        assert!(pages[0][4..].iter().all(|l| l.chars().count() == 28));
        assert_eq!(pages[1].len(), 22);
        assert!(pages[1].iter().all(|l| l.chars().count() == 28));
        let total: usize = pages.iter().flatten().map(|l| l.chars().count()).sum();
        assert_eq!(total, text.chars().count() + "标题".chars().count());
    }

    #[test]
    fn lines_follow_the_line_breaking_rules() {
        // 26 characters fill the first line; the comma may not start the next, so the 26th
        // goes down with it.
        let text = format!("{}，后文", "字".repeat(26));
        let document = report_of("标题", vec![paragraph(&text, Vec::new())]);
        let lines = &pages(&render(&document, &[]))[0];
        assert_eq!(lines[3], "字".repeat(25));
        assert_eq!(lines[4], "字，后文");
        // Digits are half a character wide, and a number is not split.
        let text = format!("{}1234567.89元", "字".repeat(22));
        let document = report_of("标题", vec![paragraph(&text, Vec::new())]);
        let lines = &pages(&render(&document, &[]))[0];
        assert_eq!(lines[3], "字".repeat(22));
        assert_eq!(lines[4], "1234567.89元");
        let text = format!("{}12345678", "字".repeat(22));
        let document = report_of("标题", vec![paragraph(&text, Vec::new())]);
        let lines = &pages(&render(&document, &[]))[0];
        assert_eq!(
            lines[3], text,
            "22 characters and 8 digits fill 26 characters"
        );
    }

    #[test]
    fn a_heading_does_not_end_a_page() {
        // 18 lines of the paragraph after the title's 3: the heading would be the 22nd line.
        let text = "字".repeat(26 + 28 * 17);
        let document = report_of(
            "标题",
            vec![
                paragraph(&text, Vec::new()),
                heading(1, "下一部分", 9),
                paragraph("正文。", Vec::new()),
            ],
        );
        let pages = pages(&render(&document, &[]));
        assert_eq!(pages[0].len(), 21);
        assert_eq!(pages[1][..2], ["一、下一部分", "正文。"]);
    }

    #[test]
    fn each_of_many_findings_is_marked_where_it_points() {
        let text = "的的，".repeat(2000);
        let spans = vec![TextSpan {
            at: 0,
            line: 3,
            column: 1,
            verbatim: true,
        }];
        let document = report_of("标题", vec![paragraph(&text, spans)]);
        let mut diagnostics: Vec<Diagnostic> = (0..2000)
            .map(|i| {
                Diagnostic::warning("W005", Location::new("a.md", 3, 1 + 3 * i), "“的”重复")
                    .with_length(2)
            })
            .collect();
        // Past the paragraph's end: listed, marked nowhere.
        diagnostics.push(Diagnostic::warning(
            "W005",
            Location::new("a.md", 3, 90_000),
            "远处",
        ));
        let html = render(&document, &diagnostics);
        // Each pair, on one line or broken over two.
        for i in 0..2000 {
            let mark = format!("data-diagnostics=\"d{i}\">的");
            assert!(html.contains(&mark), "no {mark}");
        }
        assert!(html.matches("<span class=\"diag warning\"").count() >= 2000);
        assert_eq!(html.matches("class=\"warning placed\"").count(), 2000);
        assert!(html.contains("<li id=\"d2000\" class=\"warning\">"));
    }

    #[test]
    fn a_page_with_a_table_is_marked_approximate_and_shows_the_table() {
        use crate::document::model::{Alignment, Table};
        let cell = |t: &str| vec![Inline::plain(t)];
        let table = Block::Table(Table {
            title: Some(cell("表1 支出<情况>")),
            unit: Some(cell("单位：万元")),
            header: vec![cell("项目"), cell("金额")],
            rows: vec![vec![cell("基本支出"), cell("1333.04")]],
            revision: None,
            row_revisions: Vec::new(),
            alignments: vec![Alignment::Default; 2],
            origin: Location::new("a.md", 5, 1),
        });
        let document = report_of("标题", vec![paragraph("正文。", Vec::new()), table]);
        let html = render(&document, &[]);
        assert!(html.contains("<section class=\"page approximate\" data-page=\"1\">"));
        assert!(html.contains("表1 支出&lt;情况&gt;"));
        assert!(html.contains("<td>基本支出</td><td>1333.04</td>"));
    }

    #[test]
    fn a_footnote_shows_on_hover_and_marks_its_page_approximate() {
        let note = Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content: vec![
                Inline::plain("正文"),
                Inline::Footnote(vec![Inline::plain("注文<1>")]),
            ],
            origin: Location::new("a.md", 3, 1),
            spans: Vec::new(),
            revision: None,
        });
        let document = report_of("标题", vec![note]);
        let html = render(&document, &[]);
        assert!(html.contains("<section class=\"page approximate\" data-page=\"1\">"));
        assert!(html.contains("title=\"注：注文&lt;1&gt;\""));
        let plain = report_of("标题", vec![paragraph("正文", Vec::new())]);
        assert!(render(&plain, &[]).contains("<section class=\"page\" data-page=\"1\">"));
    }
}
