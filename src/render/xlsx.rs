//! The 部门整体绩效自评表 as an .xlsx, for budget systems that import spreadsheets: the same
//! rows and merged cells as the .docx, numbers as numbers (rounded as printed) with their
//! number format, one sheet printed A4 landscape with the column headings repeated.
//!
//! rust_xlsxwriter writes the package; its only clock is the creation date in the document
//! properties, which is set from report.yaml's 日期, and its zip entries carry a fixed date.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::diag::{Error, Result, Severity, about_file, code};
use crate::document::worksheet::{self, Entry, Exact};
use crate::input::style::{ScoreTableStyle, Style};
use crate::render::grid::{Content, Part, Role, ScoreTable, Slot};

/// Excel's code for A4 paper.
const A4: u8 = 9;

/// The sheet's width in Excel's column unit, about one Latin character; a Chinese character
/// takes two. Printing fits it to the page's width.
const SHEET_WIDTH: f64 = 120.0;

/// The 自评表, and the 计算底稿 of its report as a second sheet.
pub fn render(
    table: &ScoreTable,
    style: &Style,
    worksheet: &worksheet::Worksheet,
) -> Result<Vec<u8>> {
    write(table, &style.score_table(), worksheet).map_err(|err| {
        // What a report can exceed is said as the writer's mistake; anything else is ours.
        let (message, fix) = match err {
            XlsxError::MaxStringLengthExceeded => (
                "自评表有一格的文字超过 Excel 一个单元格的上限（32767 字）",
                "缩短填入自评表的文字（年度总体目标、实际完成情况、偏差原因），详细内容写到报告正文里",
            ),
            XlsxError::RowColumnLimitError => (
                "自评表的行数超过 Excel 一张表的上限（1048576 行）",
                "减少 indicators.yaml 里的指标",
            ),
            other => {
                return Error::Render {
                    part: "自评表.xlsx",
                    message: other.to_string(),
                };
            }
        };
        let path = std::path::Path::new("自评表.xlsx");
        about_file(code::OUTPUT, Severity::Error, path, message.into())
            .with_fix(fix)
            .into()
    })
}

fn write(
    table: &ScoreTable,
    layout: &ScoreTableStyle,
    worksheet: &worksheet::Worksheet,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&table.title)
            .set_author(&table.unit)
            .set_creation_datetime(&date(table.date.as_deref())?),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name("自评表")?;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    // The sheet's columns are the indicators': the header block spans them.
    let shares = table
        .parts
        .iter()
        .find(|grid| grid.part == Part::Indicators)
        .or(table.parts.first())
        .map_or(&[][..], |grid| grid.shares.as_slice());
    // Excel's column width unit is about one Latin character; a Chinese character takes two.
    let total: u32 = shares.iter().sum::<u32>().max(1);
    let widths: Vec<f64> = shares
        .iter()
        .map(|share| SHEET_WIDTH * f64::from(*share) / f64::from(total))
        .collect();
    for (column, width) in (0u16..).zip(&widths) {
        sheet.set_column_width(column, *width)?;
    }
    let font = &layout.table.font;
    let size = layout.table.size_pt.to_f64().unwrap_or(10.5);
    let base = Format::new()
        .set_font_name(font)
        .set_font_size(size)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let formats = Formats {
        label: base.clone().set_bold().set_align(FormatAlign::Center),
        value: base.clone().set_align(FormatAlign::Center),
        text: base.set_align(FormatAlign::Left),
    };
    let last_column = u16::try_from(shares.len().saturating_sub(1)).unwrap_or(0);
    let title = Format::new()
        .set_font_name(&layout.title.font)
        .set_font_size(layout.title.size_pt.to_f64().unwrap_or(18.0))
        .set_align(FormatAlign::Center);
    // Excel refuses a merge of one cell: a one-column form's title stands in its cell.
    if last_column == 0 {
        sheet.write_string_with_format(0, 0, &table.title, &title)?;
    } else {
        sheet.merge_range(0, 0, 0, last_column, &table.title, &title)?;
    }
    sheet.set_row_height(0, layout.title.size_pt.to_f64().unwrap_or(18.0) * 2.0)?;
    let mut next: u32 = 2;
    for grid in &table.parts {
        if grid.header_rows > 0 {
            sheet.set_repeat_rows(
                next,
                next + u32::try_from(grid.header_rows).unwrap_or(1) - 1,
            )?;
        }
        next = put_rows(sheet, &formats, grid, next, (&widths, size))?;
    }
    write_worksheet(workbook.add_worksheet(), layout, worksheet)?;
    if let Some(grid) = &table.import {
        let sheet = workbook.add_worksheet();
        sheet.set_name("导入")?;
        sheet.set_freeze_panes(1, 0)?;
        let widths: Vec<f64> = grid.rows[0]
            .iter()
            .map(|slot| match slot {
                Slot::Cell(cell) => 4.0 + 2.0 * cell.content.display().chars().count() as f64,
                _ => 10.0,
            })
            .collect();
        for (column, width) in (0u16..).zip(&widths) {
            sheet.set_column_width(column, width.max(10.0))?;
        }
        put_rows(sheet, &formats, grid, 0, (&widths, size))?;
    }
    repacked(workbook.save_to_buffer()?)
}

