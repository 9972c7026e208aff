//! `gongwen import`: Word reports in, report directories out, checked by building them again.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{gongwen, stderr};
use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footnote, IndentLevel, Level, LevelJc, LevelText,
    NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts, Start, Table, TableCell,
    TableRow,
};

fn textconv(docx: &Path) -> String {
    let output = gongwen(&["textconv", docx.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Builds without the check: the defects typed in an imported report survive import (the
/// check reports them), and these tests compare the text.
fn build_to(report: &Path, docx: &Path) {
    let output = gongwen(&[
        "build",
        report.to_str().unwrap(),
        "-o",
        docx.to_str().unwrap(),
        "--no-check",
    ]);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
}

/// Imports `docx` into `work/imported` and returns that directory and import's stdout.
fn import(docx: &Path, work: &Path, extra: &[&str]) -> (PathBuf, String) {
    let dir = work.join("imported");
    let mut args = vec![
        "import",
        docx.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    let output = gongwen(&args);
    assert!(
        output.status.success(),
        "import failed: {}",
        stderr(&output)
    );
    (dir, String::from_utf8(output.stdout).unwrap())
}

/// import(build(report)) builds to the same text as build(report); the imported directory
/// lives as long as the returned TempDir.
fn assert_round_trip(report: &Path) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("original.docx");
    build_to(report, &original);
    let (dir, _) = import(&original, work.path(), &[]);
    let again = work.path().join("again.docx");
    build_to(&dir, &again);
    let (before, after) = (textconv(&original), textconv(&again));
    if before != after {
        let diff = similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .to_string();
        panic!("the imported report builds to different text:\n{diff}");
    }
    (work, dir)
}

/// Headings of the imported report, as "level text", in file order.
fn headings(dir: &Path) -> Vec<(usize, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| {
                    let level = l.len() - l.trim_start_matches('#').len();
                    (level, l[level..].trim().to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_sample_round_trips() {
    let (_work, dir) = assert_round_trip(&common::repo().join("content"));
    assert_eq!(headings(&dir), headings(&common::repo().join("content")));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for name in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let name = name.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
    }
    let report = std::fs::read_to_string(dir.join("report.yaml")).unwrap();
    for line in [
        "附件: \"附件3\"",
        "标题: \"{{ 年度 }}年度{{ 单位 }}整体绩效自评结果\"",
        "单位: \"鄂州葛店经济技术开发区党工委管委会办公室\"",
        "年度: 2023",
        "样式: \"gbt9704\"",
        "日期: 2024-03-15",
    ] {
        assert!(report.contains(line), "{line} not in\n{report}");
    }
    let basic = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    assert!(
        basic.contains("\n2. **完成的工作目标**。高标准推进"),
        "{basic}"
    );
}

#[test]
fn a_generated_long_report_round_trips_with_its_tables() {
    let work = tempfile::tempdir().unwrap();
    let generated = work.path().join("long");
    let output = gongwen(&["generate", generated.to_str().unwrap(), "--copies", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (_work, dir) = assert_round_trip(&generated);
    let tables = std::fs::read_to_string(dir.join("06-分项目执行情况.md")).unwrap();
    assert!(
        tables.contains("表1 项目执行情况\n\n单位：万元\n\n| 项目 | 预算数 | 实际支出 | 执行率 | 结论 |\n|---|---|---|---|---|\n| 项目1 | 101.01 |"),
        "{tables}"
    );
    assert!(tables.contains("\n#### 明细\n"), "{tables}");
}

#[test]
fn footnotes_line_breaks_and_markup_characters_survive() {
    let report = common::report(&[(
        "01-正文.md",
        "# 基本情况\n\n单位情况[^1]，见下表。第一行\\\n第二行 *强调* 与 1\\*2、a\\_b、\\[x\\]、\\{\\{ 不是占位符 }}。\n\n| 项目 | 金额 |\n|---|---:|\n| 甲 | 1.00 |\n\n[^1]: 数据来自2023年决算报表。\n",
    )]);
    let (_work, dir) = assert_round_trip(report.path());
    let text = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    assert!(text.contains("单位情况[^1]，见下表"), "{text}");
    assert!(text.contains("[^1]: 数据来自2023年决算报表。"), "{text}");
    assert!(text.contains("| 甲 | 1.00 |"), "{text}");
}

/// A writer's file: headings numbered by Word (numbering.xml) in the Chinese patterns, typed
/// in 黑体 or 楷体 by direct formatting, a table and a footnote.
fn writers_docx() -> Vec<u8> {
    let level = |i, format: &str, text: &str| {
        Level::new(
            i,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
    };
    let numbering = AbstractNumbering::new(1)
        .add_level(level(0, "chineseCounting", "%1、"))
        .add_level(level(1, "chineseCounting", "（%2）"))
        .add_level(level(2, "decimal", "%3."))
        .add_level(level(3, "decimal", "（%4）"));
    let heading = |ilvl: usize, text: &str, font: &str| {
        Paragraph::new()
            .numbering(NumberingId::new(1), IndentLevel::new(ilvl))
            .add_run(
                Run::new()
                    .add_text(text)
                    .fonts(RunFonts::new().east_asia(font)),
            )
    };
    let body = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let cell = |text: &str| TableCell::new().add_paragraph(body(text));
    let footnote = Footnote::new().add_content(body("决算数据以财政批复为准。"));
    let docx = Docx::new()
        .add_abstract_numbering(numbering)
        .add_numbering(Numbering::new(1, 1))
        .add_paragraph(body("附件2"))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("2024年度某某市财政局部门整体绩效自评报告")),
        )
        .add_paragraph(heading(0, "基本情况", "黑体"))
        .add_paragraph(body("某某市财政局是市政府组成部门。"))
        .add_paragraph(heading(1, "部门职责", "楷体_GB2312"))
        .add_paragraph(body("负责全市财政收支管理。"))
        .add_paragraph(heading(2, "主要职能", "仿宋_GB2312"))
        .add_paragraph(body("拟订财政发展规划。"))
        .add_paragraph(heading(3, "综合协调", "仿宋_GB2312"))
        .add_paragraph(body("协调各科室工作。"))
        .add_paragraph(heading(3, "督查督办", "仿宋_GB2312"))
        .add_paragraph(body("督办重点事项。"))
        .add_paragraph(heading(0, "绩效目标完成情况", "黑体"))
        .add_paragraph(heading(1, "运行成本", "楷体_GB2312"))
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("项目"), cell("金额（万元）")]),
            TableRow::new(vec![cell("公用经费"), cell("240.63")]),
        ]))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("公用经费支出见上表"))
                .add_run(Run::new().add_footnote_reference(footnote))
                .add_run(Run::new().add_text("。")),
        )
        .add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text("管理效率")
                    .fonts(RunFonts::new().east_asia("楷体_GB2312")),
            ),
        )
        .add_paragraph(body("预算编制较科学。"));
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).unwrap();
    bytes.into_inner()
}

