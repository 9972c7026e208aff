//! The body of word/document.xml and the footnotes part, written straight from the model.
//!
//! docx-rs builds the package and every other part. The body goes around its element builders:
//! they cost more than half of a sample build (every paragraph and run becomes a tree of owned
//! structs moved through builder calls, serialised by an event writer, then searched again to
//! renumber its process-wide ids). The body has few element kinds; they are written here in
//! schema order, with ids counted from 1 in order of appearance.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::document::model::{
    Alignment, Block, Document, Emphasis, Heading, Inline, Revision, Table, plain_text,
};
use crate::input::style::{self, Element, Style, TableStyle};
use crate::render::xml::escape;

use super::{
    BODY, FOOTNOTE_TEXT, LABEL, Reviser, TABLE_HEADER, TABLE_TEXT, TABLE_TITLE, TABLE_UNIT, TITLE,
    heading_style_id, title,
};

/// The content of w:body before its w:sectPr, and the whole footnotes part.
pub struct Body {
    pub content: String,
    pub footnotes: String,
    /// Whether the package must declare the footnotes part (LibreOffice refuses to open a
    /// document that refers to footnotes in an undeclared part).
    pub has_footnotes: bool,
}

pub fn write(document: &Document, style: &Style, reviser: &Reviser) -> Body {
    let mut writer = Writer {
        style,
        reviser,
        footnotes: String::new(),
        footnote_count: 0,
        revision_count: 0,
    };
    // Holds the sample's body (about 50 KB) without regrowing; larger reports grow it.
    let mut out = String::with_capacity(64 * 1024);
    writer.document(&mut out, document);
    let mut footnotes = String::with_capacity(writer.footnotes.len() + 256);
    footnotes.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    ));
    footnotes.push_str(&writer.footnotes);
    footnotes.push_str("</w:footnotes>");
    Body {
        content: out,
        footnotes,
        has_footnotes: writer.footnote_count > 0,
    }
}

/// How a text run looks beyond its paragraph style.
#[derive(Clone, Copy, Default)]
struct Format<'a> {
    /// A heading level's font, for a run-in heading and its marker.
    element: Option<&'a Element>,
    emphasis: Emphasis,
}

impl Format<'_> {
    fn with(self, emphasis: Emphasis) -> Self {
        Format {
            element: self.element,
            emphasis: Emphasis {
                bold: self.emphasis.bold || emphasis.bold,
                italic: self.emphasis.italic || emphasis.italic,
            },
        }
    }
}

struct Writer<'a> {
    style: &'a Style,
    reviser: &'a Reviser,
    /// The w:footnote elements, in order of reference.
    footnotes: String,
    footnote_count: usize,
    revision_count: usize,
}

