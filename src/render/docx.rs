//! The GB/T 9704 .docx writer: the document model and a [`Style`] in, package bytes out.
//!
//! docx-rs builds the parts; [`patch`] then adds what its API lacks (w:lang, the CJK font
//! table, firstLineChars, repeated table headers) by editing the XML between `build()` and
//! `pack()`.

mod patch;

use docx_rs::{
    AlignmentType, BorderType, Delete, DocGrid, DocGridType, Docx, FieldCharType, Footer, Footnote,
    Insert, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Style, StyleType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableRow, WidthType,
};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::{
    Alignment, Block, Document, Emphasis, Heading, Inline, Revision, Table as ModelTable,
};
use crate::style::{self, Align, Element};

use super::Renderer;

pub struct DocxRenderer<'a> {
    pub style: &'a style::Style,
    /// Who made the tracked changes of a redline, and when (ISO 8601).
    pub reviser: Option<Reviser>,
}

#[derive(Debug, Clone)]
pub struct Reviser {
    pub author: String,
    pub date: String,
}

const BODY: &str = "BodyText";
const LABEL: &str = "AttachmentLabel";
const TITLE: &str = "Title";
const TABLE_TEXT: &str = "TableText";
const FOOTNOTE_TEXT: &str = "FootnoteText";
const FOOTER: &str = "Footer";

/// Word's style ids for heading levels, so the navigation pane and outline work.
fn heading_style_id(level: usize) -> String {
    format!("Heading{level}")
}

impl Renderer for DocxRenderer<'_> {
    fn render(&self, document: &Document) -> Result<Vec<u8>> {
        let mut docx = self.setup(document);
        if let Some(label) = &document.attachment {
            docx = docx.add_paragraph(self.text_paragraph(LABEL, label));
            for _ in 0..self.style.title.lines_before {
                docx = docx.add_paragraph(Paragraph::new().style(BODY));
            }
        }
        docx = docx.add_paragraph(self.title(&document.title));
        for _ in 0..self.style.title.lines_after {
            docx = docx.add_paragraph(Paragraph::new().style(BODY));
        }
        for block in &document.blocks {
            docx = match block {
                Block::Heading(heading) => docx.add_paragraph(self.heading(heading)),
                Block::Paragraph(paragraph) => {
                    let mut p = Paragraph::new().style(BODY);
                    if let Some(item) = &paragraph.item {
                        let level = item.level.map_or(0, |l| l.index());
                        let element = &self.style.headings[level];
                        p = p.add_run(self.run(&item.marker, Emphasis::default(), Some(element)));
                        p = self.add_inlines(p, &paragraph.lead, Some(element));
                    }
                    let p = self.add_inlines(p, &paragraph.content, None);
                    docx.add_paragraph(self.mark(p, paragraph.revision))
                }
                Block::Table(table) => docx.add_table(self.table(table)),
            };
        }
        let mut xml = docx.build();
        patch::apply(&mut xml, self.style);
        let mut bytes = std::io::Cursor::new(Vec::new());
        xml.pack(&mut bytes).map_err(|err| Error::Write {
            path: "(docx)".into(),
            source: std::io::Error::other(err),
        })?;
        Ok(bytes.into_inner())
    }
}