#[test]
fn headings_numbered_by_word_import_at_their_levels_with_a_table_and_a_footnote() {
    let work = tempfile::tempdir().unwrap();
    let docx = work.path().join("writer.docx");
    std::fs::write(&docx, writers_docx()).unwrap();
    let (dir, summary) = import(&docx, work.path(), &[]);
    assert_eq!(
        headings(&dir),
        [
            (1, "基本情况"),
            (2, "部门职责"),
            (3, "主要职能"),
            (4, "综合协调"),
            (4, "督查督办"),
            (1, "绩效目标完成情况"),
            (2, "运行成本"),
            (2, "管理效率"),
        ]
        .map(|(l, t)| (l, t.to_string()))
    );
    assert!(
        summary.contains("章节文件 2 个；标题 一级 2、二级 3、三级 1、四级 2；表格 1 个"),
        "{summary}"
    );
    let second = std::fs::read_to_string(dir.join("02-绩效目标完成情况.md")).unwrap();
    assert!(
        second.contains("| 项目 | 金额（万元） |\n|---|---|\n| 公用经费 | 240.63 |"),
        "{second}"
    );
    assert!(
        second.contains("公用经费支出见上表[^1]。")
            && second.contains("[^1]: 决算数据以财政批复为准。"),
        "{second}"
    );
    let report = std::fs::read_to_string(dir.join("report.yaml")).unwrap();
    assert!(report.contains("附件: \"附件2\""), "{report}");
    assert!(report.contains("单位: \"某某市财政局\""), "{report}");
    assert!(report.contains("年度: 2024"), "{report}");
    let rebuilt = work.path().join("rebuilt.docx");
    build_to(&dir, &rebuilt);
    let text = textconv(&rebuilt);
    for line in [
        "\n一、基本情况\n",
        "\n（一）部门职责\n",
        "\n1.主要职能\n",
        "\n（2）督查督办\n",
        "\n二、绩效目标完成情况\n",
        "\n（二）管理效率\n",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
}

fn soffice(work: &Path, args: &[&str], input: &Path) -> PathBuf {
    let out = work.join("lo");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            work.display()
        ))
        .arg("--headless")
        .args(args)
        .arg("--outdir")
        .arg(&out)
        .arg(input)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
    let stem = input.file_stem().unwrap();
    out.join(Path::new(stem).with_extension("docx"))
}