/// Writes `grid`'s rows from row `next` on, each as high as its wrapped text; the row after
/// them. `widths`: the columns' widths and the font's size, for those heights.
fn put_rows(
    sheet: &mut Worksheet,
    formats: &Formats,
    grid: &crate::render::grid::Grid,
    mut next: u32,
    (widths, size): (&[f64], f64),
) -> Result<u32, XlsxError> {
    for row in &grid.rows {
        // Spreadsheets do not grow a row for wrapped text they did not lay out themselves.
        sheet.set_row_height(next, row_height(row, widths, size))?;
        for (column, slot) in (0u16..).zip(row) {
            if let Slot::Cell(cell) = slot {
                let last_row = next + u32::try_from(cell.rows).unwrap_or(1) - 1;
                let last_col = column + u16::try_from(cell.span).unwrap_or(1) - 1;
                put(
                    sheet,
                    formats,
                    (next, column, last_row, last_col),
                    cell.role,
                    &cell.content,
                )?;
            }
        }
        next += 1;
    }
    Ok(next)
}

/// The package rust_xlsxwriter wrote, each entry of its central directory saying Unix with
/// fixed permissions as a .docx's do: the library records there the system it runs on, which
/// made the Windows .xlsx differ from the Linux one by those bytes alone. Only those fields
/// change, read by the zip format's layout; the parts stay as the library compressed them.
fn repacked(mut xlsx: Vec<u8>) -> Result<Vec<u8>, XlsxError> {
    const END: [u8; 4] = *b"PK\x05\x06";
    const ENTRY: [u8; 4] = *b"PK\x01\x02";
    const UNIX: u8 = 3;
    const MODE: u32 = 0o100_644 << 16;
    let broken = || XlsxError::CustomError("xlsx 的 zip 目录与预期的不同".into());
    let u16_at =
        |bytes: &[u8], at: usize| usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
    // The end record closes the file: the library writes no archive comment.
    let end = xlsx
        .len()
        .checked_sub(22)
        .filter(|&at| xlsx[at..at + 4] == END)
        .ok_or_else(broken)?;
    let entries = u16_at(&xlsx, end + 10);
    let mut at = u32::from_le_bytes([
        xlsx[end + 16],
        xlsx[end + 17],
        xlsx[end + 18],
        xlsx[end + 19],
    ]) as usize;
    for _ in 0..entries {
        let header = xlsx
            .get(at..at + 46)
            .filter(|h| h[..4] == ENTRY)
            .ok_or_else(broken)?;
        let next = at + 46 + u16_at(header, 28) + u16_at(header, 30) + u16_at(header, 32);
        xlsx[at + 5] = UNIX;
        xlsx[at + 38..at + 42].copy_from_slice(&MODE.to_le_bytes());
        at = next;
    }
    Ok(xlsx)
}

/// The 计算底稿's columns: heading and width (in Excel's unit, a Chinese character two).
const WORKSHEET_COLUMNS: [(&str, f64); 16] = [
    ("序号", 6.0),
    ("位置", 28.0),
    ("所在标题", 30.0),
    ("所在句子", 50.0),
    ("印出", 16.0),
    ("名称", 22.0),
    ("来源", 20.0),
    ("公式", 34.0),
    ("输入及其来源", 46.0),
    ("精确值", 16.0),
    ("取舍", 22.0),
    ("目标与判定", 24.0),
    ("结论", 24.0),
    ("分值", 8.0),
    ("得分", 8.0),
    ("评分规则", 40.0),
];