impl DocxRenderer<'_> {
    /// Page, grid, defaults, styles and footers: everything that is not content.
    fn setup(&self, document: &Document) -> Docx {
        let s = self.style;
        let page = &s.page;
        let mm = style::twips_from_mm;
        let pitch = style::twips_from_pt(s.grid.line_pitch_pt);
        let mut docx = Docx::new()
            .page_size(
                u32::try_from(mm(page.width_mm)).unwrap_or(0),
                u32::try_from(mm(page.height_mm)).unwrap_or(0),
            )
            .page_margin(
                PageMargin::new()
                    .top(mm(page.margin_top_mm))
                    .bottom(mm(page.margin_bottom_mm))
                    .left(mm(page.margin_left_mm))
                    .right(mm(page.margin_right_mm))
                    .header(mm(page.margin_top_mm) / 2)
                    .footer(mm(page.footer_mm))
                    .gutter(0),
            )
            .default_fonts(self.fonts(&s.body.font))
            .default_size(style::half_points(s.body.size_pt))
            .default_spacing(style::twips_from_pt(s.grid.character_spacing_pt))
            .default_line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(pitch)
                    .before(0)
                    .after(0),
            );
        docx.document = docx.document.doc_grid(
            DocGrid::new()
                .grid_type(DocGridType::Lines)
                .line_pitch(usize::try_from(pitch).unwrap_or(0))
                .char_space(0),
        );
        if let Some(date) = &document.date {
            let stamp = format!("{date}T00:00:00Z");
            docx = docx.created_at(&stamp).updated_at(&stamp);
        }
        docx = docx
            .add_style(self.paragraph_style(BODY, "Body Text", &s.body))
            .add_style(self.paragraph_style(LABEL, "附件标识", &s.attachment_label))
            // Off the grid, so a 22 pt line takes one line pitch, not two.
            .add_style(
                self.paragraph_style(TITLE, "Title", &s.title)
                    .snap_to_grid(false),
            )
            .add_style(
                Style::new(TABLE_TEXT, StyleType::Paragraph)
                    .name("表格文字")
                    .fonts(self.fonts(&s.table.font))
                    .size(style::half_points(s.table.size_pt))
                    .line_spacing(single_spacing())
                    .snap_to_grid(false)
                    .align(AlignmentType::Center),
            )
            .add_style(
                self.paragraph_style(FOOTNOTE_TEXT, "footnote text", &s.footnote)
                    .line_spacing(single_spacing())
                    .snap_to_grid(false),
            )
            .add_style(
                Style::new(FOOTER, StyleType::Paragraph)
                    .name("footer")
                    .fonts(self.fonts(&s.page_number.font))
                    .size(style::half_points(s.page_number.size_pt))
                    .line_spacing(single_spacing()),
            );
        for (index, element) in s.headings.iter().enumerate() {
            let id = heading_style_id(index + 1);
            let name = format!("heading {}", index + 1);
            docx = docx.add_style(
                self.paragraph_style(&id, &name, element)
                    .outline_lvl(index)
                    .based_on(BODY)
                    .next(BODY),
            );
        }
        docx.footer(self.page_number(AlignmentType::Right))
            .even_footer(self.page_number(AlignmentType::Left))
    }

    fn fonts(&self, east_asia: &str) -> RunFonts {
        RunFonts::new()
            .ascii(&self.style.latin_font)
            .hi_ansi(&self.style.latin_font)
            .east_asia(east_asia)
            .hint("eastAsia")
    }

    fn paragraph_style(&self, id: &str, name: &str, element: &Element) -> Style {
        let mut style = Style::new(id, StyleType::Paragraph);
        // Chinese text needs no widow/orphan control, and it would leave pages short of 22 lines.
        style.paragraph_property = style.paragraph_property.widow_control(false);
        style = style
            .name(name)
            .fonts(self.fonts(&element.font))
            .size(style::half_points(element.size_pt))
            .align(alignment(element.align))
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(self.indent_twips(element))),
                None,
                None,
            );
        if element.bold {
            style = style.bold();
        }
        style
    }

    /// N characters of this element, each as wide as its glyphs plus the grid's spacing, so the
    /// indent lines up with the characters of the lines below.
    fn indent_twips(&self, element: &Element) -> i32 {
        let advance = element.size_pt + self.style.grid.character_spacing_pt;
        style::twips_from_pt(advance * Decimal::from(element.first_line_indent_chars))
    }

    fn text_paragraph(&self, style_id: &str, text: &str) -> Paragraph {
        Paragraph::new()
            .style(style_id)
            .add_run(self.run(text, Emphasis::default(), None))
    }

    /// The title on balanced lines: the writer's own breaks ("\n"), or as few lines as fit,
    /// of near-equal width, so no line is left with one or two characters.
    fn title(&self, title: &str) -> Paragraph {
        let title_style = &self.style.title;
        let page = &self.style.page;
        let block = page.width_mm - page.margin_left_mm - page.margin_right_mm;
        let advance = title_style.size_pt + self.style.grid.character_spacing_pt;
        let capacity = style::twips_from_mm(block) * 2 / style::twips_from_pt(advance).max(1);
        let lines: Vec<String> = if title.contains('\n') {
            title.lines().map(str::to_string).collect()
        } else {
            balance(title, usize::try_from(capacity).unwrap_or(usize::MAX))
        };
        let mut p = Paragraph::new().style(TITLE);
        for (i, line) in lines.iter().enumerate() {
            let mut run = Run::new();
            if i > 0 {
                run = run.add_break(docx_rs::BreakType::TextWrapping);
            }
            p = p.add_run(run.add_text(clean(line).into_owned()));
        }
        p
    }

    fn heading(&self, heading: &Heading) -> Paragraph {
        let p = Paragraph::new()
            .style(&heading_style_id(heading.level.index() + 1))
            .keep_next(true)
            .add_run(self.run(&heading.number, Emphasis::default(), None));
        self.mark(
            self.add_inlines(p, &heading.content, None),
            heading.revision,
        )
    }

    /// `element` is set for a run-in heading part, which takes that heading level's font.
    fn add_inlines(
        &self,
        mut p: Paragraph,
        inlines: &[Inline],
        element: Option<&Element>,
    ) -> Paragraph {
        for inline in inlines {
            p = match inline {
                Inline::Text { text, emphasis } => p.add_run(self.run(text, *emphasis, element)),
                Inline::LineBreak => {
                    p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping))
                }
                Inline::Revised { revision, text } => {
                    let (author, date) = self.reviser();
                    match revision {
                        Revision::Inserted => p.add_insert(
                            Insert::new(self.run(text, Emphasis::default(), element))
                                .author(author)
                                .date(date),
                        ),
                        Revision::Deleted => {
                            let run = Run::new().add_delete_text(clean(text).into_owned());
                            p.add_delete(Delete::new().add_run(run).author(author).date(date))
                        }
                    }
                }
                Inline::Footnote(note) => {
                    let mut footnote = Footnote::new();
                    let content =
                        self.add_inlines(Paragraph::new().style(FOOTNOTE_TEXT), note, None);
                    footnote.add_content(content);
                    p.add_run(Run::new().add_footnote_reference(footnote))
                }
            };
        }
        p
    }

    fn reviser(&self) -> (String, String) {
        self.reviser.as_ref().map_or_else(
            || ("gongwen".to_string(), "1970-01-01T00:00:00Z".to_string()),
            |r| (r.author.clone(), r.date.clone()),
        )
    }

    /// Marks the paragraph mark of a wholly inserted or deleted paragraph.
    fn mark(&self, p: Paragraph, revision: Option<Revision>) -> Paragraph {
        let (author, date) = self.reviser();
        match revision {
            Some(Revision::Inserted) => p.insert(author, date),
            Some(Revision::Deleted) => p.delete(author, date),
            None => p,
        }
    }

    fn run(&self, text: &str, emphasis: Emphasis, element: Option<&Element>) -> Run {
        let mut run = Run::new();
        for (i, piece) in clean(text).split('\t').enumerate() {
            if i > 0 {
                run = run.add_tab();
            }
            run = run.add_text(piece);
        }
        if let Some(element) = element {
            run = run
                .fonts(self.fonts(&element.font))
                .size(style::half_points(element.size_pt));
            if element.bold {
                run = run.bold();
            }
        }
        if emphasis.bold {
            run = run.bold();
        }
        if emphasis.italic {
            run = run.italic();
        }
        run
    }

    fn table(&self, table: &ModelTable) -> Table {
        let columns = table
            .header
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let page = &self.style.page;
        let text_width =
            style::twips_from_mm(page.width_mm - page.margin_left_mm - page.margin_right_mm);
        let column_width = usize::try_from(text_width).unwrap_or(0) / columns;
        let row = |cells: &[Vec<Inline>], header: bool| {
            let cells = (0..columns)
                .map(|i| {
                    let inlines = cells.get(i).map_or(&[][..], Vec::as_slice);
                    let align = table
                        .alignments
                        .get(i)
                        .copied()
                        .unwrap_or(Alignment::Default);
                    let mut p = Paragraph::new().style(TABLE_TEXT);
                    if let Some(a) = cell_alignment(align) {
                        p = p.align(a);
                    }
                    let inlines: Vec<Inline> = inlines
                        .iter()
                        .cloned()
                        .map(|inline| match inline {
                            Inline::Text { text, mut emphasis } if header => {
                                emphasis.bold |= self.style.table.header_bold;
                                Inline::Text { text, emphasis }
                            }
                            other => other,
                        })
                        .collect();
                    TableCell::new()
                        .width(column_width, WidthType::Dxa)
                        .add_paragraph(self.add_inlines(p, &inlines, None))
                })
                .collect();
            TableRow::new(cells).cant_split()
        };
        let mut rows = vec![row(&table.header, true)];
        rows.extend(table.rows.iter().map(|r| row(r, false)));
        let border_size = style::eighth_points(self.style.table.border_pt);
        let mut borders = TableBorders::new();
        for position in [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            borders = borders.set(
                TableBorder::new(position)
                    .border_type(BorderType::Single)
                    .size(border_size)
                    .color("000000"),
            );
        }
        Table::new(rows)
            .set_grid(vec![column_width; columns])
            .width(column_width * columns, WidthType::Dxa)
            .set_borders(borders)
    }

    /// "— N —" in the page-number font, one character in from the outer edge.
    fn page_number(&self, align: AlignmentType) -> Footer {
        let pn = &self.style.page_number;
        let indent = style::twips_from_pt(pn.size_pt * Decimal::from(pn.indent_chars));
        let (left, right) = match align {
            AlignmentType::Left => (indent, 0),
            _ => (0, indent),
        };
        let run = |text: String| Run::new().add_text(text);
        let p = Paragraph::new()
            .style(FOOTER)
            .align(align)
            .indent(Some(left), None, Some(right), None)
            .add_run(run(format!("{} ", pn.dash)))
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(run("1".into()))
            .add_run(Run::new().add_field_char(FieldCharType::End, false))
            .add_run(run(format!(" {}", pn.dash)));
        Footer::new().add_paragraph(p)
    }
}