impl Writer<'_> {
    fn document(&mut self, out: &mut String, document: &Document) {
        let empty_lines = |out: &mut String, count: u8| {
            for _ in 0..count {
                paragraph_start(out, BODY, false, None, None);
                out.push_str("</w:p>");
            }
        };
        if let Some(label) = &document.attachment {
            paragraph_start(out, LABEL, false, None, None);
            self.run(out, label, Format::default(), false);
            out.push_str("</w:p>");
            empty_lines(out, self.style.title.lines_before);
        }
        self.title(out, &document.title);
        empty_lines(out, self.style.title.lines_after);
        for block in &document.blocks {
            match block {
                Block::Heading(heading) => self.heading(out, heading),
                Block::Paragraph(paragraph) => {
                    let mark = self.mark(paragraph.revision);
                    paragraph_start(out, BODY, false, None, mark.as_deref());
                    if let Some(item) = &paragraph.item {
                        let level = item.level.map_or(0, |l| l.index());
                        let lead = Format {
                            element: Some(&self.style.headings[level]),
                            emphasis: Emphasis::default(),
                        };
                        self.run(out, &item.marker, lead, false);
                        self.inlines(out, &paragraph.lead, lead);
                    }
                    self.inlines(out, &paragraph.content, Format::default());
                    out.push_str("</w:p>");
                }
                Block::Table(table) => self.table(out, table),
            }
        }
    }

    /// The title on balanced lines: the writer's own breaks ("\n"), or as few lines as fit,
    /// of near-equal width, so no line is left with one or two characters.
    fn title(&mut self, out: &mut String, title: &str) {
        let page = &self.style.page;
        let block = page.width_mm - page.margin_left_mm - page.margin_right_mm;
        let advance = self.style.title.size_pt + self.style.grid.character_spacing_pt;
        let capacity = style::twips_from_mm(block) * 2 / style::twips_from_pt(advance).max(1);
        let lines: Vec<String> = if title.contains('\n') {
            title.lines().map(str::to_string).collect()
        } else {
            title::balance(title, usize::try_from(capacity).unwrap_or(usize::MAX))
        };
        paragraph_start(out, TITLE, false, None, None);
        for (i, line) in lines.iter().enumerate() {
            out.push_str("<w:r>");
            if i > 0 {
                out.push_str(LINE_BREAK);
            }
            text(out, line, "w:t");
            out.push_str("</w:r>");
        }
        out.push_str("</w:p>");
    }

    fn heading(&mut self, out: &mut String, heading: &Heading) {
        let mark = self.mark(heading.revision);
        let id = heading_style_id(heading.level.index() + 1);
        paragraph_start(out, &id, true, None, mark.as_deref());
        self.run(out, &heading.number, Format::default(), false);
        self.inlines(out, &heading.content, Format::default());
        out.push_str("</w:p>");
    }

    fn inlines(&mut self, out: &mut String, inlines: &[Inline], format: Format<'_>) {
        for inline in inlines {
            match inline {
                Inline::Text { text, emphasis } => {
                    self.run(out, text, format.with(*emphasis), false);
                }
                Inline::LineBreak => {
                    out.push_str("<w:r>");
                    out.push_str(LINE_BREAK);
                    out.push_str("</w:r>");
                }
                Inline::Revised { revision, text } => {
                    let tag = self.revision(out, *revision, false);
                    self.run(out, text, format, *revision == Revision::Deleted);
                    let _ = write!(out, "</{tag}>");
                }
                Inline::Footnote(note) => self.footnote(out, note),
                Inline::RevisedFootnote { revision, note } => {
                    let tag = self.revision(out, *revision, false);
                    self.footnote(out, note);
                    let _ = write!(out, "</{tag}>");
                }
            }
        }
    }

    fn run(&self, out: &mut String, content: &str, format: Format<'_>, deleted: bool) {
        out.push_str("<w:r>");
        self.run_properties(out, format);
        text(out, content, if deleted { "w:delText" } else { "w:t" });
        out.push_str("</w:r>");
    }

    fn run_properties(&self, out: &mut String, format: Format<'_>) {
        let bold = format.emphasis.bold || format.element.is_some_and(|e| e.bold);
        if format.element.is_none() && !bold && !format.emphasis.italic {
            return;
        }
        out.push_str("<w:rPr>");
        if let Some(element) = format.element {
            let latin = self
                .style
                .latin(&element.font, element.latin_font.as_deref());
            out.push_str("<w:rFonts w:ascii=\"");
            escape(out, latin);
            out.push_str("\" w:hAnsi=\"");
            escape(out, latin);
            out.push_str("\" w:eastAsia=\"");
            escape(out, &element.font);
            out.push_str("\" w:hint=\"eastAsia\" />");
        }
        if bold {
            out.push_str("<w:b /><w:bCs />");
        }
        if format.emphasis.italic {
            out.push_str("<w:i /><w:iCs />");
        }
        if let Some(element) = format.element {
            let size = style::half_points(element.size_pt);
            let _ = write!(out, "<w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" />");
        }
        out.push_str("</w:rPr>");
    }

    /// The reference here, the note in the footnotes part, both numbered in order.
    fn footnote(&mut self, out: &mut String, note: &[Inline]) {
        self.footnote_count += 1;
        let id = self.footnote_count;
        let _ = write!(
            out,
            "<w:r>{FOOTNOTE_MARK}<w:footnoteReference w:id=\"{id}\" /></w:r>"
        );
        let mut content = String::new();
        let _ = write!(content, "<w:footnote w:id=\"{id}\">");
        paragraph_start(&mut content, FOOTNOTE_TEXT, false, None, None);
        let _ = write!(content, "<w:r>{FOOTNOTE_MARK}<w:footnoteRef /></w:r>");
        self.inlines(&mut content, note, Format::default());
        content.push_str("</w:p></w:footnote>");
        self.footnotes.push_str(&content);
    }

    /// The w:rPr content marking a wholly inserted or deleted paragraph's mark.
    fn mark(&mut self, revision: Option<Revision>) -> Option<String> {
        revision.map(|revision| {
            let mut mark = String::new();
            self.revision(&mut mark, revision, true);
            mark
        })
    }

    /// Writes a w:ins or w:del start tag (or empty element); returns its name.
    fn revision(&mut self, out: &mut String, revision: Revision, empty: bool) -> &'static str {
        self.revision_count += 1;
        let tag = match revision {
            Revision::Inserted => "w:ins",
            Revision::Deleted => "w:del",
        };
        let _ = write!(out, "<{tag} w:id=\"{}\" w:author=\"", self.revision_count);
        escape(out, &self.reviser.author);
        out.push_str("\" w:date=\"");
        escape(out, &self.reviser.date);
        out.push_str(if empty { "\" />" } else { "\">" });
        tag
    }

    /// The title and unit lines, then the table: columns as wide as their content asks,
    /// header centred in the header style, numbers right-aligned to one count of decimals.
    fn table(&mut self, out: &mut String, table: &Table) {
        let captions = [(TABLE_TITLE, &table.title), (TABLE_UNIT, &table.unit)];
        for (style_id, caption) in captions {
            if let Some(inlines) = caption {
                let mark = self.mark(table.revision);
                paragraph_start(out, style_id, true, None, mark.as_deref());
                self.inlines(out, inlines, Format::default());
                out.push_str("</w:p>");
            }
        }
        let columns = table
            .header
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let widths = self.column_widths(table, columns);
        let widths: Vec<i32> = widths
            .iter()
            .map(|w| i32::try_from(*w).unwrap_or(i32::MAX))
            .collect();
        table_start(out, &widths, &self.style.table, false, false);
        let numeric = table.figure_columns();
        let header: Vec<&str> = vec!["center"; columns];
        self.row(out, &table.header, &widths, &header, true, table.revision);
        let align: Vec<&str> = (0..columns)
            .map(|i| {
                match (
                    table.alignments.get(i).copied(),
                    numeric.get(i).copied().flatten(),
                ) {
                    (Some(Alignment::Left), _) => "left",
                    (Some(Alignment::Center), _) => "center",
                    (Some(Alignment::Right), _) | (_, Some(_)) => "right",
                    _ => "",
                }
            })
            .collect();
        for (i, row) in table.rows.iter().enumerate() {
            let revision = table.row_revisions.get(i).copied().flatten();
            let revision = revision.or(table.revision);
            self.row(out, row, &widths, &align, false, revision);
        }
        out.push_str("</w:tbl>");
    }

    /// Twips for each column: its widest cell (header included) on one line where the text
    /// block allows; the header's width at least, so a header does not wrap inside a word;
    /// what is left shared in proportion.
    fn column_widths(&self, table: &Table, columns: usize) -> Vec<usize> {
        let t = &self.style.table;
        let page = &self.style.page;
        let block =
            style::twips_from_mm(page.width_mm - page.margin_left_mm - page.margin_right_mm);
        let block = usize::try_from(block).unwrap_or(0);
        let half_em =
            style::twips_from_pt((t.size_pt + self.style.grid.character_spacing_pt) / Decimal::TWO);
        let half_em = usize::try_from(half_em).unwrap_or(1).max(1);
        let padding = usize::try_from(2 * style::twips_from_pt(t.cell_margin_x_pt)).unwrap_or(0);
        let twips = |cell: Option<&Vec<Inline>>| {
            cell.map_or(0, |c| {
                plain_text(c).chars().map(title::width).sum::<usize>()
            }) * half_em
                + padding
        };
        let least: Vec<usize> = (0..columns).map(|i| twips(table.header.get(i))).collect();
        let wanted: Vec<usize> = (0..columns)
            .map(|i| {
                table
                    .rows
                    .iter()
                    .map(|row| twips(row.get(i)))
                    .fold(least[i], usize::max)
            })
            .collect();
        let (sum_least, sum_wanted) = (least.iter().sum::<usize>(), wanted.iter().sum::<usize>());
        if sum_wanted <= block {
            // Everything fits on one line: stretch to the text block's width.
            return share(&wanted, block);
        }
        if sum_least >= block {
            return share(&least, block);
        }
        let extra: Vec<usize> = wanted.iter().zip(&least).map(|(w, l)| w - l).collect();
        let extra = share(&extra, block - sum_least);
        least.iter().zip(extra).map(|(l, e)| l + e).collect()
    }

    /// One row; `align` gives each column's w:jc ("" for the style's), `revision` whether
    /// the whole row was inserted or deleted.
    fn row(
        &mut self,
        out: &mut String,
        cells: &[Vec<Inline>],
        widths: &[i32],
        align: &[&str],
        header: bool,
        revision: Option<Revision>,
    ) {
        out.push_str("<w:tr><w:trPr><w:cantSplit />");
        if header {
            // The header row, repeated on every page the table spans.
            out.push_str("<w:tblHeader />");
        }
        if let Some(revision) = revision {
            self.revision(out, revision, true);
        }
        out.push_str("</w:trPr>");
        for (i, width) in widths.iter().enumerate() {
            let inlines = cells.get(i).map_or(&[][..], Vec::as_slice);
            let border = style::eighth_points(self.style.table.border_pt);
            cell_start(out, *width, 1, None, border, false);
            let style = if header { TABLE_HEADER } else { TABLE_TEXT };
            let jc = Some(align[i]).filter(|a| !a.is_empty());
            paragraph_start(out, style, false, jc, None);
            self.inlines(out, inlines, Format::default());
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
}

/// A table's properties and grid, written alike for every table, as Word and WPS both read
/// them: the width in w:tblW, each column in w:gridCol (WPS trusts these), a fixed layout
/// (no reflow by content), and the text block's borders; `top_open` leaves out the top rule
/// (the table continues one above it).
pub fn table_start(
    out: &mut String,
    widths: &[i32],
    table: &TableStyle,
    centered: bool,
    top_open: bool,
) {
    let border = style::eighth_points(table.border_pt);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\" />",
        widths.iter().sum::<i32>()
    );
    if centered {
        out.push_str("<w:jc w:val=\"center\" />");
    }
    out.push_str("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        border_xml(out, side, border, side == "top" && top_open);
    }
    let x = style::twips_from_pt(table.cell_margin_x_pt);
    let y = style::twips_from_pt(table.cell_margin_y_pt);
    let _ = write!(
        out,
        "</w:tblBorders><w:tblLayout w:type=\"fixed\" /><w:tblCellMar><w:top w:w=\"{y}\" w:type=\"dxa\" /><w:left w:w=\"{x}\" w:type=\"dxa\" /><w:bottom w:w=\"{y}\" w:type=\"dxa\" /><w:right w:w=\"{x}\" w:type=\"dxa\" /></w:tblCellMar></w:tblPr><w:tblGrid>"
    );
    for width in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{width}\" />");
    }
    out.push_str("</w:tblGrid>");
}

