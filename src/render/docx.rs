//! The GB/T 9704 .docx writer: the document model and a [`Style`] in, package bytes out.
//!
//! docx-rs builds the styles, settings and footers; [`patch`] adds what its API lacks
//! (w:lang, the CJK font table, firstLineChars, overflowPunct) in one pass over the parts'
//! [`tree`]s, and [`schema`] puts every part in the order the schema gives; [`body`] writes
//! the paragraphs, tables and footnotes from the model; [`package`] writes the zip.

mod body;
mod grid;
mod package;
mod patch;
mod schema;
mod title;
mod tree;

pub use patch::for_libreoffice as libreoffice_styles;
pub use schema::misordered;

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style,
    StyleType,
};
use rust_decimal::Decimal;

use crate::diag::{Error, Result};
use crate::document::model::Document;
use crate::input::source::Fingerprint;
use crate::input::style::{self, Align, Element, TableStyle};

use super::Renderer;

pub struct DocxRenderer<'a> {
    pub style: &'a style::Style,
    /// Who made the tracked changes of a redline, and when (ISO 8601).
    pub reviser: Option<Reviser>,
    /// The report's sources, named in its custom properties ([`Fingerprint::properties`]).
    pub sources: Option<&'a Fingerprint>,
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
const TABLE_HEADER: &str = "TableHeader";
const TABLE_TITLE: &str = "TableTitle";
const TABLE_UNIT: &str = "TableUnit";
const FOOTNOTE_TEXT: &str = "FootnoteText";
const FOOTER: &str = "Footer";

/// Word's style ids for heading levels, so the navigation pane and outline work.
fn heading_style_id(level: usize) -> String {
    format!("Heading{level}")
}

impl Renderer for DocxRenderer<'_> {
    fn render(&self, document: &Document) -> Result<Vec<u8>> {
        self.render_report(document, None)
    }
}

impl DocxRenderer<'_> {
    /// The report; with `appendix`, the 自评表 follows it in a landscape section.
    pub fn render_report(
        &self,
        document: &Document,
        appendix: Option<&crate::render::grid::ScoreTable>,
    ) -> Result<Vec<u8>> {
        let reviser = self.reviser.clone().unwrap_or_else(|| Reviser {
            author: "gongwen".into(),
            date: "1970-01-01T00:00:00Z".into(),
        });
        let body = body::write(document, self.style, &reviser);
        let mut docx = self.setup();
        if appendix.is_some() {
            docx = self.with_score_table_styles(docx);
        }
        let mut parts = patch::apply(&docx.build(), self.style)?;
        if let Some(table) = appendix {
            grid::append(&mut parts.document, table, self.style)?;
        }
        patch::insert_body(&mut parts.document, body.content)?;
        let footnotes = body.has_footnotes.then_some(body.footnotes.as_bytes());
        pack(
            &parts,
            footnotes,
            package::Properties {
                title: &document.title,
                creator: &document.unit,
                date: None,
                sources: self.sources,
            },
            document.date.as_deref(),
        )
    }
}

/// The package, its properties dated from report.yaml's 日期 (`YYYY-MM-DD`), never the clock.
fn pack(
    xml: &package::Parts,
    footnotes: Option<&[u8]>,
    properties: package::Properties,
    date: Option<&str>,
) -> Result<Vec<u8>> {
    let date = date.map(|date| format!("{date}T00:00:00Z"));
    let properties = package::Properties {
        date: date.as_deref(),
        ..properties
    };
    package::write(xml, footnotes, &properties).map_err(|err| Error::Write {
        path: "(docx)".into(),
        source: std::io::Error::other(err),
    })
}

