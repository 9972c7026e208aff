//! Measures a PDF rendered by LibreOffice (poppler's `pdftotext -bbox-layout`) against the
//! GB/T 9704 geometry a style file promises. Every failure names the page and line.

use std::path::Path;
use std::process::Command;

const MM: f64 = 72.0 / 25.4;

#[derive(Debug, Clone)]
pub struct Line {
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
    /// pdftotext splits words at spaces: more than one word means the line has a space.
    pub words: usize,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
}

pub fn measure(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    let xml = String::from_utf8_lossy(&output.stdout);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options).expect("pdftotext output");
    let number = |n: roxmltree::Node<'_, '_>, a: &str| {
        n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0)
    };
    doc.descendants()
        .filter(|n| n.tag_name().name() == "page")
        .map(|page| {
            let mut lines: Vec<Line> = page
                .descendants()
                .filter(|n| n.tag_name().name() == "line")
                .map(|line| Line {
                    x_min: number(line, "xMin"),
                    y_min: number(line, "yMin"),
                    x_max: number(line, "xMax"),
                    y_max: number(line, "yMax"),
                    text: line
                        .descendants()
                        .filter(|n| n.tag_name().name() == "word")
                        .filter_map(|w| w.text())
                        .collect(),
                    words: line
                        .descendants()
                        .filter(|n| n.tag_name().name() == "word")
                        .count(),
                })
                .collect();
            lines.sort_by(|a, b| {
                a.y_max
                    .total_cmp(&b.y_max)
                    .then(a.x_min.total_cmp(&b.x_min))
            });
            Page {
                width: number(page, "width"),
                height: number(page, "height"),
                lines,
            }
        })
        .collect()
}

/// The geometry a style file promises, in PDF points.
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub pitch: f64,
    pub advance: f64,
    pub lines_per_page: usize,
    pub chars_per_line: usize,
    pub number_size: f64,
    pub indent_chars: f64,
}

impl Geometry {
    /// GB/T 9704-2012: A4, margins 37/35/28/26 mm, 22 lines of 28 characters of 16 pt,
    /// page numbers in 14 pt. The pitch is 579 twips, the largest whole-twip pitch that fits
    /// 22 lines in 225 mm; a character advances 15.75 pt so that 28 fit in 156 mm.
    pub fn gbt9704() -> Geometry {
        Geometry {
            width: 210.0 * MM,
            height: 297.0 * MM,
            left: 28.0 * MM,
            right: (210.0 - 26.0) * MM,
            top: 37.0 * MM,
            bottom: (297.0 - 35.0) * MM,
            pitch: 28.95,
            advance: 15.75,
            lines_per_page: 22,
            chars_per_line: 28,
            number_size: 14.0,
            indent_chars: 2.0,
        }
    }
}

/// A line that is a page number: "—3—" (pdftotext drops the thin spaces).
fn page_number(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('—')?.strip_suffix('—')?;
    inner.trim().parse().ok()
}

/// Table text (14 pt) has a smaller line box than body text (16 pt).
fn is_table_text(line: &Line) -> bool {
    line.y_max - line.y_min < 19.5
}

/// Characters that may not start a line (避头) and may not end one (避尾): line breaking moves
/// them, and a full line then holds one character less.
const NO_LINE_START: &str = "，。、；：？！）》」』”’%…";
const NO_LINE_END: &str = "（《「『“‘";

fn is_full_width(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| !c.is_ascii())
}