/// A cell's properties: its width in w:tcW (the sum of the columns it spans), its span and
/// vertical merge, and its own four borders, since a neighbour's default border still draws
/// in WPS; `top_open` as for [`table_start`].
pub fn cell_start(
    out: &mut String,
    width: i32,
    span: usize,
    merge: Option<&str>,
    border: usize,
    top_open: bool,
) {
    let _ = write!(
        out,
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\" />"
    );
    if span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{span}\" />");
    }
    if let Some(merge) = merge {
        let _ = write!(out, "<w:vMerge w:val=\"{merge}\" />");
    }
    out.push_str("<w:tcBorders>");
    for side in ["top", "left", "bottom", "right"] {
        border_xml(out, side, border, side == "top" && top_open);
    }
    out.push_str("</w:tcBorders><w:vAlign w:val=\"center\" /></w:tcPr>");
}

fn border_xml(out: &mut String, side: &str, border: usize, open: bool) {
    if open {
        let _ = write!(out, "<w:{side} w:val=\"nil\" />");
    } else {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"{border}\" w:space=\"0\" w:color=\"000000\" />"
        );
    }
}

/// `total` split in proportion to `weights` (equally if they are all zero); the last part
/// takes the rounding, so the parts add up to `total`.
fn share(weights: &[usize], total: usize) -> Vec<usize> {
    let sum: usize = weights.iter().sum();
    let mut parts: Vec<usize> = weights
        .iter()
        .map(|w| {
            (total * w)
                .checked_div(sum)
                .unwrap_or(total / weights.len().max(1))
        })
        .collect();
    let given: usize = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += total - given;
    }
    parts
}

