//! The 部门整体绩效自评表 as its own .docx: A4 landscape, the title, then the header block and
//! the indicator table, whose column headings repeat on every page. Page, fonts, styles and
//! footers come from the report's writer, so the two documents look alike. The same table
//! can close the report itself, in a landscape section of its own ([`append`]).

use std::fmt::Write as _;

use docx_rs::{Docx, PageMargin, PageOrientationType};

use crate::diag::Result;
use crate::input::style::{self, Page, ScoreTableStyle, Style};
use crate::render::grid::{Grid, Part, Role, ScoreTable, Slot};

use super::tree::{Element, Node, Part as Tree, missing};
use super::{DocxRenderer, body, pack, patch, single_spacing};

const TITLE: &str = "ScoreTableTitle";
const TEXT: &str = "ScoreTableText";

impl DocxRenderer<'_> {
    /// The 自评表 (or the 计算底稿 laid out as one) as its own landscape document.
    pub fn render_score_table(&self, table: &ScoreTable) -> Result<Vec<u8>> {
        let layout = self.style.score_table();
        let page = &layout.page;
        let mm = style::twips_from_mm;
        let docx = self
            .setup()
            .page_size(
                u32::try_from(mm(page.width_mm)).unwrap_or(0),
                u32::try_from(mm(page.height_mm)).unwrap_or(0),
            )
            .page_orient(PageOrientationType::Landscape)
            .page_margin(margins(page));
        let mut parts = patch::apply(&self.with_score_table_styles(docx).build(), self.style)?;
        patch::insert_body(&mut parts.document, write(table, &layout))?;
        let properties = super::package::Properties {
            title: &table.title,
            creator: &table.unit,
            date: None,
            sources: None,
        };
        pack(&parts, None, properties, table.date.as_deref())
    }

    /// The table's title and text styles, from the style file's score_table section.
    pub(super) fn with_score_table_styles(&self, docx: Docx) -> Docx {
        let layout = self.style.score_table();
        docx.add_style(
            self.paragraph_style(TITLE, "自评表标题", &layout.title)
                .line_spacing(single_spacing())
                .snap_to_grid(false),
        )
        .add_style(self.table_text_style(TEXT, "自评表文字", &layout.table))
    }
}

fn margins(page: &Page) -> PageMargin {
    let mm = style::twips_from_mm;
    PageMargin::new()
        .top(mm(page.margin_top_mm))
        .bottom(mm(page.margin_bottom_mm))
        .left(mm(page.margin_left_mm))
        .right(mm(page.margin_right_mm))
        .header(mm(page.margin_top_mm) / 2)
        .footer(mm(page.footer_mm))
        .gutter(0)
}

/// Puts the table at the end of the report: the report's page setup ends its section in a
/// paragraph of its own, and the document's last section, the table's, turns landscape.
pub(super) fn append(document: &mut Tree, table: &ScoreTable, style: &Style) -> Result<()> {
    let layout = style.score_table();
    let name = document.name;
    let body = patch::body(document)?;
    let section = || missing(name, "w:body/w:sectPr/w:pgSz 与 w:pgMar");
    let at = body
        .children
        .iter()
        .rposition(|child| matches!(child, Node::Element(e) if e.name == "w:sectPr"))
        .ok_or_else(section)?;
    let landscape = body
        .elements_mut()
        .rfind(|e| e.name == "w:sectPr")
        .ok_or_else(section)?;
    let portrait = landscape.clone();
    let page = &layout.page;
    let mm = |value| style::twips_from_mm(value).to_string();
    let size = landscape.child_mut("w:pgSz").ok_or_else(section)?;
    size.set("w:w", &mm(page.width_mm));
    size.set("w:h", &mm(page.height_mm));
    size.set("w:orient", "landscape");
    let margin = margins(page);
    let margins = landscape.child_mut("w:pgMar").ok_or_else(section)?;
    for (attribute, value) in [
        ("w:top", margin.top),
        ("w:right", margin.right),
        ("w:bottom", margin.bottom),
        ("w:left", margin.left),
        ("w:header", margin.header),
        ("w:footer", margin.footer),
        ("w:gutter", margin.gutter),
    ] {
        margins.set(attribute, &value.to_string());
    }
    let ending = Element::new("w:p").containing(Element::new("w:pPr").containing(portrait));
    body.children.splice(
        at..at,
        [Node::Element(ending), Node::Markup(write(table, &layout))],
    );
    Ok(())
}

