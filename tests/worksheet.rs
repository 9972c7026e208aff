//! The 计算底稿: every figure the report prints from data.yaml or computes, with its source,
//! formula, exact value, rounding, target and score rule; a sheet of the 自评表's .xlsx always,
//! a .docx beside the report with `--worksheet`.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{gongwen, stderr};

/// The names report.yaml fills in: the report's own facts, not figures of the worksheet.
const REPORT_NAMES: [&str; 4] = ["年度", "下一年度", "单位", "附件"];

fn sample() -> PathBuf {
    common::repo().join("content")
}

/// Builds `dir` (with `extra` arguments) into a temporary directory: (directory, report).
fn build(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("报告.docx");
    let mut args = vec![
        "build",
        dir.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ];
    args.extend(extra);
    let output = gongwen(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    (out, report)
}

/// The 计算底稿 sheet: the header row, then one row of cells per figure.
fn sheet(report: &Path) -> (Vec<String>, Vec<Vec<Data>>) {
    let xlsx = report.with_file_name("报告-自评表.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["自评表", "计算底稿"]);
    let range = book.worksheet_range("计算底稿").unwrap();
    let mut rows = range.rows().map(<[Data]>::to_vec);
    let header = rows
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    (header, rows.collect())
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
}

fn textconv(docx: &Path) -> String {
    let output = gongwen(&["textconv", docx.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// The sample with every placeholder of a figure bracketed 【 】 in the prose, so the text
/// shows which figures came from placeholders.
fn bracketed_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if path.extension().is_some_and(|e| e == "md") {
            bracket(&text)
        } else {
            text
        };
        std::fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
    }
    dir
}

fn bracket(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let close = open + rest[open..].find("}}").unwrap() + 2;
        let name = rest[open + 2..close - 2].trim();
        out.push_str(&rest[..open]);
        if REPORT_NAMES.contains(&name) {
            out.push_str(&rest[open..close]);
        } else {
            out.push('【');
            out.push_str(&rest[open..close]);
            out.push('】');
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// What stands between 【 and 】 in a text, in order.
fn bracketed(text: &str) -> Vec<String> {
    text.split('【')
        .skip(1)
        .filter_map(|piece| piece.split_once('】').map(|(inside, _)| inside.to_string()))
        .collect()
}

#[test]
fn the_sheet_lists_every_figure_the_prose_prints_from_a_placeholder() {
    let brackets = bracketed_sample();
    // The brackets themselves are not house style: the check would stop the build.
    let (_bracketed_out, bracketed_report) = build(brackets.path(), &["--no-check"]);
    let figures = bracketed(&textconv(&bracketed_report));
    assert!(figures.len() > 20, "{figures:?}");

    let (_out, report) = build(&sample(), &[]);
    let text = textconv(&report);
    let (header, rows) = sheet(&report);
    let place = column(&header, "位置");
    let in_prose: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|row| !matches!(&row[place], Data::String(s) if s == "自评表"))
        .collect();
    let printed = column(&header, "印出");
    let shown: Vec<String> = in_prose.iter().map(|r| r[printed].to_string()).collect();
    assert_eq!(
        shown, figures,
        "the sheet's figures, in order, are those the text shows filled in"
    );
    let sentence = column(&header, "所在句子");
    let source = column(&header, "来源");
    for row in &rows {
        let from = row[source].to_string();
        let (file, line) = from.rsplit_once(':').unwrap_or_else(|| panic!("{row:?}"));
        assert!(
            ["data.yaml", "indicators.yaml"].contains(&file) && line.parse::<u32>().is_ok(),
            "every row has its source line: {row:?}"
        );
    }
    for row in &in_prose {
        let said = row[sentence].to_string();
        assert!(
            said.contains(&row[printed].to_string()) && text.contains(&said),
            "the sentence is the report's and holds the figure: {row:?}"
        );
        let at = row[place].to_string();
        assert!(
            at.ends_with(".md") || at.split(':').count() == 3 && at.contains(".md:"),
            "{at}"
        );
    }
}

#[test]
fn the_budget_execution_rate_has_its_formula_inputs_and_exact_value() {
    let (_out, report) = build(&sample(), &[]);
    let (header, rows) = sheet(&report);
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let rate = rows
        .iter()
        .find(|row| get(row, "名称") == "预算执行率" && get(row, "位置") != "自评表")
        .expect("the prose prints 预算执行率");
    assert_eq!(get(rate, "印出"), "90.54%");
    assert_eq!(get(rate, "公式"), "预算.决算支出 / 预算.调整后预算数");
    let indicators = std::fs::read_to_string(sample().join("indicators.yaml")).unwrap();
    let data = std::fs::read_to_string(sample().join("data.yaml")).unwrap();
    let line_of = |text: &str, needle: &str| {
        1 + text
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
    };
    // 来源 is the line of its formula.
    let formula_line = line_of(&indicators, "公式: 预算.决算支出 / 预算.调整后预算数");
    assert_eq!(get(rate, "来源"), format!("indicators.yaml:{formula_line}"));
    let inputs = get(rate, "输入及其来源");
    for (name, value, key) in [
        ("预算.决算支出", "2806.19万元", "决算支出:"),
        ("预算.调整后预算数", "3099.42万元", "调整后预算数:"),
    ] {
        let line = line_of(&data, key);
        assert!(
            inputs.contains(&format!("{name} = {value}（data.yaml:{line}）")),
            "{inputs}"
        );
    }
    let exact = column(&header, "精确值");
    let Data::Float(value) = rate[exact] else {
        panic!("the exact value is a number: {:?}", rate[exact]);
    };
    assert!((value - 2806.19 / 3099.42).abs() < 1e-12, "{value}");
    assert_eq!(get(rate, "取舍"), "四舍五入，保留 2 位小数（百分数）");
    assert_eq!(get(rate, "目标与判定"), "≥ 95%（以精确值比较）");
    assert_eq!(get(rate, "结论"), "未达到：未达到年初目标");
    assert!(matches!(rate[column(&header, "分值")], Data::Float(_)));
    assert!(get(rate, "评分规则").contains("indicators.yaml:"));

    // The heading row stays in view while a reviewer scrolls.
    let package = common::Package::open(&report.with_file_name("报告-自评表.xlsx"));
    let sheet = package.part("xl/worksheets/sheet2.xml");
    assert!(
        sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
        "{sheet}"
    );
}

#[test]
fn the_sheet_also_lists_the_figures_of_the_score_table() {
    let (_out, report) = build(&sample(), &[]);
    let (header, rows) = sheet(&report);
    let scores = gongwen::document::report::build(&sample(), &Default::default())
        .unwrap()
        .scores
        .unwrap();
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let table: Vec<&Vec<Data>> = rows.iter().filter(|r| get(r, "位置") == "自评表").collect();
    for scored in &scores.rows {
        let shown = |what: &str| {
            table
                .iter()
                .find(|r| get(r, "所在标题") == format!("{} › {what}", scored.display_name))
                .unwrap_or_else(|| panic!("{} {what}", scored.name))
        };
        let score = shown("得分");
        let printed = scored
            .score
            .map_or_else(|| "不适用".into(), gongwen::eval::scoring::format_score);
        assert_eq!(get(score, "印出"), printed);
        shown("实际完成值");
    }
    let total = table
        .iter()
        .find(|r| get(r, "所在标题") == "总分 › 得分")
        .unwrap();
    assert_eq!(
        get(total, "印出"),
        gongwen::eval::scoring::format_score(scores.total)
    );
}

#[test]
fn without_the_flag_there_is_no_worksheet_docx() {
    let (out, _) = build(&sample(), &[]);
    assert!(!out.path().join("报告-计算底稿.docx").exists());
}

#[test]
fn the_worksheet_docx_is_a_landscape_table_with_a_row_for_every_figure() {
    let (out, report) = build(&sample(), &["--worksheet"]);
    let docx = out.path().join("报告-计算底稿.docx");
    let package = common::Package::open(&docx);
    let xml = package.part("word/document.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let size = common::child(doc.root(), "pgSz").unwrap();
    assert_eq!(
        common::attr(Some(size), "orient").as_deref(),
        Some("landscape")
    );
    let rows: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((common::W, "tr")))
        .collect();
    let (_, sheet_rows) = sheet(&report);
    assert_eq!(
        rows.len(),
        sheet_rows.len() + 1,
        "a heading row, then a row a figure"
    );
    let header = rows[0];
    assert!(
        common::child(header, "tblHeader").is_some(),
        "the headings repeat on every page"
    );
    let text = textconv(&docx);
    assert!(
        text.contains("| 序号 | 位置 | 所在句子 | 印出 | 来源、公式与输入 |"),
        "{text}"
    );
    assert!(text.contains("预算执行率（indicators.yaml:"), "{text}");
    // The report's table font, as the 自评表 has it.
    let styles = package.part("word/styles.xml");
    assert!(styles.contains("仿宋_GB2312"), "{styles}");
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn the_worksheet_docx_and_the_xlsx_pass_the_validators() {
    let (out, report) = build(&sample(), &["--worksheet"]);
    common::validator::assert_valid(&out.path().join("报告-计算底稿.docx"));
    let findings = common::validator::audit(&report.with_file_name("报告-自评表.xlsx"));
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// A small report with a 自评表, and a section that prints figures in a heading, in prose (two
/// side by side, one with `{{- -}}`, one in a branch not taken) and in a table.
fn surprising_report() -> tempfile::TempDir {
    let section = "# 预算执行\n\n## 执行率为{{ 预算执行率 }}\n\n预算{{ 预算.调整后 }}万元，支出  {{- 预算.支出 -}}  万元。{% if 会议费控制率.适用 %}会议费控制率{{ 会议费控制率 }}。{% else %}会议费不适用。{% endif %}执行率{{ 预算执行率 }}{{ 预算执行率.结论 }}。\n\n| 项目 | 金额（万元） |\n|---|---|\n| 支出 | {{ 预算.支出 }} |\n";
    let dir = common::report(&[("a.md", section)]);
    std::fs::write(
        dir.path().join("data.yaml"),
        "预算:\n  调整后: 100 万元\n  支出: 76 万元\n会议费:\n  预算数: 0 万元\n  实际支出: 0 万元\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("indicators.yaml"),
        "指标:\n  - 名称: 预算执行率\n    公式: 预算.支出 / 预算.调整后\n    单位: \"%\"\n    目标: ≥ 95%\n  - 名称: 会议费控制率\n    公式: 会议费.实际支出 / 会议费.预算数\n    单位: \"%\"\n    目标: ≤ 100%\n自评表:\n  指标:\n    - { 一级: 管理效率, 二级: 预算执行, 指标: 预算执行率, 分值: 80, 评分: 执行率 }\n    - { 一级: 运行成本, 二级: 经济成本, 指标: 会议费控制率, 分值: 20 }\n",
    )
    .unwrap();
    dir
}

#[test]
fn figures_in_headings_tables_and_side_by_side_each_have_their_row_and_sentence() {
    let dir = surprising_report();
    let (_out, report) = build(dir.path(), &["--no-check"]);
    let (header, rows) = sheet(&report);
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let prose: Vec<(String, String, String, String)> = rows
        .iter()
        .filter(|r| get(r, "位置") != "自评表")
        .map(|r| {
            (
                get(r, "位置"),
                get(r, "印出"),
                get(r, "名称"),
                get(r, "所在句子"),
            )
        })
        .collect();
    let row = |at: &str, printed: &str, name: &str, sentence: &str| {
        (at.into(), printed.into(), name.into(), sentence.into())
    };
    let sentence = "预算100万元，支出76万元。";
    let rate = "执行率76.00%未达到年初目标。";
    assert_eq!(
        prose,
        [
            row("a.md:3:8", "76.00%", "预算执行率", "（一）执行率为76.00%"),
            row("a.md:5:3", "100", "预算.调整后", sentence),
            row("a.md:5:22", "76", "预算.支出", sentence),
            row("a.md:5:108", "76.00%", "预算执行率", rate),
            row("a.md:5:119", "未达到年初目标", "预算执行率.结论", rate),
            row("a.md:9:8", "76", "预算.支出", "支出 | 76"),
        ],
        "the figure in the branch not taken (会议费控制率) has no row"
    );
    let heading = rows
        .iter()
        .find(|r| get(r, "位置") == "a.md:5:22")
        .map(|r| get(r, "所在标题"));
    assert_eq!(
        heading.as_deref(),
        Some("一、预算执行 › （一）执行率为76.00%")
    );
}

#[test]
fn a_value_with_markdown_characters_reads_as_printed() {
    let dir = surprising_report();
    let section = "# 说明\n\n口径：{{ 口径 }}。\n";
    std::fs::write(dir.path().join("a.md"), section).unwrap();
    let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
    std::fs::write(
        dir.path().join("data.yaml"),
        format!("{data}口径: \"*按_实际\\\\支出* [计] <b>\"\n"),
    )
    .unwrap();
    let (_out, report) = build(dir.path(), &["--no-check"]);
    let (header, rows) = sheet(&report);
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let said = &rows[0];
    assert_eq!(get(said, "印出"), "*按_实际\\支出* [计] <b>");
    assert_eq!(get(said, "所在句子"), "口径：*按_实际\\支出* [计] <b>。");
    assert_eq!(get(said, "来源"), "data.yaml:7");
    assert_eq!(get(said, "精确值"), "", "a text has no exact value");
}

#[test]
fn diff_lists_the_figures_printed_differently_with_their_source() {
    let new = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("决算支出: 2806.19 万元", "决算支出: 2900.00 万元");
        std::fs::write(new.path().join(path.file_name().unwrap()), text).unwrap();
    }
    let output = gongwen(&[
        "diff",
        sample().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = String::from_utf8(output.stdout).unwrap();
    let (_, figures) = said
        .split_once("数字变化（计算底稿）：\n")
        .unwrap_or_else(|| panic!("{said}"));
    let data = std::fs::read_to_string(sample().join("data.yaml")).unwrap();
    let line = 1 + data.lines().position(|l| l.contains("决算支出:")).unwrap();
    for expected in [
        format!("| 01-基本情况.md:7:187 | 预算.决算支出 | 2806.19 | 2900.00 | data.yaml:{line} |"),
        "| 自评表：预算执行情况（万元）：全年执行数 | 预算.决算支出 | 2806.19 | 2900.00 |".into(),
        "| 预算执行率 | 90.54% | 93.57% | indicators.yaml:".into(),
        "| 自评表：总分：得分 | 自评得分 | 89.69 | 90.94 |".into(),
    ] {
        assert!(figures.contains(&expected), "{expected}\n{figures}");
    }
    assert!(
        !figures.contains("| 预算.调整后预算数 |"),
        "a figure printed as before is not listed: {figures}"
    );
}

#[test]
fn the_worksheet_is_the_same_bytes_wherever_and_whenever_it_is_built() {
    let copy = tempfile::tempdir().unwrap();
    let elsewhere = copy.path().join("另一处").join("报告目录");
    std::fs::create_dir_all(&elsewhere).unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, elsewhere.join(path.file_name().unwrap())).unwrap();
    }
    let built = |dir: &Path, tz: &str| {
        let out = tempfile::tempdir().unwrap();
        let report = out.path().join("报告.docx");
        let output = common::run(
            std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
                .args([
                    "build",
                    dir.to_str().unwrap(),
                    "-o",
                    report.to_str().unwrap(),
                ])
                .arg("--worksheet")
                .env("TZ", tz),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        ["报告-计算底稿.docx", "报告-自评表.xlsx"]
            .map(|name| std::fs::read(out.path().join(name)).unwrap())
    };
    assert!(
        built(&sample(), "UTC") == built(&elsewhere, "Asia/Shanghai"),
        "the worksheet names files, not the folders they were built from"
    );
}

#[test]
fn a_figure_in_a_footnote_is_not_given_the_sentence_it_is_noted_on() {
    let dir = surprising_report();
    // A figure in a writer's note (<!-- -->) is not printed: it has no row.
    let section = "# 附注\n\n<!-- 预算{{ 预算.调整后 }}万元 -->\n\n正文一句[^1]。另一句<!-- {{ 预算.调整后 }} -->。\n\n[^1]: 支出为{{ 预算.支出 }}万元。\n";
    std::fs::write(dir.path().join("a.md"), section).unwrap();
    let (_out, report) = build(dir.path(), &["--no-check"]);
    let (header, rows) = sheet(&report);
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let noted = &rows[0];
    assert_eq!(get(noted, "位置"), "a.md:7:10");
    assert_eq!(get(noted, "印出"), "76");
    assert_eq!(get(noted, "所在标题"), "一、附注");
    assert_eq!(get(noted, "所在句子"), "");
    assert_eq!(get(&rows[1], "位置"), "自评表", "{rows:?}");
}

#[test]
fn a_figure_in_the_score_tables_texts_has_its_row() {
    let dir = surprising_report();
    let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
    std::fs::write(
        dir.path().join("data.yaml"),
        format!("{data}自评表:\n  实际完成情况: 全年支出{{{{ 预算.支出 }}}}万元。执行率{{{{ 预算执行率 }}}}，未达标。\n"),
    )
    .unwrap();
    let (_out, report) = build(dir.path(), &["--no-check"]);
    let (header, rows) = sheet(&report);
    let get = |row: &Vec<Data>, name: &str| row[column(&header, name)].to_string();
    let in_text: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| get(r, "所在标题") == "实际完成情况")
        .map(|r| (get(r, "位置"), get(r, "印出"), get(r, "所在句子")))
        .collect();
    let row =
        |printed: &str, sentence: &str| ("自评表".to_string(), printed.into(), sentence.into());
    assert_eq!(
        in_text,
        [
            row("76", "全年支出76万元。"),
            row("76.00%", "执行率76.00%，未达标。"),
        ]
    );
}

#[test]
fn a_report_without_a_score_table_has_its_worksheet_docx_when_asked() {
    let dir = common::report(&[("a.md", "# 一\n\n支出{{ 甲 }}万元。\n")]);
    std::fs::write(dir.path().join("data.yaml"), "甲: 12.5 万元\n").unwrap();
    let (out, _) = build(dir.path(), &["--worksheet", "--no-check"]);
    assert!(!out.path().join("报告-自评表.xlsx").exists());
    let text = textconv(&out.path().join("报告-计算底稿.docx"));
    assert!(
        text.contains("| 1 | a.md:3:3；一、一 | 支出12.5万元。 | 12.5 | 甲（data.yaml:1） |"),
        "{text}"
    );
}