fn single_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0)
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn cell_alignment(align: Alignment) -> Option<AlignmentType> {
    match align {
        Alignment::Default => None,
        Alignment::Left => Some(AlignmentType::Left),
        Alignment::Center => Some(AlignmentType::Center),
        Alignment::Right => Some(AlignmentType::Right),
    }
}

/// Width in half-ems: a Chinese character is two, a Latin letter or digit one.
fn width(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Splits `text` into the fewest lines of at most `capacity` half-ems, of near-equal width.
/// A break never falls inside a run of digits or Latin letters, before closing punctuation or
/// after opening punctuation, and prefers to follow the last character of an organ's name or
/// a year (区, 委, 局, 年度 …), where titles read naturally.
fn balance(text: &str, capacity: usize) -> Vec<String> {
    const WORD_ENDS: &str = "区委会室局厅处部院所站度年的";
    let chars: Vec<char> = text.chars().collect();
    let total: usize = chars.iter().map(|&c| width(c)).sum();
    if total <= capacity || capacity == 0 {
        return vec![text.to_string()];
    }
    let lines = total.div_ceil(capacity);
    let target = total.div_ceil(lines);
    let breakable = |i: usize| {
        let (before, after) = (chars[i - 1], chars[i]);
        let inside_word = before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric();
        let closes = "，。、；：？！）》」』”’%".contains(after);
        let opens = "（《「『“‘".contains(before);
        !(inside_word || closes || opens)
    };
    let mut out = Vec::new();
    let mut start = 0;
    while out.len() + 1 < lines {
        let mut used = 0;
        let mut best: Option<(usize, usize)> = None;
        for i in start + 1..chars.len() {
            used += width(chars[i - 1]);
            if used > capacity {
                break;
            }
            if breakable(i) {
                let penalty = if WORD_ENDS.contains(chars[i - 1]) {
                    0
                } else {
                    5
                };
                let score = used.abs_diff(target) * 2 + penalty;
                if best.is_none_or(|(_, s)| score < s) {
                    best = Some((i, score));
                }
            }
        }
        let Some((at, _)) = best else {
            break;
        };
        out.push(chars[start..at].iter().collect());
        start = at;
    }
    out.push(chars[start..].iter().collect());
    out
}

/// Control characters other than tab make a file Word refuses to open.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| c == '\t' || !c.is_control()) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .filter(|&c| c == '\t' || !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::balance;

    #[test]
    fn long_titles_break_into_balanced_lines() {
        let lines = balance(
            "2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果",
            40,
        );
        assert_eq!(
            lines,
            [
                "2023年度鄂州葛店经济技术开发区",
                "党工委管委会办公室整体绩效自评结果"
            ]
        );
        let lines = balance(&"字".repeat(41), 40);
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [14, 14, 13]
        );
        assert_eq!(balance("短标题", 40), ["短标题"]);
    }

    #[test]
    fn breaks_avoid_digits_and_punctuation() {
        for line in balance(
            "关于2023年度部门整体支出绩效自评（试行）工作情况的报告和说明材料",
            30,
        ) {
            assert!(!line.starts_with(['）', '，']), "{line}");
            assert!(!line.ends_with('（'), "{line}");
        }
    }
}