/// The body: title, an empty line, the tables with a hairline paragraph between them (Word
/// joins tables that touch).
fn write(table: &ScoreTable, layout: &ScoreTableStyle) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
    out.push_str(TITLE);
    out.push_str("\" /><w:jc w:val=\"center\" /></w:pPr><w:r>");
    body::text(&mut out, &table.title, "w:t");
    out.push_str("</w:r></w:p>");
    for _ in 0..layout.title.lines_after {
        let _ = write!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"{TEXT}\" /></w:pPr></w:p>"
        );
    }
    let page = Paging::of(layout);
    let mut used = page.title(table, layout);
    for (i, grid) in table.parts.iter().enumerate() {
        if i > 0 {
            hairline(&mut out, false);
            used += HAIRLINE;
        }
        let widths = column_widths(layout, &grid.shares);
        let heights: Vec<i32> = grid
            .rows
            .iter()
            .map(|row| page.row_height(row, &widths))
            .collect();
        if grid.part != Part::Indicators {
            grid_xml(&mut out, grid, &widths, layout, i > 0);
            used += heights.iter().sum::<i32>();
            continue;
        }
        let starts = page.starts(grid, &heights, used);
        for (k, piece) in grid.pieces(&starts).iter().enumerate() {
            if k > 0 {
                hairline(&mut out, true);
            }
            grid_xml(&mut out, piece, &widths, layout, i > 0 && k == 0);
        }
    }
    out
}

/// The paragraph between two tables, a twentieth of a point high (Word joins tables that
/// touch); `new_page`: the next table starts a page.
fn hairline(out: &mut String, new_page: bool) {
    out.push_str("<w:p><w:pPr>");
    if new_page {
        out.push_str("<w:pageBreakBefore />");
    }
    out.push_str(
        "<w:snapToGrid w:val=\"0\" /><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\" /></w:pPr></w:p>",
    );
}

/// A [`hairline`]'s height, in twips.
const HAIRLINE: i32 = 20;

/// The text block the table fills, and how tall its lines and rows come out, in twips: what
/// the table is cut into pages by. Every guess errs tall, so that a page's piece always fits
/// and Word never breaks a piece on its own.
struct Paging {
    height: i32,
    /// Exact when the style gives the cells a line height; a generous single line without.
    line: i32,
    size: i32,
    margin_x: i32,
    /// A row's cell margins and rules.
    row_extra: i32,
}

impl Paging {
    fn of(layout: &ScoreTableStyle) -> Paging {
        let page = &layout.page;
        let table = &layout.table;
        let size = style::twips_from_pt(table.size_pt);
        Paging {
            height: style::twips_from_mm(
                page.height_mm - page.margin_top_mm - page.margin_bottom_mm,
            ),
            line: table.line_pt.map_or(size * 3 / 2, style::twips_from_pt),
            size,
            margin_x: style::twips_from_pt(table.cell_margin_x_pt),
            row_extra: 2 * style::twips_from_pt(table.cell_margin_y_pt)
                + 2 * style::twips_from_pt(table.border_pt),
        }
    }

    /// The title and the empty lines after it.
    fn title(&self, table: &ScoreTable, layout: &ScoreTableStyle) -> i32 {
        let size = style::twips_from_pt(layout.title.size_pt);
        let width = style::twips_from_mm(
            layout.page.width_mm - layout.page.margin_left_mm - layout.page.margin_right_mm,
        );
        lines(&table.title, width, size) * size * 2
            + i32::from(layout.title.lines_after) * self.line
    }

    /// A row's height: its tallest cell of one row (a cell merged down is short: a 一级 or
    /// 二级 name).
    fn row_height(&self, row: &[Slot], widths: &[i32]) -> i32 {
        let tallest = row
            .iter()
            .enumerate()
            .filter_map(|(c, slot)| match slot {
                Slot::Cell(cell) if cell.rows == 1 => {
                    let width: i32 = widths[c..(c + cell.span).min(widths.len())].iter().sum();
                    Some(lines(
                        &cell.content.display(),
                        width - 2 * self.margin_x,
                        self.size,
                    ))
                }
                _ => None,
            })
            .max()
            .unwrap_or(1);
        tallest.max(1) * self.line + self.row_extra
    }

