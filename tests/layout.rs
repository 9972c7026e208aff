//! The GB/T 9704 layout measured in a real consumer: LibreOffice renders the .docx to PDF,
//! poppler reports where every line landed. Ignored, with the reason, where they are not
//! installed (build.rs looks for them on the PATH).

mod common;

use std::path::Path;

use common::layout::{self, Geometry, Page};

/// Builds `dir` (optionally with another style), renders it, and returns the measured pages,
/// the body paragraphs and the headings.
fn render(dir: &Path, style: Option<&Path>) -> (Vec<Page>, Vec<String>, Vec<String>) {
    common::require_renderer();
    let out = tempfile::tempdir().unwrap().keep();
    let docx = out.join("report.docx");
    let mut args = vec![
        "build",
        dir.to_str().unwrap(),
        "-o",
        docx.to_str().unwrap(),
        "--pdf",
    ];
    if let Some(style) = style {
        args.extend(["--style", style.to_str().unwrap()]);
    }
    let output = common::gongwen(&args);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let pdf = docx.with_extension("pdf");
    let paragraphs = common::Package::open(&docx).paragraphs();
    let headings = paragraphs
        .iter()
        .filter(|(s, _)| s.starts_with("Heading"))
        .map(|(_, t)| t.clone())
        .collect();
    let body = paragraphs
        .into_iter()
        .skip(3)
        .filter(|(s, t)| (s == "BodyText" || s.starts_with("Heading")) && !t.is_empty())
        .map(|(_, t)| t)
        .collect();
    (layout::measure(&pdf), body, headings)
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} layout failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
/// In every built-in style: they differ in font names only, and the preview maps each name.
fn the_sample_report_has_the_gbt9704_layout() {
    for style in ["gbt9704", "windows", "fzgbk"] {
        let (pages, paragraphs, headings) =
            render(&common::repo().join("content"), Some(Path::new(style)));
        let g = Geometry::gbt9704();
        assert!(pages.len() >= 10, "{style}: {} pages", pages.len());
        let failures = [
            layout::check(&pages, &g, &headings),
            layout::check_first_page(
                &pages[0],
                &g,
                "附件3",
                "2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果",
            ),
            layout::check_indents(&pages, &g, &paragraphs),
        ]
        .concat();
        let failures = failures
            .into_iter()
            .map(|f| format!("{style}: {f}"))
            .collect();
        assert_no_failures(failures);
        println!("{style}: {}", layout::summary(&pages));
    }
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn a_long_report_with_tables_and_every_heading_level_keeps_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("long");
    let output = common::gongwen(&["generate", report.to_str().unwrap(), "--copies", "2"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let (pages, paragraphs, headings) = render(&report, None);
    assert!(pages.len() >= 20, "{} pages", pages.len());
    let all: String = pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.as_str())
        .collect();
    assert!(
        all.contains("（1）明细") && all.contains("执行率"),
        "no level-4 heading or table"
    );
    let g = Geometry::gbt9704();
    assert_no_failures(layout::check(&pages, &g, &headings));
    assert_no_failures(layout::check_indents(&pages, &g, &paragraphs));
}

/// A style file that breaks the standard must make the measurements fail, naming what is off.
fn failures_with(change: (&str, &str)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap().keep();
    let text = std::fs::read_to_string(common::repo().join("styles/gbt9704.yaml")).unwrap();
    assert!(text.contains(change.0), "style file lacks {}", change.0);
    let style = dir.join("wrong.yaml");
    std::fs::write(&style, text.replace(change.0, change.1)).unwrap();
    let (pages, paragraphs, headings) = render(&common::repo().join("content"), Some(&style));
    let g = Geometry::gbt9704();
    let mut failures = layout::check(&pages, &g, &headings);
    failures.extend(layout::check_indents(&pages, &g, &paragraphs));
    failures
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn a_29_pt_line_pitch_fails_on_lines_per_page() {
    let failures = failures_with(("line_pitch_pt: 28.95", "line_pitch_pt: 29"));
    assert!(
        failures
            .iter()
            .any(|f| f.contains("lines on a full page, expected 22")),
        "{failures:#?}"
    );
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn a_25_mm_margin_fails_on_the_left_edge() {
    let failures = failures_with(("margin_left_mm: 28", "margin_left_mm: 25"));
    assert!(
        failures
            .iter()
            .any(|f| f.contains("left of the 79.4") || f.contains("mm from the left edge")),
        "{failures:#?}"
    );
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn page_numbers_on_the_wrong_side_fail() {
    let failures = failures_with(("indent_chars: 1", "indent_chars: 4"));
    assert!(
        failures.iter().any(|f| f.contains("odd-page number ends")),
        "{failures:#?}"
    );
    assert!(
        failures
            .iter()
            .any(|f| f.contains("even-page number starts")),
        "{failures:#?}"
    );
}

/// Footnotes, tables and tracked changes live in parts and elements a consumer must find; a
/// package that declares one wrongly does not open at all.
#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn footnotes_tables_and_tracked_changes_open_in_libreoffice() {
    common::require_renderer();
    let old = common::report(&[(
        "a.md",
        "# 标题\n\n正文有脚注[^1]。\n\n| 项目 | 金额 |\n|---|---:|\n| 甲 | 1.00 |\n\n[^1]: 脚注内容。\n",
    )]);
    let out = tempfile::tempdir().unwrap();
    let docx = out.path().join("a.docx");
    let output = common::gongwen(&[
        "build",
        old.path().to_str().unwrap(),
        "-o",
        docx.to_str().unwrap(),
        "--pdf",
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let text = common::pdf_text(&docx.with_extension("pdf"));
    for expected in ["正文有脚注", "脚注内容。", "金额", "1.00"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    let new = common::report(&[(
        "a.md",
        "# 标题\n\n正文改过，有脚注[^1]。\n\n新增一段。\n\n[^1]: 脚注内容。\n",
    )]);
    let redline = out.path().join("修订稿.docx");
    let output = common::gongwen(&[
        "redline",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
        "-o",
        redline.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let pdf = redline.with_extension("pdf");
    gongwen::output::pdf::Preview { fonts: None }
        .render(&std::fs::read(&redline).unwrap(), &pdf)
        .unwrap();
    let text = common::pdf_text(&pdf);
    for expected in ["改过", "新增一段。", "脚注内容。"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}