/// The A4 geometry: what a reviewer checks by eye. `headings` are texts that may open a page
/// early (kept with the paragraph after them); `expected` is what the standard requires.
pub fn check(pages: &[Page], expected: &Geometry, headings: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    let tolerance = MM;
    let mut fail = |message: String| failures.push(message);
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        if (page.width - expected.width).abs() > 1.0 || (page.height - expected.height).abs() > 1.0
        {
            fail(format!(
                "page {number}: size {:.1} × {:.1} pt is not A4",
                page.width, page.height
            ));
        }
        let (footer, body): (Vec<&Line>, Vec<&Line>) = page
            .lines
            .iter()
            .partition(|l| page_number(&l.text).is_some() && l.y_min > expected.bottom);
        // Footer: "— N —", right on odd pages and left on even ones, one character in, 7 mm below.
        match footer.as_slice() {
            [line] => {
                if page_number(&line.text) != Some(number) {
                    fail(format!("page {number}: footer says {:?}", line.text));
                }
                let one_char = expected.number_size;
                if number % 2 == 1 && (line.x_max - (expected.right - one_char)).abs() > tolerance {
                    fail(format!(
                        "page {number}: odd-page number ends at {:.1} mm from the left edge, expected {:.1} mm (right, one character in)",
                        line.x_max / MM,
                        (expected.right - one_char) / MM
                    ));
                }
                if number % 2 == 0 && (line.x_min - (expected.left + one_char)).abs() > tolerance {
                    fail(format!(
                        "page {number}: even-page number starts at {:.1} mm, expected {:.1} mm (left, one character in)",
                        line.x_min / MM,
                        (expected.left + one_char) / MM
                    ));
                }
                let gap = (line.y_min - expected.bottom) / MM;
                if !(5.5..=8.5).contains(&gap) {
                    fail(format!(
                        "page {number}: page number is {gap:.1} mm below the text block, expected about 7 mm"
                    ));
                }
            }
            _ => fail(format!(
                "page {number}: expected one page number below the text block, found {}",
                footer.len()
            )),
        }
        let Some(first) = body.first() else {
            fail(format!("page {number}: no text"));
            continue;
        };
        // Top: the first line's box ends one pitch below the text block's top edge.
        let top = first.y_max - expected.pitch;
        if !is_table_text(first) && (top - expected.top).abs() > tolerance {
            fail(format!(
                "page {number} line 1: text block starts {:.1} mm from the top, expected {:.1} mm",
                top / MM,
                expected.top / MM
            ));
        }
        let mut grid_rows = Vec::new();
        for (i, line) in body.iter().enumerate() {
            let at = format!(
                "page {number} line {} ({})",
                i + 1,
                line.text.chars().take(12).collect::<String>()
            );
            if line.x_min < expected.left - tolerance {
                fail(format!(
                    "{at}: starts {:.1} mm from the left edge, left of the {:.1} mm margin",
                    line.x_min / MM,
                    expected.left / MM
                ));
            }
            if line.x_max > expected.right + tolerance {
                fail(format!(
                    "{at}: ends {:.1} mm from the left edge, past the text block ({:.1} mm)",
                    line.x_max / MM,
                    expected.right / MM
                ));
            }
            if line.y_max > expected.bottom + tolerance {
                fail(format!("{at}: below the text block"));
            }
            let row = (line.y_max - expected.top) / expected.pitch;
            if (row - row.round()).abs() < 0.15 {
                grid_rows.push(row.round() as usize);
            }
            // Characters per full line of Chinese text: 28, or 26 after a two-character indent.
            let full = line.x_max > expected.right - expected.advance / 2.0;
            if full && line.words == 1 && is_full_width(&line.text) && !is_table_text(line) {
                let indent = ((line.x_min - expected.left) / expected.advance).round() as usize;
                let count = line.text.chars().count() + indent;
                // The line after the page's last is the next page's first.
                let next: Vec<char> = body
                    .get(i + 1)
                    .map(|l| l.text.as_str())
                    .or_else(|| {
                        pages
                            .get(index + 1)
                            .and_then(|p| p.lines.first())
                            .map(|l| l.text.as_str())
                    })
                    .map_or(Vec::new(), |text| text.chars().collect());
                let moved_by_line_breaking = next.first().is_some_and(|c| NO_LINE_END.contains(*c))
                    || next.get(1).is_some_and(|c| NO_LINE_START.contains(*c));
                let short_but_broken = count < expected.chars_per_line && moved_by_line_breaking;
                if count != expected.chars_per_line && !short_but_broken {
                    fail(format!(
                        "{at}: {count} characters on a full line (indent included), expected {}",
                        expected.chars_per_line
                    ));
                }
            }
        }
        // Lines per page: every page but the last is filled to the 22nd line, unless the next
        // page opens with a heading kept with its paragraph.
        let last_page = index + 1 == pages.len();
        let next_opens_with_heading = pages
            .get(index + 1)
            .and_then(|p| p.lines.first())
            .is_some_and(|l| {
                is_table_text(l) || headings.iter().any(|h| l.text.starts_with(h.as_str()))
            });
        let has_table = body.iter().any(|l| is_table_text(l));
        let rows = grid_rows.iter().max().copied().unwrap_or(0);
        if !last_page && !has_table && rows > expected.lines_per_page {
            fail(format!(
                "page {number}: {rows} lines, more than {}",
                expected.lines_per_page
            ));
        }
        if !last_page && !has_table && !next_opens_with_heading && rows != expected.lines_per_page {
            fail(format!(
                "page {number}: {rows} lines on a full page, expected {}",
                expected.lines_per_page
            ));
        }
    }
    failures
}

