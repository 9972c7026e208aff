//! Every kind of file gongwen writes passes the Open XML validators as Word's users would run
//! them (tests/common/validator.rs), and the check has teeth: one run property out of schema
//! order fails it.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::validator;

/// A report with all four heading levels, run-in headings, emphasis, a table with a title
/// and a unit line, and footnotes.
const LONG: &str = "# 基本情况\n\n正文有**加粗**和*倾斜*，还有脚注[^1]。\n\n## 部门职责\n\n1. **收集信息**。对照目标收集信息。\n2. **分析数据**。逐项分析。\n\n### 预算情况\n\n表1 部门支出情况\n\n单位：万元\n\n| 项目 | 预算数 | 实际支出（万元） |\n|---|---:|---:|\n| 基本支出 | 1200.5 | 1100.25 |\n| 项目支出 | 300 | 280.1 |\n\n#### 公用经费控制率\n\n公用经费控制率为87.35%[^2]。\n\n[^1]: 第一个脚注。\n[^2]: 第二个脚注，含数字2023。\n";

fn build(dir: &Path, out: &Path) -> PathBuf {
    let path = out.join("out.docx");
    let output = common::gongwen(&["build", dir.to_str().unwrap(), "-o", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    path
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn the_sample_report_passes_both_validators() {
    let out = tempfile::tempdir().unwrap();
    validator::assert_valid(&build(&common::repo().join("content"), out.path()));
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn a_report_with_tables_footnotes_and_every_level_passes() {
    let report = common::report(&[("a.md", LONG)]);
    let out = tempfile::tempdir().unwrap();
    validator::assert_valid(&build(report.path(), out.path()));
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn a_generated_long_report_passes() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("long");
    let output = common::gongwen(&["generate", report.to_str().unwrap(), "--copies", "2"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    validator::assert_valid(&build(&report, dir.path()));
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn a_redline_with_table_and_footnote_changes_passes() {
    let old = common::report(&[("a.md", LONG)]);
    let changed = LONG
        .replace("有**加粗**", "改为**加粗**")
        .replace("| 280.1 |", "| 281.1 |\n| 其他支出 | 10 | 9.5 |")
        .replace("逐项分析。", "逐项分析[^3]。")
        + "[^3]: 新增的脚注。\n";
    let new = common::report(&[("a.md", &changed)]);
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("修订稿.docx");
    let output = common::gongwen(&[
        "redline",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    validator::assert_valid(&path);
}

/// Copies the package at `from` to `to` with `part` changed by `edit`.
fn with_part_changed(from: &Path, to: &Path, part: &str, edit: impl Fn(&str) -> String) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        if entry.name() == part {
            text = edit(&text);
        }
        out.start_file(entry.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn one_rfonts_after_sz_fails_the_check() {
    let out = tempfile::tempdir().unwrap();
    let good = build(&common::repo().join("content"), out.path());
    let bad = out.path().join("bad.docx");
    with_part_changed(&good, &bad, "word/styles.xml", |xml| {
        // The first style's run properties: w:rFonts moved after w:szCs.
        let start = xml.find("<w:style ").unwrap();
        let fonts_at = start + xml[start..].find("<w:rFonts ").unwrap();
        let fonts_end = fonts_at + xml[fonts_at..].find("/>").unwrap() + 2;
        let fonts = &xml[fonts_at..fonts_end];
        let without = format!("{}{}", &xml[..fonts_at], &xml[fonts_end..]);
        let size_at = fonts_at + without[fonts_at..].find("<w:szCs ").unwrap();
        let size_end = size_at + without[size_at..].find("/>").unwrap() + 2;
        format!("{}{fonts}{}", &without[..size_end], &without[size_end..])
    });
    let findings = validator::audit(&bad);
    assert!(
        findings
            .iter()
            .any(|f| f.contains("/word/styles.xml") && f.contains("rFonts")),
        "the validator did not see w:rFonts after w:sz: {findings:#?}"
    );
}