impl DocxRenderer<'_> {
    /// Page, grid, defaults, styles and footers: everything that is not content.
    fn setup(&self) -> Docx {
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
            .default_fonts(self.fonts(&s.body.font, s.body.latin_font.as_deref()))
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
        docx = docx
            .add_style(self.paragraph_style(BODY, "Body Text", &s.body))
            .add_style(self.paragraph_style(LABEL, "附件标识", &s.attachment_label))
            // Off the grid, so a 22 pt line takes one line pitch, not two.
            .add_style(
                self.paragraph_style(TITLE, "Title", &s.title)
                    .snap_to_grid(false),
            )
            .add_style(
                self.table_text_style(TABLE_TEXT, "表格文字", &s.table)
                    .align(AlignmentType::Center),
            )
            .add_style({
                let header = Style::new(TABLE_HEADER, StyleType::Paragraph)
                    .name("表头")
                    .based_on(TABLE_TEXT)
                    .fonts(self.fonts(s.table.header_font(), s.table.latin_font.as_deref()))
                    .align(AlignmentType::Center);
                if s.table.header_bold {
                    header.bold()
                } else {
                    header
                }
            })
            .add_style(self.paragraph_style(TABLE_TITLE, "表格标题", &s.table.title))
            .add_style(self.paragraph_style(TABLE_UNIT, "表格单位", &s.table.unit))
            .add_style(
                self.paragraph_style(FOOTNOTE_TEXT, "footnote text", &s.footnote)
                    .line_spacing(single_spacing())
                    .snap_to_grid(false),
            )
            .add_style(
                Style::new(FOOTER, StyleType::Paragraph)
                    .name("footer")
                    .fonts(self.fonts(&s.page_number.font, s.page_number.latin_font.as_deref()))
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
        let pn = &s.page_number;
        docx.footer(self.page_number(pn.odd_pages))
            .even_footer(self.page_number(pn.even_pages))
    }

    /// Chinese in `east_asia`, digits and Latin letters in the element's or the style's
    /// Latin font, or in `east_asia` too.
    fn fonts(&self, east_asia: &str, latin: Option<&str>) -> RunFonts {
        let latin = self.style.latin(east_asia, latin);
        RunFonts::new()
            .ascii(latin)
            .hi_ansi(latin)
            .east_asia(east_asia)
            .hint("eastAsia")
    }

    /// Table text: the table's font and size, single-spaced and off the grid.
    fn table_text_style(&self, id: &str, name: &str, table: &TableStyle) -> Style {
        let spacing = match table.line_pt {
            Some(line) => LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(style::twips_from_pt(line))
                .before(0)
                .after(0),
            None => single_spacing(),
        };
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .fonts(self.fonts(&table.font, table.latin_font.as_deref()))
            .size(style::half_points(table.size_pt))
            .line_spacing(spacing)
            .snap_to_grid(false)
    }

    fn paragraph_style(&self, id: &str, name: &str, element: &Element) -> Style {
        let mut style = Style::new(id, StyleType::Paragraph);
        // Chinese text needs no widow/orphan control, and it would leave pages short of 22 lines.
        style.paragraph_property = style.paragraph_property.widow_control(false);
        style = style
            .name(name)
            .fonts(self.fonts(&element.font, element.latin_font.as_deref()))
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

    /// "— N —" in the page-number font, where the style puts it, inset from that side.
    fn page_number(&self, align: Align) -> Footer {
        let pn = &self.style.page_number;
        let indent = style::twips_from_pt(pn.size_pt * Decimal::from(pn.indent_chars));
        let (left, right) = match align {
            Align::Left => (indent, 0),
            Align::Right => (0, indent),
            Align::Center | Align::Justify => (0, 0),
        };
        let run = |text: String| Run::new().add_text(text);
        // The 一字线 is of ambiguous width: said East Asian on its own run, so a consumer that
        // reads no style's hint still sets it one character wide.
        let dash = |text: String| run(text).fonts(self.fonts(&pn.font, pn.latin_font.as_deref()));
        let p = Paragraph::new()
            .style(FOOTER)
            .align(alignment(align))
            .indent(Some(left), None, Some(right), None)
            .add_run(dash(format!("{} ", pn.dash)))
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(run("1".into()))
            .add_run(Run::new().add_field_char(FieldCharType::End, false))
            .add_run(dash(format!(" {}", pn.dash)));
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