/// One row a figure, the header row frozen; numbers (the exact value, points, score) as numbers.
fn write_worksheet(
    sheet: &mut Worksheet,
    layout: &ScoreTableStyle,
    worksheet: &worksheet::Worksheet,
) -> Result<(), XlsxError> {
    sheet.set_name("计算底稿")?;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    // The cells take their column's format, set once: a format given to each of a large
    // report's thousands of cells was hashed each time, most of a build's work. A column's
    // format reaches its empty cells too, so it draws no rules: the sheet prints its
    // gridlines instead.
    sheet.set_print_gridlines(true);
    let size = layout.table.size_pt.to_f64().unwrap_or(10.5);
    let base = Format::new()
        .set_font_name(&layout.table.font)
        .set_font_size(size)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let label = base
        .clone()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    for (column, (heading, width)) in (0u16..).zip(WORKSHEET_COLUMNS) {
        sheet.set_column_width(column, width)?;
        sheet.set_column_format(column, &base)?;
        sheet.write_string_with_format(0, column, heading, &label)?;
    }
    let percent = base.clone().set_num_format("0.00########%");
    let decimal = base.clone().set_num_format("0.##########");
    for (row, (number, entry)) in (1u32..).zip((1u32..).zip(&worksheet.entries)) {
        let texts = worksheet_texts(entry);
        let lines = (0..WORKSHEET_COLUMNS.len())
            .map(|i| {
                let text: f64 = texts[i]
                    .chars()
                    .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                    .sum();
                (text / (WORKSHEET_COLUMNS[i].1 - 1.5).max(1.0)).ceil()
            })
            .fold(1.0, f64::max);
        sheet.set_row_height(row, lines * size * 1.3 + 4.0)?;
        // 序号, the exact value, 分值 and 得分 are numbers.
        for (column, text) in (0u16..).zip(&texts) {
            if ![0, 9, 13, 14].contains(&column) {
                sheet.write_string(row, column, text)?;
            }
        }
        sheet.write_number(row, 0, f64::from(number))?;
        if let Some(exact) = entry.exact {
            let format = if exact.percent { &percent } else { &decimal };
            sheet.write_number_with_format(row, 9, number_of(exact), format)?;
        }
        for (column, value) in [(13, entry.points), (14, entry.score)] {
            if let Some(value) = value {
                sheet.write_number(row, column, value.to_f64().unwrap_or(0.0))?;
            }
        }
    }
    Ok(())
}

fn number_of(exact: Exact) -> f64 {
    exact.value.to_f64().unwrap_or(0.0)
}

/// The most of a figure's sentence the sheet shows: enough to find it, where a sentence of
/// hostile prose may run past what a cell holds.
const SENTENCE_CHARS: usize = 500;