/// Lines of the first page: 附件 label flush left on line 1, title centred, no title line of
/// one or two characters.
pub fn check_first_page(page: &Page, g: &Geometry, label: &str, title: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let tolerance = MM;
    match page.lines.first() {
        Some(line) if line.text == label => {
            if (line.x_min - g.left).abs() > tolerance {
                failures.push(format!(
                    "page 1 line 1: {label} starts {:.1} mm from the left, not flush left",
                    line.x_min / MM
                ));
            }
            if ((line.y_max - g.top) / g.pitch - 1.0).abs() > 0.15 {
                failures.push(format!("page 1 line 1: {label} is not on line 1"));
            }
        }
        other => failures.push(format!(
            "page 1 line 1: expected {label:?}, found {:?}",
            other.map(|l| &l.text)
        )),
    }
    let compact: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let title_lines: Vec<&Line> = page
        .lines
        .iter()
        .skip(1)
        .take_while(|l| compact.contains(l.text.as_str()))
        .collect();
    if title_lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<String>()
        != compact
    {
        failures.push(format!(
            "page 1: title lines {:?} do not spell {compact:?}",
            title_lines.iter().map(|l| &l.text).collect::<Vec<_>>()
        ));
    }
    let centre = (g.left + g.right) / 2.0;
    for (i, line) in title_lines.iter().enumerate() {
        let mid = (line.x_min + line.x_max) / 2.0;
        if (mid - centre).abs() > tolerance {
            failures.push(format!(
                "page 1 title line {}: centred at {:.1} mm, expected {:.1} mm",
                i + 1,
                mid / MM,
                centre / MM
            ));
        }
        if line.text.chars().count() <= 2 {
            failures.push(format!("page 1 title line {}: only {:?}", i + 1, line.text));
        }
    }
    if let Some(first) = title_lines.first() {
        let row = ((first.y_max - g.top) / g.pitch).round();
        if row != 3.0 {
            failures.push(format!(
                "page 1: title starts on line {row}, expected line 3 (line 2 empty)"
            ));
        }
    }
    failures
}

/// Every paragraph's first line starts two characters in.
pub fn check_indents(pages: &[Page], g: &Geometry, paragraphs: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    let expected = g.left + g.indent_chars * g.advance;
    let lines: Vec<(usize, usize, &Line)> = pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            page.lines
                .iter()
                .enumerate()
                .map(move |(i, l)| (p + 1, i + 1, l))
        })
        .collect();
    for paragraph in paragraphs {
        let start: String = paragraph
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(8)
            .collect();
        if start.chars().count() < 4 {
            continue;
        }
        match lines.iter().find(|(_, _, l)| l.text.starts_with(&start)) {
            Some((page, line, l)) if (l.x_min - expected).abs() > MM => failures.push(format!(
                "page {page} line {line} ({start}): first line starts {:.1} mm from the left edge, expected {:.1} mm (two characters in)",
                l.x_min / MM,
                expected / MM
            )),
            Some(_) => {}
            None => failures.push(format!("paragraph starting {start:?} not found in the PDF")),
        }
    }
    failures
}

/// The measured figures, for the record: margins, lines per page, characters per line, footer.
pub fn summary(pages: &[Page]) -> String {
    let g = Geometry::gbt9704();
    let body: Vec<&Line> = pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| page_number(&l.text).is_none())
        .collect();
    let left = body.iter().map(|l| l.x_min).fold(f64::MAX, f64::min);
    let right = body.iter().map(|l| l.x_max).fold(0.0, f64::max);
    let tops: Vec<f64> = pages
        .iter()
        .filter_map(|p| p.lines.first())
        .map(|l| l.y_max - g.pitch)
        .collect();
    let rows: Vec<usize> = pages
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .filter(|l| page_number(&l.text).is_none())
                .map(|l| ((l.y_max - g.top) / g.pitch).round() as usize)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let full: Vec<usize> = body
        .iter()
        .filter(|l| {
            l.x_max > g.right - g.advance / 2.0
                && l.words == 1
                && is_full_width(&l.text)
                && (l.x_min - g.left).abs() < 1.0
        })
        .map(|l| l.text.chars().count())
        .collect();
    let footers: Vec<String> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let f = p.lines.iter().find(|l| page_number(&l.text).is_some())?;
            let side = if i % 2 == 0 {
                (g.right - f.x_max) / MM
            } else {
                (f.x_min - g.left) / MM
            };
            Some(format!(
                "p{} {:.1}mm in, {:.1}mm below",
                i + 1,
                side,
                (f.y_min - g.bottom) / MM
            ))
        })
        .take(2)
        .collect();
    format!(
        "pages {}; page {:.1}×{:.1} mm; left edge {:.2} mm; right edge {:.2} mm; top {:.2}–{:.2} mm; lines per page {:?}; characters per full line {}–{} over {} lines; footers {}",
        pages.len(),
        pages[0].width / MM,
        pages[0].height / MM,
        left / MM,
        right / MM,
        tops.iter().copied().fold(f64::MAX, f64::min) / MM,
        tops.iter().copied().fold(0.0, f64::max) / MM,
        rows,
        full.iter().min().unwrap_or(&0),
        full.iter().max().unwrap_or(&0),
        full.len(),
        footers.join("; ")
    )
}