    /// The rows that start a page, `used` of the first taken above the table: each page
    /// holds the header rows and as many rows as fit, the rows kept with the next row go
    /// over together, and each page holds at least one row.
    fn starts(&self, grid: &Grid, heights: &[i32], used: i32) -> Vec<usize> {
        let header: i32 = heights[..grid.header_rows].iter().sum();
        let mut starts = Vec::new();
        let mut filled = used + header;
        let mut on_page = 0;
        let mut r = grid.header_rows;
        while r < heights.len() {
            // The rows that must stand on one page with this one.
            let end = if r == grid.kept_with_next.start {
                heights.len()
            } else {
                r + 1
            };
            let needed: i32 = heights[r..end].iter().sum();
            if on_page > 0 && filled + needed > self.height {
                starts.push(r);
                filled = header + HAIRLINE;
                on_page = 0;
            }
            filled += needed;
            on_page += end - r;
            r = end;
        }
        starts
    }
}

/// How many lines `text` takes in `width` twips at `size`, in tenths of an em: a Chinese
/// character a full em, a Latin one most of one; a text that wraps, one character short of
/// the width on each line (Word keeps some punctuation off a line's start).
fn lines(text: &str, width: i32, size: i32) -> i32 {
    let width = (width * 10 / size.max(1)).max(20);
    text.split('\n')
        .map(|line| {
            let tenths: i32 = line
                .chars()
                .map(|c| match c {
                    'A'..='Z' | 'm' | 'w' | '%' | '@' => 8,
                    c if c.is_ascii() => 6,
                    _ => 10,
                })
                .sum();
            if tenths <= width {
                1
            } else {
                let per_line = width - 10;
                (tenths + per_line - 1) / per_line
            }
        })
        .sum()
}

/// Twips of each column: its share of the text block, the last taking what rounding leaves.
fn column_widths(layout: &ScoreTableStyle, shares: &[u32]) -> Vec<i32> {
    let page = &layout.page;
    let text_width =
        style::twips_from_mm(page.width_mm - page.margin_left_mm - page.margin_right_mm);
    let total: u32 = shares.iter().sum::<u32>().max(1);
    let mut widths: Vec<i32> = shares
        .iter()
        .map(|&share| {
            text_width * i32::try_from(share).unwrap_or(0) / i32::try_from(total).unwrap_or(1)
        })
        .collect();
    if let Some((last, others)) = widths.split_last_mut() {
        *last = text_width - others.iter().sum::<i32>();
    }
    widths
}

fn grid_xml(
    out: &mut String,
    grid: &Grid,
    widths: &[i32],
    layout: &ScoreTableStyle,
    joins_above: bool,
) {
    let table = &layout.table;
    let border = style::eighth_points(table.border_pt);
    body::table_start(out, widths, table, true, joins_above);
    for (r, row) in grid.rows.iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit />");
        if r < grid.header_rows {
            out.push_str("<w:tblHeader />");
        }
        out.push_str("</w:trPr>");
        for (c, slot) in row.iter().enumerate() {
            let (span, merge, cell) = match slot {
                Slot::Right => continue,
                Slot::Below { span } => (*span, Some("continue"), None),
                Slot::Cell(cell) => (cell.span, (cell.rows > 1).then_some("restart"), Some(cell)),
            };
            let width: i32 = widths[c..(c + span).min(widths.len())].iter().sum();
            body::cell_start(out, width, span, merge, border, r == 0 && joins_above);
            let role = cell.map_or(Role::Value, |c| c.role);
            // The 计算底稿's cells are short notes with file:line names: spread out they gape.
            let align = match (role, grid.part) {
                (Role::Text, Part::Worksheet) => "left",
                (Role::Text, _) => "both",
                _ => "center",
            };
            // Word and WPS keep a row with the next when its paragraphs do.
            let keep = if grid.kept_with_next.contains(&r) {
                "<w:keepNext />"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<w:p><w:pPr><w:pStyle w:val=\"{TEXT}\" />{keep}<w:jc w:val=\"{align}\" /></w:pPr>"
            );
            let text = cell.map(|c| c.content.display()).unwrap_or_default();
            if !text.is_empty() {
                out.push_str("<w:r>");
                if role == Role::Label && table.header_bold {
                    out.push_str("<w:rPr><w:b /></w:rPr>");
                }
                body::text(out, &text, "w:t");
                out.push_str("</w:r>");
            }
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}