/// `text`, cut after `most` characters with an ellipsis.
fn shortened(text: &str, most: usize) -> String {
    match text.char_indices().nth(most) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Each column's text; the numeric columns are written over it as numbers.
fn worksheet_texts(entry: &Entry) -> [String; 16] {
    [
        String::new(),
        entry.place.clone(),
        entry.headings.join(" › "),
        shortened(&entry.sentence, SENTENCE_CHARS),
        entry.printed.clone(),
        entry.name.clone(),
        entry.source.clone(),
        entry.formula.clone(),
        entry.inputs.join("；"),
        String::new(),
        entry.rounding.clone(),
        entry.target.clone(),
        entry.verdict.clone(),
        String::new(),
        String::new(),
        entry.score_rule.clone(),
    ]
}

struct Formats {
    label: Format,
    value: Format,
    text: Format,
}

/// One cell or merged range, `(first row, first column, last row, last column)`.
fn put(
    sheet: &mut Worksheet,
    formats: &Formats,
    (row, column, last_row, last_col): (u32, u16, u32, u16),
    role: Role,
    content: &Content,
) -> Result<(), XlsxError> {
    let format = match role {
        Role::Label => &formats.label,
        Role::Value => &formats.value,
        Role::Text => &formats.text,
    };
    let merged = (row, column) != (last_row, last_col);
    match content {
        Content::Text(text) if merged => {
            sheet.merge_range(row, column, last_row, last_col, text, format)?;
        }
        Content::Text(text) => {
            sheet.write_string_with_format(row, column, text, format)?;
        }
        Content::Number {
            value,
            decimals,
            percent,
        } => {
            let shown = if *percent { decimals + 2 } else { *decimals };
            let rounded = value.round_dp_with_strategy(
                shown,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            );
            let zeros = "0".repeat(usize::try_from(*decimals).unwrap_or(0));
            let pattern = match (zeros.is_empty(), percent) {
                (true, false) => "0".to_string(),
                (false, false) => format!("0.{zeros}"),
                (true, true) => "0%".to_string(),
                (false, true) => format!("0.{zeros}%"),
            };
            let format = format.clone().set_num_format(pattern);
            if merged {
                sheet.merge_range(row, column, last_row, last_col, "", &format)?;
            }
            sheet.write_number_with_format(
                row,
                column,
                rounded.to_f64().unwrap_or(0.0),
                &format,
            )?;
        }
    }
    Ok(())
}

/// Points for a row whose tallest cell wraps into that many lines: each line 1.3 times the
/// font size, and the cell's margins. Cells merged down are left to their first row.
fn row_height(row: &[Slot], widths: &[f64], size: f64) -> f64 {
    let lines = (0..row.len())
        .filter_map(|column| match &row[column] {
            Slot::Cell(cell) if cell.rows == 1 => {
                let width: f64 = widths[column..(column + cell.span).min(widths.len())]
                    .iter()
                    .sum();
                let text: f64 = cell
                    .content
                    .display()
                    .chars()
                    .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                    .sum();
                // Less the cell's margins, about a unit and a half.
                Some((text / (width - 1.5).max(1.0)).ceil().max(1.0))
            }
            _ => None,
        })
        .fold(1.0, f64::max);
    lines * size * 1.3 + 4.0
}

/// report.yaml's 日期 ("2024-03-15"); a fixed date without one, never the clock.
fn date(text: Option<&str>) -> Result<ExcelDateTime, XlsxError> {
    let mut parts = text.unwrap_or("1980-01-01").split('-');
    let mut next = || {
        parts
            .next()
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or(1)
    };
    let (year, month, day) = (next(), next(), next());
    ExcelDateTime::from_ymd(
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::style::DEFAULT;
    use crate::render::grid::{Cell, Grid, Part};

    fn table_with(text: String) -> ScoreTable {
        let cell = Cell {
            content: Content::Text(text),
            span: 8,
            rows: 1,
            role: Role::Text,
        };
        ScoreTable {
            import: None,
            title: "自评表".into(),
            unit: "单位".into(),
            date: None,
            parts: vec![Grid {
                part: Part::Header,
                shares: vec![1; 8],
                header_rows: 0,
                kept_with_next: 0..0,
                rows: vec![
                    std::iter::once(Slot::Cell(cell))
                        .chain(std::iter::repeat_n(Slot::Right, 7))
                        .collect(),
                ],
            }],
        }
    }

    /// The same bytes on every system: each entry says Unix with fixed permissions, as a
    /// .docx's do (rust_xlsxwriter alone names the system it runs on).
    #[test]
    fn the_package_names_no_host_system() {
        let style = crate::input::style::Source::Builtin(DEFAULT)
            .load()
            .unwrap();
        let bytes = render(
            &table_with("表".into()),
            &style,
            &worksheet::Worksheet::default(),
        );
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.unwrap())).unwrap();
        assert!(!zip.is_empty());
        for i in 0..zip.len() {
            let entry = zip.by_index(i).unwrap();
            assert_eq!(entry.unix_mode(), Some(0o100644), "{}", entry.name());
        }
    }

    #[test]
    fn a_worksheet_sentence_is_shortened_to_what_a_cell_shows() {
        let style = crate::input::style::Source::Builtin(DEFAULT)
            .load()
            .unwrap();
        let sheet = worksheet::Worksheet {
            entries: vec![Entry {
                sentence: "长".repeat(40_000),
                ..Entry::default()
            }],
        };
        assert!(render(&table_with("表".into()), &style, &sheet).is_ok());
        assert_eq!(shortened("甲乙丙", 2), "甲乙…");
        assert_eq!(shortened("甲乙", 2), "甲乙");
    }

    #[test]
    fn a_cell_too_long_for_excel_is_said_in_chinese_as_the_writers_to_shorten() {
        let style = crate::input::style::Source::Builtin(DEFAULT)
            .load()
            .unwrap();
        let sheet = worksheet::Worksheet::default();
        assert!(render(&table_with("长".repeat(32_767)), &style, &sheet).is_ok());
        let said = render(&table_with("长".repeat(32_768)), &style, &sheet)
            .unwrap_err()
            .diagnostic();
        assert!(said.message.contains("32767 字"), "{said:?}");
        assert!(said.fix().contains("缩短"), "{said:?}");
    }
}