#[test]
#[cfg_attr(not(soffice), ignore = "needs soffice")]
fn a_report_saved_again_by_libreoffice_round_trips() {
    let work = tempfile::tempdir().unwrap();
    let ours = work.path().join("ours.docx");
    build_to(&common::repo().join("content"), &ours);
    let resaved = soffice(
        work.path(),
        &["--convert-to", "docx:MS Word 2007 XML"],
        &ours,
    );
    let (dir, _) = import(&resaved, work.path(), &[]);
    assert_eq!(headings(&dir), headings(&common::repo().join("content")));
    let again = work.path().join("again.docx");
    build_to(&dir, &again);
    assert_eq!(textconv(&again), textconv(&ours));
}

/// The level-2 headings under each level-1 heading.
fn outline(headings: &[(usize, String)]) -> Vec<(String, Vec<String>)> {
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    for (level, text) in headings {
        match (level, parts.last_mut()) {
            (1, _) => parts.push((text.clone(), Vec::new())),
            (2, Some((_, children))) => children.push(text.trim_end_matches('。').to_string()),
            _ => {}
        }
    }
    parts
}

#[test]
#[cfg_attr(not(soffice), ignore = "needs soffice")]
fn the_seed_as_a_word_document_imports_with_content_s_outline() {
    let work = tempfile::tempdir().unwrap();
    let txt = work.path().join("seed.txt");
    std::fs::copy(
        common::repo().join("tests/fixtures/seed-verbatim/seed.txt"),
        &txt,
    )
    .unwrap();
    let docx = soffice(
        work.path(),
        &[
            "--infilter=Text (encoded):UTF8,LF,,,",
            "--convert-to",
            "docx:MS Word 2007 XML",
        ],
        &txt,
    );
    let (dir, summary) = import(&docx, work.path(), &[]);
    assert_seed_outline(&dir);
    // The seed's typed defects survive import, and check finds them.
    for rule in ["N003", "W001", "T001", "T005", "T006", "S005"] {
        assert!(summary.contains(rule), "{rule} not in\n{summary}");
    }
    let check = gongwen(&["check", dir.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("210,18") && report.contains("截止"),
        "{report}"
    );
}

/// The seed imported in `dir` has content/'s outline, its wrongly typed numbers read at
/// their place.
fn assert_seed_outline(dir: &Path) {
    let imported = headings(dir);
    let mut expected = outline(&headings(&common::repo().join("content")));
    // content/ renamed the one heading that repeated its parent (S004).
    for (_, children) in &mut expected {
        for child in children {
            if child == "具体改进措施" {
                *child = "下一步拟改进措施".to_string();
            }
        }
    }
    assert_eq!(outline(&imported), expected);
    // The typed numbers are gone, the wrong ones read at their place.
    assert!(
        imported
            .iter()
            .all(|(_, t)| !t.starts_with(['1', '（', '一', '二']))
    );
    for (level, text) in [
        (3, "新闻宣传工作取得历史性突破"),
        (3, "高标准推进党建工作，为全区高质量发展提供组织保障"),
        (4, "公用经费控制率"),
    ] {
        assert!(
            imported.contains(&(level, text.to_string())),
            "{level} {text}: {imported:?}"
        );
    }
    let basic = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    assert!(basic.contains("\n1. 2023年以来，"), "{basic}");
    assert!(
        basic.contains("\n2. **完成的工作目标**。高标准推进"),
        "{basic}"
    );
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn hostile_files_get_a_located_error_and_write_nothing() {
    const DOCUMENT: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p></w:body></w:document>"#;
    let entities = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
    let spaces = " ".repeat(17 << 20);
    let bomb = format!(
        "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{spaces}</w:styles>"
    );
    let empty = DOCUMENT.replace("<w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p>", "<w:p/>");
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            "empty",
            zip(&[("word/document.xml", empty.as_bytes())]),
            "没有读到正文",
        ),
        (
            "not-a-zip",
            b"PK not really".to_vec(),
            "不是 .docx（zip）文件",
        ),
        (
            "no-document",
            zip(&[("word/styles.xml", b"<x/>")]),
            "缺少 word/document.xml",
        ),
        (
            "dtd",
            zip(&[("word/document.xml", entities.as_bytes())]),
            "不是合法的 XML",
        ),
        (
            "styles-bomb",
            zip(&[
                ("word/document.xml", DOCUMENT.as_bytes()),
                ("word/styles.xml", bomb.as_bytes()),
            ]),
            "word/styles.xml 解压后超过 16 MB",
        ),
        (
            "broken-numbering",
            zip(&[
                ("word/document.xml", DOCUMENT.as_bytes()),
                ("word/numbering.xml", b"<w:numbering"),
            ]),
            "word/numbering.xml 不是合法的 XML",
        ),
    ];
    let work = tempfile::tempdir().unwrap();
    for (name, bytes, expected) in cases {
        let file = work.path().join(format!("{name}.docx"));
        std::fs::write(&file, bytes).unwrap();
        let dir = work.path().join(name);
        let output = gongwen(&[
            "import",
            file.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {message}");
        assert!(
            message.contains(&format!("--> {}:1:1\n", file.display()))
                && message.contains(expected),
            "{name}: {message}"
        );
        assert!(!dir.exists(), "{name}: wrote {}", dir.display());
    }
}

#[test]
fn import_never_writes_into_a_folder_that_has_files() {
    let work = tempfile::tempdir().unwrap();
    let docx = work.path().join("writer.docx");
    std::fs::write(&docx, writers_docx()).unwrap();
    let dir = work.path().join("taken");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("01-基本情况.md"), "# 我的稿子\n").unwrap();
    let output = gongwen(&[
        "import",
        docx.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("不会覆盖"), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap(),
        "# 我的稿子\n"
    );
}

#[test]
fn figures_move_to_data_and_confirmed_indicator_values_become_placeholders() {
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("original.docx");
    build_to(&common::repo().join("content"), &original);
    let indicators = common::repo().join("content/indicators.yaml");
    let (dir, summary) = import(
        &original,
        work.path(),
        &["--figures", "--indicators", indicators.to_str().unwrap()],
    );
    let data = std::fs::read_to_string(dir.join("data.yaml")).unwrap();
    assert!(
        data.contains("公用经费:\n  预算数: 240.63 万元\n  实际支出: 210.18 万元\n"),
        "{data}"
    );
    assert!(data.contains("  编制数: ~\n"), "{data}");
    let part = std::fs::read_to_string(dir.join("03-部门整体绩效目标完成情况.md")).unwrap();
    assert!(
        part.contains("公用经费预算{{ 公用经费.预算数 }}万元，实际支出{{ 公用经费.实际支出 }}万元，则公用经费控制率为{{ 公用经费控制率 }}，{{ 公用经费控制率.结论 }}。"),
        "{part}"
    );
    // A rate the unit reports as it is goes to data.yaml, and the prose gets the indicator.
    assert!(data.contains("  事前绩效评估完成率: 100%\n"), "{data}");
    assert!(
        part.contains("完成率为{{ 事前绩效评估完成率 }}，{{ 事前绩效评估完成率.结论 }}。"),
        "{part}"
    );
    // 预算安排 is the 自评表's 年初预算数: the adjustment rate is computed and confirmed.
    assert!(
        part.contains("2023年预算安排{{ 预算.年初预算数 }}万元，财政下达预算指标{{ 预算.调整后预算数 }}万元，较年初预算数调减了{{ 预算.调减数 }}万元，预算调整率为{{ 预算调整率 }}，{{ 预算调整率.结论 }}。"),
        "{part}"
    );
    assert!(!summary.contains("未改为"), "{summary}");
    let again = work.path().join("again.docx");
    build_to(&dir, &again);
    assert_eq!(textconv(&again), textconv(&original));
}

#[test]
#[cfg_attr(not(pandoc), ignore = "needs pandoc")]
fn a_docx_written_by_pandoc_imports_with_its_outline() {
    let work = tempfile::tempdir().unwrap();
    let output = gongwen(&["markdown", "content"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let markdown = work.path().join("report.md");
    std::fs::write(&markdown, &output.stdout).unwrap();
    let docx = work.path().join("pandoc.docx");
    let status = Command::new("pandoc")
        .arg(&markdown)
        .arg("-o")
        .arg(&docx)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
    let (dir, summary) = import(&docx, work.path(), &[]);
    assert_eq!(headings(&dir), headings(&common::repo().join("content")));
    // pandoc writes no title: report.yaml asks for one.
    assert!(summary.contains("请填写“标题”"), "{summary}");
    let basic = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    assert!(
        basic.contains("\n2. **完成的工作目标**。高标准推进"),
        "{basic}"
    );
}

/// The check's errors in import's summary are printed as build and check print them: the
/// code, `--> file:line:col`, the line with a caret and the fix.
#[test]
fn the_summary_prints_check_errors_as_the_check_does() {
    const DOCUMENT: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>某局2024年度部门整体绩效自评报告</w:t></w:r></w:p><w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p><w:p><w:r><w:t>全年支出1,702,36万元。</w:t></w:r></w:p></w:body></w:document>"#;
    let work = tempfile::tempdir().unwrap();
    let docx = work.path().join("typed.docx");
    std::fs::write(&docx, zip(&[("word/document.xml", DOCUMENT.as_bytes())])).unwrap();
    let (dir, summary) = import(&docx, work.path(), &[]);
    let section = dir.join("01-基本情况.md");
    let error = format!(
        "error[N003]: 数字“1,702,36”写法有误\n  --> {}:7:5\n",
        section.display()
    );
    assert!(summary.contains(&error), "{summary}");
    assert!(summary.contains("= 修改：小数点应为“.”"), "{summary}");
    assert!(!summary.contains("错误："), "{summary}");
    // `gongwen check` prints its findings on stdout.
    let check = gongwen(&["check", dir.to_str().unwrap()]);
    let checked = String::from_utf8(check.stdout).unwrap();
    let block = summary.split_once("error[N003]").unwrap().1;
    let block = block.split_once("\n\n").unwrap().0;
    assert!(checked.contains(block), "{checked}");
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A .docx as Word and LibreOffice write it: `body` is document.xml's w:body, `numbering`
/// numbering.xml's definitions (w:abstractNum, w:num); with the package's content types and
/// relationships, so that LibreOffice opens it too.
fn docx_of(body: &str, numbering: &str) -> Vec<u8> {
    const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;
    let document = format!(r#"<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#);
    let numbering = format!(r#"<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>"#);
    zip(&[
        ("[Content_Types].xml", TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
    ])
}

fn text_paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A paragraph numbered by list `num` at level `ilvl`; `runs` is its w:r elements.
fn numbered_runs(num: u32, ilvl: u8, runs: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{runs}</w:p>"#
    )
}

fn numbered(num: u32, ilvl: u8, text: &str) -> String {
    numbered_runs(num, ilvl, &format!("<w:r><w:t>{text}</w:t></w:r>"))
}

/// w:lvl elements: (format, text) per level from 0.
fn levels(formats: &[(&str, &str)]) -> String {
    formats
        .iter()
        .enumerate()
        .map(|(i, (format, text))| {
            format!(
                r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/></w:lvl>"#
            )
        })
        .collect()
}

/// Imports `bytes` as a .docx; the directory lives as long as the TempDir.
fn import_docx(bytes: &[u8], extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let work = tempfile::tempdir().unwrap();
    let docx = work.path().join("office.docx");
    std::fs::write(&docx, bytes).unwrap();
    let (dir, summary) = import(&docx, work.path(), extra);
    (work, dir, summary)
}

fn owned(headings: &[(usize, &str)]) -> Vec<(usize, String)> {
    headings.iter().map(|(l, t)| (*l, t.to_string())).collect()
}

/// Every numbering format that prints Chinese, full-width or enclosed numbers is read as the
/// number it prints: LibreOffice's taiwaneseCountingThousand 一、 is level 1, not "1、".
#[test]
fn chinese_full_width_and_enclosed_list_numbers_keep_their_levels() {
    let chinese = [
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographTraditional",
        "ideographDigital",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "taiwaneseDigital",
    ];
    // Levels 3 and 4: (format, text) each.
    let arabic = [
        [("decimalFullWidth", "%3．"), ("decimalFullWidth", "（%4）")],
        [("decimalFullWidth2", "%3、"), ("decimalFullWidth2", "(%4)")],
        [
            ("decimalEnclosedFullstop", "%3"),
            ("decimalEnclosedParen", "%4"),
        ],
        [("decimal", "%3."), ("decimalEnclosedParen", "%4")],
    ];
    for format in chinese {
        for [third, fourth] in arabic {
            let numbering = format!(
                r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
                levels(&[(format, "%1、"), (format, "（%2）"), third, fourth])
            );
            let body = [
                text_paragraph("2023年度某某区财政局部门整体绩效自评报告"),
                numbered(1, 0, "基本情况"),
                text_paragraph("某某区财政局是区政府组成部门。"),
                numbered(1, 1, "部门职责"),
                text_paragraph("负责全区财政收支管理。"),
                numbered(1, 2, "主要职能"),
                numbered(1, 3, "综合协调"),
                text_paragraph("协调各科室工作。"),
                numbered(1, 3, "督查督办"),
                text_paragraph("督办重点事项。"),
                numbered(1, 1, "人员情况"),
                text_paragraph("在职人员33人。"),
                numbered(1, 0, "绩效目标完成情况"),
                text_paragraph("全面完成。"),
            ]
            .concat();
            let (_work, dir, _) = import_docx(&docx_of(&body, &numbering), &[]);
            assert_eq!(
                headings(&dir),
                owned(&[
                    (1, "基本情况"),
                    (2, "部门职责"),
                    (3, "主要职能"),
                    (4, "综合协调"),
                    (4, "督查督办"),
                    (2, "人员情况"),
                    (1, "绩效目标完成情况"),
                ]),
                "{format} with {third:?} {fourth:?}"
            );
        }
    }
}

/// Word's "restart at 1": a list that reuses a definition through w:lvlOverride
/// (w:startOverride, or a w:lvl of its own) counts from its start again.
#[test]
fn a_list_restarted_at_one_counts_from_one() {
    let item_levels = levels(&[("decimal", "%1.")]);
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum>
        <w:abstractNum w:abstractNumId="1">{item_levels}</w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        <w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">{item_levels}</w:lvlOverride></w:num>"#,
        levels(&[("taiwaneseCountingThousand", "%1、")])
    );
    let item = |num, text: &str| numbered(num, 0, &format!("{text}，按计划推进各项工作。"));
    let body = [
        numbered(1, 0, "基本情况"),
        item(2, "甲项"),
        item(2, "乙项"),
        item(2, "丙项"),
        numbered(1, 0, "绩效目标完成情况"),
        item(3, "丁项"),
        item(3, "戊项"),
        numbered(1, 0, "存在的问题"),
        item(4, "己项"),
        item(4, "庚项"),
    ]
    .concat();
    let (_work, dir, _) = import_docx(&docx_of(&body, &numbering), &[]);
    let all: String = [
        "01-基本情况.md",
        "02-绩效目标完成情况.md",
        "03-存在的问题.md",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
    .collect();
    for line in [
        "\n1. 甲项，",
        "\n2. 乙项，",
        "\n3. 丙项，",
        "\n1. 丁项，",
        "\n2. 戊项，",
        "\n1. 己项，",
        "\n2. 庚项，",
    ] {
        assert!(all.contains(line), "{line:?} not in\n{all}");
    }
}

/// Shift+Enter after a heading: the heading's line ends at the break, the rest is the first
/// paragraph under it, and the next heading stays its sibling.
#[test]
fn a_heading_ended_by_a_manual_line_break_keeps_its_level_and_its_text() {
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        levels(&[
            ("taiwaneseCountingThousand", "%1、"),
            ("taiwaneseCountingThousand", "（%2）")
        ])
    );
    let body = [
        numbered(1, 0, "基本情况"),
        numbered_runs(
            1,
            1,
            "<w:r><w:t>部门职责</w:t><w:br/><w:t>负责全区财政收支管理。</w:t></w:r>",
        ),
        numbered(1, 1, "人员情况"),
        text_paragraph("在职人员33人。"),
        "<w:p><w:r><w:t>（三）资产情况</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>资产总额稳定。</w:t><w:br/><w:t>第二行。</w:t></w:r></w:p>".to_string(),
        numbered(1, 1, "财务情况"),
        text_paragraph("收支平衡。"),
    ]
    .concat();
    let (_work, dir, _) = import_docx(&docx_of(&body, &numbering), &[]);
    assert_eq!(
        headings(&dir),
        owned(&[
            (1, "基本情况"),
            (2, "部门职责"),
            (2, "人员情况"),
            (2, "资产情况"),
            (2, "财务情况"),
        ])
    );
    let text = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    assert!(
        text.contains("## 部门职责\n\n负责全区财政收支管理。\n"),
        "{text}"
    );
    assert!(
        text.contains("## 资产情况\n\n资产总额稳定。\\\n第二行。\n"),
        "{text}"
    );
}

/// Numbers typed with a Chinese input method's full-width digits are numbers.
#[test]
fn typed_markers_with_full_width_digits_are_headings() {
    let body = [
        "2023年度某某区财政局部门整体绩效自评报告",
        "一、基本情况",
        "（一）部门职责",
        "１．主要职能",
        "（１）综合协调",
        "协调各科室工作。",
        "（２）督查督办",
        "督办重点事项。",
        "２．人员情况",
        "在职人员33人。",
    ]
    .map(text_paragraph)
    .concat();
    let (_work, dir, _) = import_docx(&docx_of(&body, ""), &[]);
    assert_eq!(
        headings(&dir),
        owned(&[
            (1, "基本情况"),
            (2, "部门职责"),
            (3, "主要职能"),
            (4, "综合协调"),
            (4, "督查督办"),
            (3, "人员情况"),
        ])
    );
}

/// A title typed left-aligned on two lines is one title; its second line is not a heading.
#[test]
fn a_title_on_two_lines_that_are_not_centred_is_one_title() {
    let bold = |text: &str| format!("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r></w:p>");
    let body = [
        bold("2023年度某某区"),
        bold("财政局部门整体绩效自评报告"),
        bold("一、基本情况"),
        text_paragraph("某某区财政局是区政府组成部门。"),
    ]
    .concat();
    let (_work, dir, summary) = import_docx(&docx_of(&body, ""), &[]);
    assert_eq!(headings(&dir), owned(&[(1, "基本情况")]));
    let report = std::fs::read_to_string(dir.join("report.yaml")).unwrap();
    assert!(
        report.contains("标题: \"{{ 年度 }}年度{{ 单位 }}部门整体绩效自评报告\""),
        "{report}"
    );
    assert!(report.contains("单位: \"某某区财政局\""), "{report}");
    assert!(!summary.contains("请填写“单位”"), "{summary}");
}

fn table_of(rows: &[[&str; 2]]) -> String {
    let rows: String = rows
        .iter()
        .map(|row| {
            let cells: String = row
                .iter()
                .map(|cell| format!("<w:tc>{}</w:tc>", text_paragraph(cell)))
                .collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    format!("<w:tbl>{rows}</w:tbl>")
}

/// A table between two numbered items or headings does not end their sequence.
#[test]
fn a_table_between_numbered_items_keeps_their_sequence() {
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        levels(&[
            ("taiwaneseCountingThousand", "%1、"),
            ("taiwaneseCountingThousand", "（%2）"),
            ("decimal", "%3."),
            ("decimal", "（%4）")
        ])
    );
    let table = table_of(&[["项目", "金额（万元）"], ["公用经费", "240.63"]]);
    let body = [
        numbered(1, 0, "基本情况"),
        numbered(1, 1, "运行成本"),
        numbered(1, 2, "公用经费控制指标分析"),
        table.clone(),
        numbered(1, 2, "在职人员控制指标分析"),
        numbered(1, 3, "在职人员控制率"),
        table.clone(),
        numbered(1, 3, "编制数"),
        text_paragraph("编制数33人。"),
        numbered(1, 1, "管理效率"),
        numbered(1, 2, "预算执行，全年预算执行率为90.54%。"),
        table.clone(),
        numbered(1, 2, "政府采购，全年执行率为88.78%。"),
        numbered(1, 2, "资产管理，制度健全。"),
        text_paragraph("（1）资金使用，符合规定。"),
        table,
        text_paragraph("（2）会计核算，符合规定。"),
        text_paragraph("（3）财务管理，符合规定。"),
    ]
    .concat();
    let (_work, dir, _) = import_docx(&docx_of(&body, &numbering), &[]);
    assert_eq!(
        headings(&dir),
        owned(&[
            (1, "基本情况"),
            (2, "运行成本"),
            (3, "公用经费控制指标分析"),
            (3, "在职人员控制指标分析"),
            (4, "在职人员控制率"),
            (4, "编制数"),
            (2, "管理效率"),
        ])
    );
    let text = std::fs::read_to_string(dir.join("01-基本情况.md")).unwrap();
    for line in [
        "\n1. 预算执行，",
        "\n2. 政府采购，",
        "\n3. 资产管理，",
        "\n1. 资金使用，",
        "\n2. 会计核算，",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The seed as LibreOffice numbers it: its 一、 and （一） headings numbered by numbering.xml
/// in taiwaneseCountingThousand (the typed numbers taken off), the other lines as typed.
fn seed_docx() -> Vec<u8> {
    let seed =
        std::fs::read_to_string(common::repo().join("tests/fixtures/seed-verbatim/seed.txt"))
            .unwrap();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let body: String = seed
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let digits = line.len() - line.trim_start_matches(numeral).len();
            let bracketed = line
                .strip_prefix('（')
                .map(|rest| (rest, rest.len() - rest.trim_start_matches(numeral).len()))
                .filter(|(rest, n)| *n > 0 && rest[*n..].starts_with('）'));
            if digits > 0 && line[digits..].starts_with('、') {
                numbered(1, 0, &xml_escape(&line[digits + '、'.len_utf8()..]))
            } else if let Some((rest, n)) = bracketed {
                numbered(1, 1, &xml_escape(&rest[n + '）'.len_utf8()..]))
            } else {
                text_paragraph(&xml_escape(line))
            }
        })
        .collect();
    // The seed typed its first heading "1、": the list starts at 二 where the seed has it.
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="1">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#,
        levels(&[
            ("taiwaneseCountingThousand", "%1、"),
            ("taiwaneseCountingThousand", "（%2）")
        ])
        .replacen(r#"<w:start w:val="1"/>"#, r#"<w:start w:val="2"/>"#, 1)
    );
    assert_eq!(body.matches("<w:numPr>").count(), 14);
    docx_of(&body, &numbering)
}

#[test]
fn the_seed_numbered_by_libreoffice_imports_with_content_s_outline() {
    let (_work, dir, _) = import_docx(&seed_docx(), &[]);
    assert_seed_outline(&dir);
}

/// LibreOffice writes the numbering again in its own way (chineseCountingThousand, its own
/// level texts); the outline is the same.
#[test]
#[cfg_attr(not(soffice), ignore = "needs soffice")]
fn the_numbered_seed_saved_again_by_libreoffice_keeps_content_s_outline() {
    let work = tempfile::tempdir().unwrap();
    let numbered = work.path().join("numbered.docx");
    std::fs::write(&numbered, seed_docx()).unwrap();
    let resaved = soffice(
        work.path(),
        &["--convert-to", "docx:MS Word 2007 XML"],
        &numbered,
    );
    let (dir, _) = import(&resaved, work.path(), &[]);
    assert_seed_outline(&dir);
}

/// `--figures` on the seed: the budget figures take the indicator set's names (预算安排 is
/// the 年初预算数), a figure typed twice is one field, and targets and bounds stay typed.
#[test]
fn figures_of_the_seed_take_the_indicator_set_s_names() {
    let indicators = common::repo().join("content/indicators.yaml");
    let (_work, dir, summary) = import_docx(
        &seed_docx(),
        &["--figures", "--indicators", indicators.to_str().unwrap()],
    );
    let data = std::fs::read_to_string(dir.join("data.yaml")).unwrap();
    for line in [
        "预算:\n  年初预算数: 3369.82 万元\n  调整后预算数: 3099.42 万元\n  决算支出: 2806.19 万元\n",
        "三公经费:\n  预算数: 145 万元\n  实际支出: 109.43 万元\n",
    ] {
        assert!(data.contains(line), "{line} not in\n{data}");
    }
    for value in ["3369.82", "2806.19", "3099.42"] {
        assert_eq!(data.matches(value).count(), 1, "{value} in\n{data}");
    }
    assert!(!data.contains("数值"), "{data}");
    let part = std::fs::read_to_string(dir.join("03-部门整体绩效目标完成情况.md")).unwrap();
    for typed in [
        "2023年预算安排{{ 预算.年初预算数 }}万元",
        "预算执行数{{ 预算.决算支出 }}万元",
        "满意度达到了年初目标90%。",
        "办结率超过95%。",
        "控制率在100%以内",
    ] {
        assert!(part.contains(typed), "{typed} not in\n{part}");
    }
    // A typed value the figures found do not confirm (实际支出 is typed "210,18") is left
    // typed and listed with its line.
    let line = part
        .lines()
        .position(|l| l.contains("控制率为87.35%"))
        .unwrap()
        + 1;
    assert!(
        summary.contains(&format!(
            "03-部门整体绩效目标完成情况.md:{line}: “87.35%”未改为 {{{{ 公用经费控制率 }}}}"
        )),
        "{summary}"
    );
}

/// A report as offices write it: the unit before the year in the title, two surveys with
/// the same result, a long name, a target and a bound.
#[test]
fn figures_keep_equal_values_of_two_parts_apart_and_name_them_in_whole_words() {
    let body = [
        "某某区财政局2023年度部门整体绩效自评报告",
        "一、服务对象满意度",
        "经调查，服务对象满意度为90%，年初目标不低于85%。",
        "二、联系部门满意度",
        "经调查，联系部门满意度为90%。",
        "三、专项经费",
        "2023年拨付派驻纪检监察组专项经费12.50万元，执行率在100%以内。",
    ]
    .map(text_paragraph)
    .concat();
    let (_work, dir, summary) = import_docx(&docx_of(&body, ""), &["--figures"]);
    let report = std::fs::read_to_string(dir.join("report.yaml")).unwrap();
    assert!(report.contains("单位: \"某某区财政局\""), "{report}");
    assert!(
        report.contains("标题: \"{{ 单位 }}{{ 年度 }}年度部门整体绩效自评报告\""),
        "{report}"
    );
    assert!(!summary.contains("请填写“单位”"), "{summary}");
    let data = std::fs::read_to_string(dir.join("data.yaml")).unwrap();
    for line in [
        "服务对象满意度:\n  比率: 90%\n",
        "联系部门满意度:\n  比率: 90%\n",
        "专项经费:\n  拨付派驻纪检监察组专项经费: 12.50 万元\n",
    ] {
        assert!(data.contains(line), "{line} not in\n{data}");
    }
    assert!(!data.contains("85%") && !data.contains("100%"), "{data}");
    let second = std::fs::read_to_string(dir.join("02-联系部门满意度.md")).unwrap();
    assert!(
        second.contains("联系部门满意度为{{ 联系部门满意度.比率 }}。"),
        "{second}"
    );
    let line = second
        .lines()
        .position(|l| l.contains("联系部门满意度为"))
        .unwrap()
        + 1;
    assert!(
        summary.contains(&format!(
            "02-联系部门满意度.md:{line}: “90%”与 {{{{ 服务对象满意度.比率 }}}} 的值相同，但属于另一部分，已单独记为 {{{{ 联系部门满意度.比率 }}}}"
        )),
        "{summary}"
    );
    let first = std::fs::read_to_string(dir.join("01-服务对象满意度.md")).unwrap();
    assert!(first.contains("年初目标不低于85%。"), "{first}");
}