const LINE_BREAK: &str = "<w:br w:type=\"textWrapping\" />";
const FOOTNOTE_MARK: &str = "<w:rPr><w:rStyle w:val=\"FootnoteReference\" /></w:rPr>";

/// `<w:p><w:pPr>…</w:pPr>`: the style, keep-with-next, alignment and a revision mark, in
/// the schema's order.
fn paragraph_start(
    out: &mut String,
    style_id: &str,
    keep_next: bool,
    align: Option<&str>,
    mark: Option<&str>,
) {
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
    out.push_str(style_id);
    out.push_str("\" />");
    if keep_next {
        out.push_str("<w:keepNext />");
    }
    if let Some(align) = align {
        let _ = write!(out, "<w:jc w:val=\"{align}\" />");
    }
    if let Some(mark) = mark {
        out.push_str("<w:rPr>");
        out.push_str(mark);
        out.push_str("</w:rPr>");
    }
    out.push_str("</w:pPr>");
}

/// Text as `tag` elements (w:t or w:delText); a tab becomes w:tab.
pub(super) fn text(out: &mut String, text: &str, tag: &str) {
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<w:tab />");
        }
        if piece.is_empty() {
            continue;
        }
        out.push('<');
        out.push_str(tag);
        out.push_str(" xml:space=\"preserve\">");
        escape(out, piece);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::in_order;
    use super::{Reviser, write};
    use crate::diag::Location;
    use crate::document::model::{
        Alignment, Block, Document, Heading, HeadingLevel, Inline, Paragraph, Revision, Table,
    };
    use crate::input::style::Style;

    fn sample_style() -> Style {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("styles/gbt9704.yaml");
        Style::load(&path).unwrap()
    }

    fn paragraph(content: Vec<Inline>, revision: Option<Revision>) -> Block {
        Block::Paragraph(Paragraph {
            item: None,
            lead: Vec::new(),
            content,
            origin: Location::new("a.md", 1, 1),
            spans: Vec::new(),
            revision,
        })
    }

    fn body(blocks: Vec<Block>) -> (String, String) {
        let document = Document {
            attachment: Some("附件<1>".into()),
            title: "标题".into(),
            unit: "测试单位".into(),
            blocks,
            date: None,
        };
        let reviser = Reviser {
            author: "审核人 \"甲\"".into(),
            date: "2024-01-02T00:00:00Z".into(),
        };
        let body = write(&document, &sample_style(), &reviser);
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        let content = format!("<w:body {w}>{}</w:body>", body.content);
        roxmltree::Document::parse(&content).expect("body is well-formed XML");
        roxmltree::Document::parse(&body.footnotes).expect("footnotes are well-formed XML");
        // Written in schema order by construction: the order tables find nothing to move.
        assert!(in_order(&content), "{content}");
        assert!(in_order(&body.footnotes), "{}", body.footnotes);
        (body.content, body.footnotes)
    }

    #[test]
    fn markup_is_escaped_tabs_kept_and_control_characters_dropped() {
        let (xml, _) = body(vec![paragraph(
            vec![Inline::plain("甲<乙>&丙\u{1}\u{85}丁\t戊\u{7f}©\"")],
            None,
        )]);
        assert!(xml.contains("附件&lt;1&gt;"), "{xml}");
        assert!(
            xml.contains(
                "<w:t xml:space=\"preserve\">甲&lt;乙&gt;&amp;丙丁</w:t><w:tab /><w:t xml:space=\"preserve\">戊©&quot;</w:t>"
            ),
            "{xml}"
        );
    }

    #[test]
    fn footnotes_and_revisions_are_numbered_from_one_in_order() {
        let note = |text: &str| Inline::Footnote(vec![Inline::plain(text)]);
        let (xml, footnotes) = body(vec![
            paragraph(vec![Inline::plain("一"), note("注一")], None),
            paragraph(
                vec![
                    Inline::Revised {
                        revision: Revision::Deleted,
                        text: "旧".into(),
                    },
                    Inline::Revised {
                        revision: Revision::Inserted,
                        text: "新".into(),
                    },
                    note("注二"),
                ],
                Some(Revision::Inserted),
            ),
        ]);
        assert!(xml.contains("<w:footnoteReference w:id=\"1\" />"));
        assert!(xml.contains("<w:footnoteReference w:id=\"2\" />"));
        let first = footnotes.find("<w:footnote w:id=\"1\">").unwrap();
        let second = footnotes.find("<w:footnote w:id=\"2\">").unwrap();
        assert!(first < footnotes.find("注一").unwrap() && second > first);
        assert!(footnotes.contains("<w:footnoteRef />"));
        // The paragraph mark first, then the deleted and the inserted run.
        let mark = xml
            .find("<w:ins w:id=\"1\" w:author=\"审核人 &quot;甲&quot;\"")
            .unwrap();
        let deleted = xml.find("<w:del w:id=\"2\"").unwrap();
        let inserted = xml.find("<w:ins w:id=\"3\"").unwrap();
        assert!(mark < deleted && deleted < inserted, "{xml}");
        assert!(xml.contains("<w:delText xml:space=\"preserve\">旧</w:delText>"));
    }

    #[test]
    fn paragraph_properties_follow_the_schema_order() {
        let (xml, _) = body(vec![Block::Heading(Heading {
            level: HeadingLevel::new(2).unwrap(),
            number: "（一）".into(),
            content: vec![Inline::plain("标题")],
            origin: Location::new("a.md", 1, 1),
            spans: Vec::new(),
            revision: Some(Revision::Deleted),
        })]);
        assert!(
            xml.contains(
                "<w:pPr><w:pStyle w:val=\"Heading2\" /><w:keepNext /><w:rPr><w:del w:id=\"1\""
            ),
            "{xml}"
        );
    }

    #[test]
    fn tables_repeat_their_header_row_and_fill_short_rows() {
        let cell = |text: &str| vec![Inline::plain(text)];
        let (xml, _) = body(vec![Block::Table(Table {
            title: Some(cell("表1 支出")),
            unit: Some(cell("单位：万元")),
            header: vec![cell("项目"), cell("金额")],
            rows: vec![vec![cell("甲")], vec![cell("乙"), cell("12.5")]],
            alignments: vec![Alignment::Default, Alignment::Default],
            origin: Location::new("a.md", 1, 1),
            revision: None,
            row_revisions: Vec::new(),
        })]);
        assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
        // The style's cell margins, 5.4 pt and 2 pt, in twips.
        assert!(
            xml.contains("<w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\" /><w:left w:w=\"108\""),
            "{xml}"
        );
        assert_eq!(xml.matches("<w:tc>").count(), 6, "{xml}");
        let title = xml
            .find("<w:pStyle w:val=\"TableTitle\" /><w:keepNext />")
            .unwrap();
        let unit = xml
            .find("<w:pStyle w:val=\"TableUnit\" /><w:keepNext />")
            .unwrap();
        assert!(title < unit && unit < xml.find("<w:tbl>").unwrap(), "{xml}");
        let header = &xml[..xml.find("</w:tr>").unwrap()];
        assert_eq!(
            header
                .matches("<w:pStyle w:val=\"TableHeader\" /><w:jc w:val=\"center\" />")
                .count(),
            2,
            "{header}"
        );
        assert_eq!(xml.matches("<w:vAlign w:val=\"center\" />").count(), 6);
        // The figure column is right-aligned; the text column keeps the style's alignment.
        assert_eq!(xml.matches("<w:jc w:val=\"right\" />").count(), 2, "{xml}");
    }

    #[test]
    fn columns_take_the_width_their_content_asks() {
        let style = sample_style();
        let reviser = Reviser {
            author: String::new(),
            date: String::new(),
        };
        let writer = super::Writer {
            style: &style,
            reviser: &reviser,
            footnotes: String::new(),
            footnote_count: 0,
            revision_count: 0,
        };
        let cell = |text: &str| vec![Inline::plain(text)];
        let table = Table {
            title: None,
            unit: None,
            header: vec![cell("项目"), cell("实际支出（万元）"), cell("备注")],
            rows: vec![vec![cell("基本支出"), cell("1100.25"), cell("无")]],
            alignments: Vec::new(),
            origin: Location::new("a.md", 1, 1),
            revision: None,
            row_revisions: Vec::new(),
        };
        let widths = writer.column_widths(&table, 3);
        // The text block's width, 156 mm, in twips.
        assert_eq!(widths.iter().sum::<usize>(), 8844);
        // "实际支出（万元）", eight characters of 13.75 pt plus the margins, fits on one line.
        assert!(widths[1] >= 8 * 275 + 216, "{widths:?}");
        assert!(widths[1] > widths[0] && widths[0] > widths[2], "{widths:?}");
    }
}
