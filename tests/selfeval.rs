//! The 部门整体绩效自评表: scored from the sample's data, written as a landscape .docx and an
//! .xlsx that say the same thing, byte-identical across runs, checked against the prose, and
//! measured in LibreOffice.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{W, gongwen, stderr, validator};
use gongwen::document::report::{self, Options};
use gongwen::eval::scoring::Scores;

/// Builds `dir` into a temporary directory: (directory, report, 自评表 .docx, .xlsx).
fn build(dir: &Path, env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
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
            .envs(env.iter().copied()),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let docx = out.path().join("报告-自评表.docx");
    let xlsx = out.path().join("报告-自评表.xlsx");
    (out, report, docx, xlsx)
}

fn sample() -> PathBuf {
    common::repo().join("content")
}

fn sample_scores() -> Scores {
    report::build(&sample(), &Options::default())
        .unwrap()
        .scores
        .expect("the sample has a 自评表")
}

/// The column headings of the default form (通用), as the table prints them.
const GENERAL_HEADINGS: [&str; 8] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "年度指标值",
    "实际完成值",
    "得分",
    "偏差原因分析及改进措施",
];

/// A merged range: (first row, first column, last row, last column).
type Merge = (u32, u32, u32, u32);

/// Every row of the .docx's tables as one table, one string per grid column (a merged
/// cell's text in its first slot, "" in the slots it covers), and the merged ranges. The
/// indicators are cut into one table per page; joined here as they were before the cut:
/// a table's repeated heading row is left out, and a merged cell its first row starts
/// again with the same text continues the one above.
fn docx_grid(docx: &Path) -> (Vec<Vec<String>>, Vec<Merge>) {
    let package = common::Package::open(docx);
    let xml = package.part("word/document.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut merges = Vec::new();
    // (column, first row, last row, columns, text) of the vertical merges still open.
    let mut open: Vec<(u32, u32, u32, u32, String)> = Vec::new();
    let mut headings: Vec<Vec<String>> = Vec::new();
    for table in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        let mut first_body_row = true;
        for row in table.children().filter(|n| n.has_tag_name((W, "tr"))) {
            let repeated = common::child(row, "trPr")
                .and_then(|p| common::child(p, "tblHeader"))
                .is_some();
            let texts: Vec<String> = row
                .children()
                .filter(|n| n.has_tag_name((W, "tc")))
                .map(cell_text)
                .collect();
            if repeated {
                if headings.contains(&texts) {
                    continue;
                }
                headings.push(texts.clone());
            }
            let r = u32::try_from(rows.len()).unwrap();
            let mut cells = Vec::new();
            for (cell, text) in row
                .children()
                .filter(|n| n.has_tag_name((W, "tc")))
                .zip(texts)
            {
                let c = u32::try_from(cells.len()).unwrap();
                let span: u32 = common::attr(common::child(cell, "gridSpan"), "val")
                    .map_or(1, |v| v.parse().unwrap());
                let mut v_merge = common::child(cell, "vMerge")
                    .map(|n| n.attribute((W, "val")).unwrap_or("continue").to_string());
                let runs_on = open.iter().any(|o| o.0 == c && o.4 == text);
                if first_body_row && !repeated && runs_on {
                    v_merge = Some("continue".into());
                }
                match v_merge.as_deref() {
                    Some("continue") => {
                        assert!(
                            text.is_empty() || runs_on,
                            "a continued cell has no text: {text}"
                        );
                        let at = open.iter().position(|o| o.0 == c).unwrap();
                        open[at].2 = r;
                    }
                    _ => {
                        if let Some(at) = open.iter().position(|o| o.0 == c) {
                            let (col, start, end, columns, _) = open.remove(at);
                            merges.push((start, col, end, col + columns - 1));
                        }
                        if v_merge.as_deref() == Some("restart") {
                            open.push((c, r, r, span, text.clone()));
                        } else if span > 1 {
                            merges.push((r, c, r, c + span - 1));
                        }
                    }
                }
                cells.push(if v_merge.as_deref() == Some("continue") {
                    String::new()
                } else {
                    text
                });
                cells.extend((1..span).map(|_| String::new()));
            }
            if !repeated {
                first_body_row = false;
            }
            if let Some(first) = rows.first() {
                assert_eq!(
                    cells.len(),
                    first.len(),
                    "row {r} as wide as the first: {cells:?}"
                );
            }
            rows.push(cells);
        }
    }
    for (col, start, end, columns, _) in open {
        merges.push((start, col, end, col + columns - 1));
    }
    merges.sort_unstable();
    (rows, merges)
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("“{text}” is not a number"))
}

#[test]
fn the_docx_table_lists_the_rows_in_order_merged_and_adding_up() {
    let (_out, _, docx, _) = build(&sample(), &[]);
    let scores = sample_scores();
    let (rows, merges) = docx_grid(&docx);
    // A level given its own share in data.yaml (督察督办质效: 达成 95%) shows it.
    let given = rows.iter().find(|r| r[2] == "督察督办质效").unwrap();
    assert_eq!(given[5..7], ["达成（95%）", "4.75"]);
    let headings = rows
        .iter()
        .position(|r| r[0] == "一级指标")
        .expect("column headings");
    assert_eq!(rows[headings], GENERAL_HEADINGS);
    assert_eq!(rows[0][0], "部门名称");
    assert_eq!(rows[0][2], "鄂州葛店经济技术开发区党工委管委会办公室");
    let body = &rows[headings + 1..headings + 1 + scores.rows.len()];
    let names: Vec<&str> = body.iter().map(|r| r[2].as_str()).collect();
    let expected: Vec<&str> = scores
        .rows
        .iter()
        .map(|r| r.display_name.as_str())
        .collect();
    assert_eq!(names, expected, "rows in indicators.yaml's order");
    assert_eq!(names[0], "公用经费控制率");
    assert_eq!(names[3], "“三公”经费控制率");

    // 一级 merged down its rows: 运行成本 over its four indicators, 满意度 over two.
    let first = u32::try_from(headings + 1).unwrap();
    assert!(merges.contains(&(first, 0, first + 3, 0)), "{merges:?}");
    let level1_merges = merges
        .iter()
        .filter(|m| m.1 == 0 && m.3 == 0 && m.0 >= first)
        .count();
    // Six 一级 dimensions; 可持续发展能力 has one row, so nothing to merge.
    assert_eq!(level1_merges, 5, "{merges:?}");
    let level2_text: Vec<&str> = body
        .iter()
        .map(|r| r[1].as_str())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(
        level2_text,
        [
            "经济成本",
            "战略管理",
            "预算编制",
            "预算执行",
            "绩效管理",
            "资产管理",
            "财务管理",
            "职责履行",
            "社会效益",
            "队伍建设",
            "服务对象满意度"
        ]
    );

    // The 得分 column adds up to 得分合计, which rescaled is the 总分, graded in its band.
    let sum: f64 = body
        .iter()
        .filter(|r| r[6] != "不适用")
        .map(|r| number(&r[6]))
        .sum();
    let subtotal = &rows[headings + 1 + scores.rows.len()];
    assert_eq!(subtotal[0], "得分合计");
    assert!(
        (number(&subtotal[6]) - sum).abs() < 1e-9,
        "{sum} vs {subtotal:?}"
    );
    let points: f64 = body.iter().map(|r| number(&r[3])).sum();
    assert_eq!(points, 100.0);
    let dropped: f64 = body
        .iter()
        .filter(|r| r[6] == "不适用")
        .map(|r| number(&r[3]))
        .sum();
    let total_row = rows.last().unwrap();
    assert_eq!(total_row[0], "总分");
    let total = number(&total_row[6]);
    let rescaled = (sum * 100.0 / (100.0 - dropped) * 100.0).round() / 100.0;
    assert!((total - rescaled).abs() < 1e-9, "{total} vs {rescaled}");
    assert_eq!(total_row[6], "89.69");
    assert_eq!(total_row[7], "自评等级：良");
    assert!((80.0..90.0).contains(&total));

    // The header's budget figures, with 预算执行率's points and score.
    let budget = &rows[2];
    assert_eq!(
        &budget[2..],
        ["3369.82", "3099.42", "2806.19", "90.54%", "10", "9.05"]
    );
}

/// A cell's (or a row's) text, its runs joined.
fn cell_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect()
}

/// The indicator tables of a 自评表 .docx, each as its rows' cell texts (a continued merge
/// as `None`).
fn indicator_tables(docx: &Path) -> Vec<Vec<Vec<Option<String>>>> {
    let package = common::Package::open(docx);
    let doc = roxmltree::Document::parse(package.part("word/document.xml")).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(|table| {
            table
                .children()
                .filter(|n| n.has_tag_name((W, "tr")))
                .map(|row| {
                    row.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|cell| {
                            let continued = common::child(cell, "vMerge").is_some_and(|m| {
                                m.attribute((W, "val")).is_none_or(|v| v == "continue")
                            });
                            (!continued).then(|| cell_text(cell))
                        })
                        .collect()
                })
                .collect::<Vec<Vec<Option<String>>>>()
        })
        .filter(|rows| rows.first().and_then(|r| r[0].as_deref()) == Some("一级指标"))
        .collect()
}

#[test]
fn each_page_of_the_indicators_is_a_table_whose_first_row_names_its_levels() {
    let (_out, _, docx, _) = build(&sample(), &[]);
    let tables = indicator_tables(&docx);
    assert!(
        tables.len() >= 2,
        "the sample's indicators take more than one page"
    );
    let scores = sample_scores();
    let rows: usize = tables.iter().map(|t| t.len() - 1).sum();
    assert_eq!(
        rows,
        scores.rows.len() + 2,
        "every row once, and the two totals"
    );
    for (page, table) in tables.iter().enumerate() {
        for column in [0, 1] {
            let first = table[1][column].as_deref().unwrap_or("");
            assert!(
                !first.is_empty(),
                "page {}: column {column} of the first row is blank",
                page + 1
            );
        }
    }
    let package = common::Package::open(&docx);
    let breaks = package
        .part("word/document.xml")
        .matches("<w:pageBreakBefore />")
        .count();
    assert_eq!(
        breaks,
        tables.len() - 1,
        "each table after the first starts a page"
    );
}

#[test]
fn the_docx_table_is_landscape_with_repeated_headings_and_unsplit_rows() {
    let (_out, _, docx, _) = build(&sample(), &[]);
    let package = common::Package::open(&docx);
    let xml = package.part("word/document.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let size = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "pgSz")))
        .unwrap();
    assert_eq!(size.attribute((W, "orient")), Some("landscape"));
    assert_eq!(size.attribute((W, "w")), Some("16838"));
    assert_eq!(size.attribute((W, "h")), Some("11906"));
    let tables: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .collect();
    assert!(
        tables.len() >= 3,
        "the header block, then the indicators, a table a page"
    );
    for table in &tables[1..] {
        let repeated: Vec<String> = table
            .descendants()
            .filter(|n| n.has_tag_name((W, "tr")))
            .filter(|tr| common::child(*tr, "tblHeader").is_some())
            .map(|tr| {
                tr.descendants()
                    .filter(|n| n.has_tag_name((W, "t")))
                    .filter_map(|n| n.text())
                    .collect()
            })
            .collect();
        assert_eq!(
            repeated,
            ["一级指标二级指标三级指标分值年度指标值实际完成值得分偏差原因分析及改进措施"]
        );
    }
    for row in doc.descendants().filter(|n| n.has_tag_name((W, "tr"))) {
        assert!(
            common::child(row, "cantSplit").is_some(),
            "every row stays on one page"
        );
    }
    let styles = roxmltree::Document::parse(package.part("word/styles.xml")).unwrap();
    let text = package.style(&styles, "ScoreTableText");
    assert_eq!(
        common::attr(common::child(text, "rFonts"), "eastAsia").as_deref(),
        Some("仿宋_GB2312")
    );
    assert_eq!(
        common::attr(common::child(text, "sz"), "val").as_deref(),
        Some("21")
    );
    let title = package.style(&styles, "ScoreTableTitle");
    assert_eq!(
        common::attr(common::child(title, "rFonts"), "eastAsia").as_deref(),
        Some("方正小标宋简体")
    );
    assert_eq!(
        package
            .part("docProps/core.xml")
            .matches("2024-03-15T00:00:00Z")
            .count(),
        2
    );
}

#[test]
fn the_xlsx_has_the_docx_rows_with_numbers_as_numbers() {
    xlsx_says_what_the_docx_says(&sample());
}

/// Builds `dir` and compares its 自评表 .xlsx with its .docx cell by cell: numbers as numbers
/// (a percentage its ratio), texts as texts, the same merged ranges.
fn xlsx_says_what_the_docx_says(dir: &Path) {
    let (_out, _, docx, xlsx) = build(dir, &[]);
    let (rows, merges) = docx_grid(&docx);
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("自评表").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("2023年度部门整体绩效自评表".into()))
    );
    // The title, an empty row, then the rows of both tables.
    let offset = 2;
    let mut numbers = 0;
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let at = (
                u32::try_from(r).unwrap() + offset,
                u32::try_from(c).unwrap(),
            );
            match sheet.get_value(at).unwrap_or(&Data::Empty) {
                Data::Float(value) => {
                    numbers += 1;
                    let shown = match text.strip_suffix('%') {
                        Some(percent) => number(percent) / 100.0,
                        None => number(text),
                    };
                    assert!((value - shown).abs() < 1e-9, "{at:?}: {value} vs “{text}”");
                }
                Data::String(s) => assert_eq!(s, text, "{at:?}"),
                Data::Empty => assert_eq!(text, "", "{at:?}"),
                other => panic!("{at:?}: unexpected {other:?}"),
            }
        }
    }
    // 分值 and 得分 of every row, the budget figures, the totals: numbers, not text.
    assert!(numbers > 60, "{numbers} numeric cells");
    let mut sheet_merges: Vec<Merge> = workbook
        .merge_cells_by_sheet_name("自评表")
        .unwrap()
        .into_iter()
        .filter(|d| d.start.0 >= offset)
        .map(|d| (d.start.0 - offset, d.start.1, d.end.0 - offset, d.end.1))
        .collect();
    sheet_merges.sort_unstable();
    assert_eq!(sheet_merges, merges);
}

#[test]
fn the_table_is_byte_identical_across_processes() {
    let (_a, _, docx_a, xlsx_a) = build(&sample(), &[("TZ", "UTC"), ("LC_ALL", "C")]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_b, _, docx_b, xlsx_b) =
        build(&sample(), &[("TZ", "Asia/Shanghai"), ("LC_ALL", "C.UTF-8")]);
    assert_eq!(
        std::fs::read(&docx_a).unwrap(),
        std::fs::read(&docx_b).unwrap()
    );
    assert_eq!(
        std::fs::read(&xlsx_a).unwrap(),
        std::fs::read(&xlsx_b).unwrap()
    );
}

/// A report with a small 自评表: two indicators and a qualitative one.
fn scored_report(table: &str, section: &str) -> tempfile::TempDir {
    let dir = common::report(&[("a.md", section)]);
    std::fs::write(
        dir.path().join("data.yaml"),
        "预算:\n  调整后: 100 万元\n  支出: 76 万元\n会议费:\n  预算数: 0 万元\n  实际支出: 0 万元\n自评表:\n  定性:\n    制度健全性: 较健全 75%\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("indicators.yaml"),
        format!(
            "指标:\n  - 名称: 预算执行率\n    公式: 预算.支出 / 预算.调整后\n    单位: \"%\"\n    目标: ≥ 95%\n  - 名称: 会议费控制率\n    公式: 会议费.实际支出 / 会议费.预算数\n    单位: \"%\"\n    目标: ≤ 100%\n{table}"
        ),
    )
    .unwrap();
    dir
}

const TABLE: &str = "自评表:\n  指标:\n    - { 一级: 管理效率, 二级: 预算执行, 指标: 预算执行率, 分值: 60, 评分: 执行率 }\n    - { 一级: 运行成本, 二级: 经济成本, 指标: 会议费控制率, 分值: 20 }\n    - { 一级: 管理效率, 二级: 财务管理, 指标: 制度健全性, 分值: 20, 性质: 定性 }\n";

#[test]
fn placeholders_and_the_indicators_command_give_points_and_scores() {
    // 76 % × 60 = 45.6; 较健全 75 % × 20 = 15; 会议费 dropped: (45.6 + 15) × 100 / 80 = 75.75.
    let section = "# 结果\n\n自评得分{{ 自评得分 }}分，自评等级为{{ 自评等级 }}。预算执行率得{{ 预算执行率.得分 }}分（分值{{ 预算执行率.分值 }}分），制度{{ 制度健全性 }}，得{{ 制度健全性.得分 }}分，会议费{{ 会议费控制率.得分 }}。\n";
    let dir = scored_report(TABLE, section);
    let (_out, report, _, _) = build(dir.path(), &[]);
    let text: Vec<String> = common::Package::open(&report)
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(
        text.contains(&"自评得分75.75分，自评等级为中。预算执行率得45.60分（分值60分），制度较健全，得15.00分，会议费不适用。".to_string()),
        "{text:?}"
    );
    let output = gongwen(&["indicators", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("| 管理效率 | 预算执行 | 预算执行率 | 60 | ≥95% | 76.00% | 45.60 |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("得分合计 60.60 ÷ 适用分值 80 × 100 = 自评得分 75.75，自评等级：中"),
        "{stdout}"
    );
    let output = gongwen(&["indicators", dir.path().to_str().unwrap(), "--json"]);
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let totals = &out["自评表"];
    assert_eq!(
        [&totals["得分合计"], &totals["适用分值"], &totals["总分"]],
        ["60.60", "80", "100"]
    );
    assert_eq!([&totals["自评得分"], &totals["自评等级"]], ["75.75", "中"]);
    assert_eq!(totals["封顶"], serde_json::Value::Null);
    let rows = &out["指标"];
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["名称"] == name)
            .unwrap_or_else(|| panic!("{name} in {rows}"))
            .clone()
    };
    assert_eq!(row("预算执行率")["得分"], "45.60");
    assert_eq!(row("预算执行率")["分值"], "60");
    assert_eq!(row("会议费控制率")["得分"], serde_json::Value::Null);
    assert_eq!(row("制度健全性")["性质"], "定性");
    assert_eq!(row("制度健全性")["值"], "较健全");
    assert_eq!(row("制度健全性")["得分"], "15.00");
    // 不适用 given full points instead: 45.6 + 20 + 15 = 80.6, no rescaling.
    let full = TABLE.replace("自评表:\n", "自评表:\n  不适用: 满分\n");
    let dir = scored_report(&full, "# 结果\n\n得分{{ 自评得分 }}，{{ 自评等级 }}。\n");
    let (_out, report, _, _) = build(dir.path(), &[]);
    let text: Vec<String> = common::Package::open(&report)
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(text.contains(&"得分80.60，良。".to_string()), "{text:?}");
}

#[test]
fn weights_not_adding_up_to_the_total_are_an_error_at_the_line() {
    let dir = scored_report(&TABLE.replace("分值: 60", "分值: 55"), "# 结果\n\n正文。\n");
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("r.docx");
    let output = gongwen(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let err = stderr(&output);
    // Line 11 of indicators.yaml is the 自评表's 指标 key.
    assert!(err.contains("indicators.yaml:11:3"), "{err}");
    assert!(
        err.contains("分值合计 95，与总分 100 不符（差 5）"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn a_level_outside_its_band_and_an_unknown_row_are_errors() {
    let dir = scored_report(TABLE, "# 结果\n\n正文。\n");
    std::fs::write(
        dir.path().join("data.yaml"),
        "预算:\n  调整后: 100 万元\n  支出: 76 万元\n会议费:\n  预算数: 0 万元\n  实际支出: 0 万元\n自评表:\n  定性:\n    制度健全性: 较健全 85%\n",
    )
    .unwrap();
    let err = refused(dir.path());
    // The share is what is wrong: the error names where it was typed in data.yaml.
    assert!(err.contains("data.yaml:9:12"), "{err}");
    assert!(err.contains("“较健全”的得分比例应在 80%–60% 之间"), "{err}");

    let dir = scored_report(
        &TABLE.replace("指标: 预算执行率", "指标: 预算执行"),
        "# 结果\n\n正文。\n",
    );
    let output = gongwen(&["indicators", dir.path().to_str().unwrap()]);
    let err = stderr(&output);
    assert!(err.contains("indicators.yaml:12:"), "{err}");
    assert!(
        err.contains("自评表的定量指标“预算执行”不在上面的 指标 中"),
        "{err}"
    );
}

/// N005 diagnostics (line, column) of `gongwen check` on a scored report.
fn typed_scores(section: &str) -> Vec<(u64, u64)> {
    let dir = scored_report(TABLE, section);
    let output = gongwen(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "N005")
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_u64().unwrap()))
        .collect()
}

#[test]
fn check_flags_a_typed_score_or_grade_that_contradicts_the_table() {
    let wrong = "# 结果\n\n经自评，自评得分为95分，自评等级为“优”。\n\n预算执行率得分10分。\n";
    assert_eq!(typed_scores(wrong), [(3, 10), (3, 20), (5, 8)]);
    let right = "# 结果\n\n经自评，自评得分为75.75分（约75.8分），自评等级为“中”。\n\n预算执行率得分45.6分，单位获评优秀等级。\n\n自评得分{{ 自评得分 }}分，自评等级为{{ 自评等级 }}。\n";
    assert_eq!(typed_scores(right), []);
}

/// Millimetres from PDF points.
fn mm(pt: f64) -> f64 {
    pt * 25.4 / 72.0
}

/// The 自评表 of `dir` as LibreOffice lays it out, each page checked to be A4 landscape with
/// every line inside the 37/35 mm side margins and below the top one (the page number sits
/// in the footer below the block).
fn landscape_pages(dir: &Path) -> Vec<common::layout::Page> {
    let (out, _, docx, _) = build(dir, &[]);
    let pdf = out.path().join("table.pdf");
    let fonts =
        gongwen::input::style::FontMap::File(common::repo().join("styles/fonts/fonts.conf"));
    gongwen::output::pdf::Preview { fonts: Some(fonts) }
        .render(&std::fs::read(&docx).unwrap(), &pdf)
        .unwrap();
    let pages = common::layout::measure(&pdf);
    for (number, page) in pages.iter().enumerate() {
        let size = (mm(page.width), mm(page.height));
        assert!(
            (size.0 - 297.0).abs() < 1.0 && (size.1 - 210.0).abs() < 1.0,
            "page {}: {size:?} mm",
            number + 1
        );
        for line in &page.lines {
            assert!(
                mm(line.x_min) >= 36.0 && mm(line.x_max) <= 297.0 - 34.0,
                "page {}: “{}” at {:.1}–{:.1} mm",
                number + 1,
                line.text,
                mm(line.x_min),
                mm(line.x_max)
            );
            assert!(
                mm(line.y_min) >= 27.0,
                "page {}: “{}” above the text block",
                number + 1,
                line.text
            );
        }
    }
    pages
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn the_landscape_table_fits_its_text_block_in_libreoffice() {
    common::require_renderer();
    let pages = landscape_pages(&sample());
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let scores = sample_scores();
    let mut seen = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        let text: String = page.lines.iter().map(|l| l.text.as_str()).collect();
        // The column headings open every page.
        assert!(
            text.contains("一级指标"),
            "page {} repeats the headings",
            number + 1
        );
        // Each page's first row names its 一级 and 二级 (0–9 % and 9–19 % of the block).
        // LibreOffice centres a merged cell's text over all its rows, pages or not; what
        // Word and WPS need, a table a page, is read in the .docx by
        // each_page_of_the_indicators_is_a_table_whose_first_row_names_its_levels.
        for (column, heading) in [(0.0..0.09, "一级指标"), (0.09..0.19, "二级指标")] {
            let named = page.lines.iter().any(|l| {
                let at = (mm(l.x_min) - 37.0) / 225.0;
                column.contains(&at) && !l.text.trim().is_empty() && l.text.trim() != heading
            });
            assert!(
                named,
                "page {}: no {heading} under the headings",
                number + 1
            );
        }
        // The 偏差原因 column (right of 69 % of the 225 mm block), top to bottom.
        let mut column: Vec<_> = page
            .lines
            .iter()
            .filter(|l| mm(l.x_min) > 37.0 + 0.69 * 225.0 - 1.0)
            .collect();
        column.sort_by(|a, b| a.y_min.total_cmp(&b.y_min));
        let column: String = column
            .iter()
            .flat_map(|l| l.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        // The 三级 column: from 19 % to 36 % of the block.
        let names: Vec<String> = page
            .lines
            .iter()
            .filter(|l| (37.0 + 0.19 * 225.0..37.0 + 0.36 * 225.0).contains(&mm(l.x_min)))
            .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        for row in &scores.rows {
            if names.contains(&row.display_name) {
                seen.push(row.display_name.clone());
                // The whole 偏差原因 is on the page that has the row's name: rows do not split.
                let deviation: String = row
                    .deviation
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(
                    column.contains(&deviation),
                    "page {}: the row “{}” does not stay whole on it",
                    number + 1,
                    row.display_name
                );
            }
        }
    }
    let expected: Vec<String> = scores.rows.iter().map(|r| r.display_name.clone()).collect();
    assert_eq!(seen, expected, "every row once, in order");
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice Calc and poppler: make test installs them (make deps)"
)]
fn libreoffice_calc_opens_the_xlsx_and_prints_its_rows() {
    common::require_renderer();
    let (out, _, _, xlsx) = build(&sample(), &[]);
    let output = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .arg(&xlsx)
        .env("HOME", out.path())
        .output()
        .unwrap();
    let pdf = xlsx.with_extension("pdf");
    assert!(
        pdf.exists(),
        "LibreOffice Calc did not open the .xlsx (is libreoffice-calc-nogui installed? make deps): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text: String = common::pdf_text(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for expected in [
        "2023年度部门整体绩效自评表",
        "预算执行率",
        "90.54%",
        "9.05",
        "89.69",
        "自评等级：良",
    ] {
        assert!(
            text.contains(expected),
            "“{expected}” not in the printed sheet"
        );
    }
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn the_table_passes_both_validators() {
    let (_out, _, docx, xlsx) = build(&sample(), &[]);
    validator::assert_valid(&docx);
    let appended = sample_with_appendix();
    let (_appended_out, report, _, _) = build(appended.path(), &[]);
    validator::assert_valid(&report);
    // ooxml-integrity reads WordprocessingML only; openxml-audit knows SpreadsheetML too.
    let findings = validator::audit(&xlsx);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// The sample with `自评表: 附在文末` in report.yaml.
fn sample_with_appendix() -> tempfile::TempDir {
    let dir = sample_copy();
    let report = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, format!("{text}自评表: 附在文末\n")).unwrap();
    dir
}

#[test]
fn the_table_can_close_the_report_on_landscape_pages() {
    let dir = sample_with_appendix();
    let (_out, report, _, _) = build(dir.path(), &[]);
    let package = common::Package::open(&report);
    let xml = package.part("word/document.xml");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let sections: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "sectPr")))
        .collect();
    assert_eq!(sections.len(), 2, "the report's section, then the table's");
    let size = |section: roxmltree::Node<'_, '_>| {
        let size = common::child(section, "pgSz").unwrap();
        (
            size.attribute((W, "w")).map(str::to_string),
            size.attribute((W, "orient")).map(str::to_string),
        )
    };
    assert_eq!(size(sections[0]), (Some("11906".into()), None));
    assert_eq!(
        size(sections[1]),
        (Some("16838".into()), Some("landscape".into()))
    );
    // Both sections carry the page numbers.
    for section in &sections {
        assert_eq!(
            section
                .children()
                .filter(|n| n.has_tag_name((W, "footerReference")))
                .count(),
            2
        );
    }
    let texts: Vec<String> = package.paragraphs().into_iter().map(|(_, t)| t).collect();
    let title = texts
        .iter()
        .position(|t| t == "2023年度部门整体绩效自评表")
        .expect("the table's title");
    assert!(texts[..title].iter().any(|t| t.contains("自评得分89.69分")));
    assert_eq!(texts.last().map(String::as_str), Some("自评等级：良"));
    // Without the key the report stays as it was: the table only in its own files.
    let (_out, plain, _, _) = build(&sample(), &[]);
    let plain = common::Package::open(&plain);
    assert_eq!(
        plain.part("word/document.xml").matches("<w:sectPr").count(),
        1
    );
}

/// What `gongwen indicators` says when it refuses the report in `dir`.
fn refused(dir: &Path) -> String {
    let output = gongwen(&["indicators", dir.to_str().unwrap()]);
    assert!(!output.status.success());
    stderr(&output)
}

/// A 自评表 whose total is 92.6 at 76 % spent: 执行率 × 10, 会议费 (不适用) 70 in full, 较健全
/// 75 % × 20; capped by the manual's 执行率 bands.
fn capped_report(spent: &str) -> tempfile::TempDir {
    let table = "自评表:\n  不适用: 满分\n  执行率封顶: { 80%: 89, 70%: 79, 60%: 69, 50%: 59 }\n  预算执行: { 年初预算数: 预算.调整后, 全年预算数: 预算.调整后, 全年执行数: 预算.支出, 执行率: 预算执行率 }\n  指标:\n    - { 一级: 管理效率, 二级: 预算执行, 指标: 预算执行率, 分值: 10, 评分: 执行率 }\n    - { 一级: 运行成本, 二级: 经济成本, 指标: 会议费控制率, 分值: 70 }\n    - { 一级: 管理效率, 二级: 财务管理, 指标: 制度健全性, 分值: 20, 性质: 定性 }\n";
    let dir = scored_report(table, "# 结果\n\n得分{{ 自评得分 }}，{{ 自评等级 }}。\n");
    let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
    std::fs::write(
        dir.path().join("data.yaml"),
        data.replace("支出: 76 万元", &format!("支出: {spent} 万元")),
    )
    .unwrap();
    dir
}

/// `gongwen indicators --json`'s 自评表 totals.
fn totals(dir: &Path) -> serde_json::Value {
    let output = gongwen(&["indicators", dir.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    out["自评表"].clone()
}

#[test]
fn the_total_is_capped_by_the_execution_rate_band_at_its_edges() {
    // (spent of 100, total, grade, the cap's 低于 when one applied)
    for (spent, total, grade, below) in [
        ("80", "93.00", "优", None),
        ("79.99", "89.00", "良", Some("80%")),
        ("70", "89.00", "良", Some("80%")),
        ("69.99", "79.00", "中", Some("70%")),
        ("60", "79.00", "中", Some("70%")),
        ("59.99", "69.00", "中", Some("60%")),
        ("50", "69.00", "中", Some("60%")),
        ("49.99", "59.00", "差", Some("50%")),
    ] {
        let dir = capped_report(spent);
        let totals = totals(dir.path());
        assert_eq!(totals["自评得分"], total, "{spent}: {totals}");
        assert_eq!(totals["自评等级"], grade, "{spent}: {totals}");
        assert_eq!(totals["封顶"]["低于"].as_str(), below, "{spent}: {totals}");
    }
    // The table says why its total is lower than its rows; the prose uses the capped total.
    let dir = capped_report("76");
    assert_eq!(totals(dir.path())["封顶"]["封顶前得分"], "92.60");
    let (_out, report, docx, xlsx) = build(dir.path(), &[]);
    let text: Vec<String> = common::Package::open(&report)
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(text.contains(&"得分89.00，良。".to_string()), "{text:?}");
    let (rows, _) = docx_grid(&docx);
    let last = rows.last().unwrap();
    assert!(last.contains(&"89.00".to_string()), "{last:?}");
    assert!(
        last.iter()
            .any(|c| c == "预算执行率76.00%低于80%，总分由92.60分封顶为89分；自评等级：良"),
        "{last:?}"
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert!(
        sheet
            .rows()
            .any(|r| r.iter().any(|c| c.to_string().contains("封顶为89分"))),
        "the .xlsx says the cap too"
    );
}

#[test]
fn a_cap_without_the_budget_block_is_an_error_at_its_line() {
    let table = TABLE.replace("自评表:\n", "自评表:\n  执行率封顶: { 80%: 89 }\n");
    let dir = scored_report(&table, "# 结果\n\n正文。\n");
    let err = refused(dir.path());
    assert!(err.contains("indicators.yaml:11:"), "{err}");
    assert!(err.contains("执行率封顶 要用 预算执行 的 执行率"), "{err}");
}

/// A report whose 自评表 has a count row (培训次数, 12 of ≥ 26 次) scored by `rule`.
fn count_report(rule: &str) -> tempfile::TempDir {
    let dir = common::report(&[("a.md", "# 结果\n\n正文。\n")]);
    std::fs::write(dir.path().join("data.yaml"), "培训:\n  次数: 12 次\n").unwrap();
    std::fs::write(
        dir.path().join("indicators.yaml"),
        format!(
            "指标:\n  - 名称: 培训次数\n    公式: 培训.次数\n    单位: 次\n    小数位: 0\n    目标: ≥ 26次\n自评表:\n  指标:\n    - {{ 一级: 产出, 二级: 数量, 指标: 培训次数, 分值: 100{rule} }}\n"
        ),
    )
    .unwrap();
    dir
}

#[test]
fn a_count_reads_with_its_unit_and_is_never_scored_as_a_rate() {
    let dir = count_report("");
    let output = gongwen(&["indicators", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("| 产出 | 数量 | 培训次数 | 100 | ≥26次 | 12次 | 46.15 |"),
        "{stdout}"
    );
    let dir = count_report(", 评分: 执行率");
    let err = refused(dir.path());
    assert!(err.contains("indicators.yaml:9:"), "{err}");
    assert!(
        err.contains("评分: 执行率 按比例给分，只用于百分比指标；“培训次数”的单位是“次”"),
        "{err}"
    );
}

#[test]
fn a_qualitative_target_is_the_top_level_of_its_own_family_or_asked_for() {
    let levels = "自评表:\n  定性档次: { 健全: 100%, 较健全: 70%, 不健全: 40%, 高: 100%, 较高: 70%, 低: 40% }\n";
    let with_level = |level: &str, table: &str| {
        let dir = scored_report(table, "# 结果\n\n正文。\n");
        let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
        std::fs::write(
            dir.path().join("data.yaml"),
            data.replace("较健全 75%", level),
        )
        .unwrap();
        gongwen(&["indicators", dir.path().to_str().unwrap()])
    };
    let table = TABLE.replace("自评表:\n", levels);
    let output = with_level("较高", &table);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("| 管理效率 | 财务管理 | 制度健全性 | 20 | 高 | 较高 | 14.00 |"),
        "{stdout}"
    );
    // 低 belongs to neither name: the table does not guess 健全.
    let output = with_level("低", &table);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("indicators.yaml:15:"), "{err}");
    assert!(
        err.contains("请在 indicators.yaml 这一行写 指标值（例如 指标值: 健全 或 指标值: 高）"),
        "{err}"
    );
    let output = with_level("低", &table.replace("性质: 定性", "性质: 定性, 指标值: 高"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("| 制度健全性 | 20 | 高 | 低 | 8.00 |"),
        "{stdout}"
    );
}

/// The number format of the cell at (row, column), both 0-based, of the .xlsx's first sheet.
fn number_format(package: &common::Package, (row, column): (u32, u32)) -> String {
    let sheet = roxmltree::Document::parse(package.part("xl/worksheets/sheet1.xml")).unwrap();
    let letter = char::from(b'A' + u8::try_from(column).unwrap());
    let reference = format!("{letter}{}", row + 1);
    let style: usize = sheet
        .descendants()
        .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(reference.as_str()))
        .and_then(|n| n.attribute("s"))
        .map_or(0, |s| s.parse().unwrap());
    let styles = roxmltree::Document::parse(package.part("xl/styles.xml")).unwrap();
    let xf = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .nth(style)
        .unwrap();
    let id = xf.attribute("numFmtId").unwrap_or("0");
    styles
        .descendants()
        .find(|n| n.has_tag_name("numFmt") && n.attribute("numFmtId") == Some(id))
        .and_then(|n| n.attribute("formatCode"))
        .unwrap_or(id)
        .to_string()
}

#[test]
fn the_xlsx_gives_each_rate_as_its_ratio_formatted_as_a_percentage() {
    let (_out, _, _, xlsx) = build(&sample(), &[]);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = workbook.worksheet_range("自评表").unwrap();
    let package = common::Package::open(&xlsx);
    let mut rates = 0;
    for (name, ratio) in [
        ("“三公”经费控制率", 0.7547),
        ("预算执行率", 0.9054),
        ("公用经费控制率", 0.8735),
    ] {
        let row = (0..sheet.height())
            .find(|&r| {
                let r = u32::try_from(r).unwrap();
                sheet.get_value((r, 2)) == Some(&Data::String(name.into()))
            })
            .unwrap_or_else(|| panic!("no row {name}"));
        let row = u32::try_from(row).unwrap();
        assert_eq!(
            sheet.get_value((row, 5)),
            Some(&Data::Float(ratio)),
            "{name}"
        );
        assert_eq!(number_format(&package, (row, 5)), "0.00%", "{name}");
        rates += 1;
    }
    assert_eq!(rates, 3);
}

#[test]
fn the_total_rows_stay_on_the_page_of_the_last_indicator() {
    let (_out, _, docx, _) = build(&sample(), &[]);
    let package = common::Package::open(&docx);
    let doc = roxmltree::Document::parse(package.part("word/document.xml")).unwrap();
    let table = doc
        .descendants()
        .rfind(|n| n.has_tag_name((W, "tbl")))
        .unwrap();
    // (first cell's text, whether every paragraph of the row keeps with the next)
    let rows: Vec<(String, bool)> = table
        .children()
        .filter(|n| n.has_tag_name((W, "tr")))
        .map(|tr| {
            let text: String = tr
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect();
            let kept = tr
                .descendants()
                .filter(|n| n.has_tag_name((W, "p")))
                .all(|p| p.descendants().any(|n| n.has_tag_name((W, "keepNext"))));
            (text, kept)
        })
        .collect();
    let kept: Vec<usize> = (0..rows.len()).filter(|&r| rows[r].1).collect();
    let n = rows.len();
    assert!(rows[n - 1].0.starts_with("总分"), "{:?}", rows[n - 1]);
    assert!(rows[n - 2].0.starts_with("得分合计"), "{:?}", rows[n - 2]);
    // The last indicator and 得分合计 keep with 总分; nothing else is held.
    assert_eq!(kept, [n - 3, n - 2], "{rows:?}");
}

#[test]
fn the_header_texts_take_placeholders_and_a_wrong_one_is_an_error_at_its_line() {
    let with_achieved = |text: &str| {
        let dir = scored_report(TABLE, "# 结果\n\n正文。\n");
        let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
        std::fs::write(
            dir.path().join("data.yaml"),
            format!("{data}  实际完成情况: {text}\n"),
        )
        .unwrap();
        dir
    };
    let dir = with_achieved("预算执行率{{ 预算执行率 }}，自评得分{{ 自评得分 }}分。");
    let (_out, _, docx, _) = build(dir.path(), &[]);
    let (rows, _) = docx_grid(&docx);
    assert!(
        rows.iter()
            .flatten()
            .any(|c| c == "预算执行率76.00%，自评得分75.75分。"),
        "{rows:?}"
    );
    let dir = with_achieved("完成率{{ 完成率 }}。");
    let err = refused(dir.path());
    assert!(err.contains("data.yaml:10:"), "{err}");
    assert!(err.contains("完成率"), "{err}");
}

/// The 得分 of a one-row 自评表 (100 points) whose count is `value` against `target`, with
/// `extra` keys on its row; or what `gongwen indicators` refuses it with.
fn count_score(value: &str, target: &str, extra: &str) -> Result<String, String> {
    let dir = common::report(&[("a.md", "# 结果\n\n正文。\n")]);
    std::fs::write(
        dir.path().join("data.yaml"),
        format!("培训:\n  次数: {value} 次\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("indicators.yaml"),
        format!(
            "指标:\n  - 名称: 培训次数\n    公式: 培训.次数\n    单位: 次\n    小数位: 0\n    目标: {target}\n自评表:\n  指标:\n    - {{ 一级: 产出, 二级: 数量, 指标: 培训次数, 分值: 100{extra} }}\n"
        ),
    )
    .unwrap();
    let output = gongwen(&["indicators", dir.path().to_str().unwrap(), "--json"]);
    if !output.status.success() {
        return Err(stderr(&output));
    }
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    Ok(out["自评表"]["自评得分"].as_str().unwrap().to_string())
}

#[test]
fn a_floor_and_an_overshoot_deduction_score_at_their_edges() {
    let floor = ", 零分线: 60%";
    // 15 of 25 is exactly 60 %: prorated; 14 is below: 0.
    assert_eq!(count_score("15", "≥ 25次", floor).unwrap(), "60.00");
    assert_eq!(count_score("14", "≥ 25次", floor).unwrap(), "0.00");
    assert_eq!(count_score("14", "≥ 25次", "").unwrap(), "56.00");
    let over = ", 偏离扣分: 2";
    // 130 of ≥ 100 is exactly 30 % over: 2 off; 129 is not.
    assert_eq!(count_score("130", "≥ 100次", over).unwrap(), "98.00");
    assert_eq!(count_score("129", "≥ 100次", over).unwrap(), "100.00");
    // 130 against = 100 misses it (100/130 of the points) and overshoots it too.
    assert_eq!(count_score("130", "= 100次", over).unwrap(), "74.92");
    // Where they do not fit: an error at the row.
    for (target, extra, message) in [
        ("≤ 100次", over, "偏离扣分 只用于 目标 为 ≥ 或 = 的指标"),
        (
            "≥ 25次",
            ", 评分: 扣分, 每百分点扣: 1, 零分线: 60%",
            "零分线 只用于 评分: 比例 的行",
        ),
        (
            "≥ 25次",
            ", 零分线: 六成",
            "零分线 要写成 0% 到 100% 之间的百分数",
        ),
    ] {
        let err = count_score("14", target, extra).unwrap_err();
        assert!(err.contains("indicators.yaml:9:"), "{err}");
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn stepped_scores_and_a_deduction_not_prorated_score_at_their_edges() {
    let steps = ", 评分: 分档, 分档: { 24次: 100%, 20次: 80%, 15次: 50% }";
    // ≥ 25次 met: full points; below it, the best step reached, each bound included.
    assert_eq!(count_score("25", "≥ 25次", steps).unwrap(), "100.00");
    assert_eq!(count_score("24", "≥ 25次", steps).unwrap(), "100.00");
    assert_eq!(count_score("23", "≥ 25次", steps).unwrap(), "80.00");
    assert_eq!(count_score("20", "≥ 25次", steps).unwrap(), "80.00");
    assert_eq!(count_score("15", "≥ 25次", steps).unwrap(), "50.00");
    assert_eq!(count_score("14", "≥ 25次", steps).unwrap(), "0.00");
    // Smaller is better: a step is reached at or under its bound.
    let under = ", 评分: 分档, 分档: { 12次: 60%, 15次: 20% }";
    assert_eq!(count_score("10", "≤ 10次", under).unwrap(), "100.00");
    assert_eq!(count_score("12", "≤ 10次", under).unwrap(), "60.00");
    assert_eq!(count_score("13", "≤ 10次", under).unwrap(), "20.00");
    assert_eq!(count_score("16", "≤ 10次", under).unwrap(), "0.00");
    // 未达到扣: however far it is missed, the same points off.
    let fixed = ", 评分: 扣分, 未达到扣: 30";
    assert_eq!(count_score("25", "≥ 25次", fixed).unwrap(), "100.00");
    assert_eq!(count_score("24", "≥ 25次", fixed).unwrap(), "70.00");
    assert_eq!(count_score("1", "≥ 25次", fixed).unwrap(), "70.00");
    // Where they do not fit: an error at the row.
    for (extra, message) in [
        (", 评分: 分档", "评分: 分档 要写 分档"),
        (", 分档: { 24次: 100% }", "分档 只用于 评分: 分档 的行"),
        (
            ", 评分: 分档, 分档: { 95%: 100% }",
            "分档的界限要写成和指标同单位的数",
        ),
        (
            ", 评分: 分档, 分档: { 24次: 八成 }",
            "分档每一档的得分要写成",
        ),
        (", 评分: 扣分, 未达到扣: 3, 每百分点扣: 1", "只写一个"),
        (", 未达到扣: 3", "未达到扣 只用于 评分: 扣分"),
        (
            ", 评分: 扣分, 未达到扣: 3, 最多扣: 2",
            "只用于按 每百分点扣 扣分的行",
        ),
        (
            ", 评分: 分档, 分档: { 24次: 100% }, 零分线: 60%",
            "零分线 只用于 评分: 比例",
        ),
    ] {
        let err = count_score("14", "≥ 25次", extra).unwrap_err();
        assert!(err.contains("indicators.yaml:9:"), "{extra}: {err}");
        assert!(err.contains(message), "{extra}: {err}");
    }
}

/// 预算执行率's 得分 (60 points, ≥ 95 %) scored by 扣分, 1 point per percentage point, with
/// `extra` keys, at `spent` of 100; or the error.
fn deduction_score(spent: &str, extra: &str) -> Result<String, String> {
    let table = TABLE.replace(
        "分值: 60, 评分: 执行率",
        &format!("分值: 60, 评分: 扣分, 每百分点扣: 1{extra}"),
    );
    let dir = scored_report(&table, "# 结果\n\n正文。\n");
    let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
    std::fs::write(
        dir.path().join("data.yaml"),
        data.replace("支出: 76 万元", &format!("支出: {spent} 万元")),
    )
    .unwrap();
    let output = gongwen(&["indicators", dir.path().to_str().unwrap(), "--json"]);
    if !output.status.success() {
        return Err(stderr(&output));
    }
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let row = out["指标"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["名称"] == "预算执行率")
        .unwrap()
        .clone();
    Ok(row["得分"].as_str().unwrap().to_string())
}

#[test]
fn a_deduction_by_whole_points_and_with_a_cap_scores_at_its_edges() {
    // 76.5 % is 18.5 points under 95 %.
    assert_eq!(deduction_score("76.5", "").unwrap(), "41.50");
    assert_eq!(
        deduction_score("76.5", ", 按整百分点: true").unwrap(),
        "42.00"
    );
    assert_eq!(
        deduction_score("76", ", 按整百分点: true").unwrap(),
        "41.00"
    );
    assert_eq!(deduction_score("76.5", ", 最多扣: 10").unwrap(), "50.00");
    assert_eq!(deduction_score("76.5", ", 最多扣: 18.5").unwrap(), "41.50");
    assert_eq!(deduction_score("76.5", ", 最多扣: 18.4").unwrap(), "41.60");
    let err = deduction_score("76", ", 最多扣: 两分").unwrap_err();
    assert!(err.contains("indicators.yaml:12:"), "{err}");
    assert!(err.contains("最多扣 要写最多扣几分"), "{err}");
    let table = TABLE.replace("评分: 执行率", "评分: 执行率, 最多扣: 2");
    let err = refused(scored_report(&table, "# 结果\n\n正文。\n").path());
    assert!(err.contains("indicators.yaml:12:"), "{err}");
    assert!(
        err.contains("最多扣 和 按整百分点 只用于按 每百分点扣 扣分的行"),
        "{err}"
    );
}

/// The sample laid out in the form `form` (indicators.yaml's 自评表.表样), with the header
/// fields the 重庆 form asks for in data.yaml.
fn sample_in_form(form: &str) -> tempfile::TempDir {
    let dir = sample_copy();
    let indicators = dir.path().join("indicators.yaml");
    let text = std::fs::read_to_string(&indicators).unwrap();
    let text = text.replacen("自评表:\n", &format!("自评表:\n  表样: {form}\n"), 1);
    std::fs::write(&indicators, text).unwrap();
    let data = dir.path().join("data.yaml");
    let text = std::fs::read_to_string(&data).unwrap();
    let fields = "  主管部门: 党工委管委会\n  财政处室: 行政政法科\n  部门联系人: 张三\n  联系电话: 027-12345678\n  年初绩效目标: 做好办文办会办事。\n  全年（调整）绩效目标: 同年初。\n  全年目标实际完成情况: 预算执行率{{ 预算执行率 }}。\n";
    let text = text.replacen("自评表:", &format!("自评表:\n{fields}"), 1);
    std::fs::write(&data, text).unwrap();
    dir
}

/// A copy of the sample, to change.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The docx table's rows from its column headings on: (headings, indicator rows, totals).
fn indicator_part(rows: &[Vec<String>], first_heading: &str) -> (usize, Vec<Vec<String>>) {
    let at = rows
        .iter()
        .position(|r| r[0] == first_heading)
        .unwrap_or_else(|| panic!("no column headings starting {first_heading}: {rows:?}"));
    (at, rows[at..].to_vec())
}

/// The .xlsx's 自评表 sheet, and the row whose first cell is `name`.
fn xlsx_row(xlsx: &Path, name: &str) -> (calamine::Range<Data>, u32) {
    let mut workbook: Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let sheet = workbook.worksheet_range("自评表").unwrap();
    let at = (0..sheet.height())
        .map(|r| u32::try_from(r).unwrap())
        .find(|&r| sheet.get_value((r, 0)) == Some(&Data::String(name.into())))
        .unwrap_or_else(|| panic!("no row {name}"));
    (sheet, at)
}

#[test]
fn each_builtin_form_lays_out_the_sample_in_its_columns_merged_or_flat() {
    let scores = sample_scores();
    let forms: [(&str, &[&str], bool); 3] = [
        ("通用", &GENERAL_HEADINGS, true),
        (
            "重庆",
            &[
                "指标名称",
                "计量单位",
                "指标性质",
                "年初指标值",
                "调整指标值",
                "全年完成值",
                "得分系数（%）",
                "指标权重（分）",
                "指标得分（分）",
                "是否核心指标",
            ],
            false,
        ),
        (
            "评价",
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "评分标准",
                "年度指标值",
                "实际完成值",
                "得分",
                "扣分原因",
            ],
            true,
        ),
    ];
    for (form, headings, grouped) in forms {
        let dir = sample_in_form(form);
        let (_out, _, docx, _) = build(dir.path(), &[]);
        let (rows, merges) = docx_grid(&docx);
        let (at, part) = indicator_part(&rows, headings[0]);
        assert_eq!(part[0], headings, "{form}: the columns in order");
        let name_column = headings
            .iter()
            .position(|h| *h == "三级指标" || *h == "指标名称")
            .unwrap();
        let score_column = headings
            .iter()
            .position(|h| h.starts_with("得分") && !h.contains("系数") || h.starts_with("指标得分"))
            .unwrap();
        let body = &part[1..=scores.rows.len()];
        for (row, scored) in body.iter().zip(&scores.rows) {
            assert_eq!(row[name_column], scored.display_name, "{form}");
            let printed = scored
                .score
                .map_or("不适用".to_string(), |s| format!("{s:.2}"));
            assert_eq!(
                row[score_column], printed,
                "{form}: {}",
                scored.display_name
            );
        }
        // The rows add up to the 得分合计, and the 总分 row gives the sample's 89.69.
        let sum: f64 = body
            .iter()
            .filter_map(|r| r[score_column].parse::<f64>().ok())
            .sum();
        let totals = &part[scores.rows.len() + 1..];
        assert_eq!(totals.len(), 2, "{form}: 得分合计 and 总分: {totals:?}");
        assert!(
            (number(&totals[0][score_column]) - sum).abs() < 1e-9,
            "{form}"
        );
        assert_eq!(totals[1][score_column], "89.69", "{form}");
        assert!(totals[1][0].contains("总分"), "{form}: {:?}", totals[1]);
        let down: Vec<&Merge> = merges
            .iter()
            .filter(|m| m.0 as usize > at && m.0 != m.2)
            .collect();
        if grouped {
            // 运行成本 over its first four rows.
            let first = u32::try_from(at + 1).unwrap();
            assert!(
                down.contains(&&(first, 0, first + 3, 0)),
                "{form}: {down:?}"
            );
        } else {
            assert!(
                down.is_empty(),
                "{form}: a flat form merges nothing down: {down:?}"
            );
        }
        xlsx_says_what_the_docx_says(dir.path());
    }
}

#[test]
fn the_chongqing_form_has_its_header_fields_unit_column_and_coefficients() {
    let dir = sample_in_form("重庆");
    let (_out, _, docx, xlsx) = build(dir.path(), &[]);
    let (rows, _) = docx_grid(&docx);
    let flat: Vec<String> = rows[..4].iter().flatten().cloned().collect();
    for (label, value) in [
        ("主管部门", "党工委管委会"),
        ("财政处室", "行政政法科"),
        ("部门联系人", "张三"),
        ("联系电话", "027-12345678"),
        ("自评总分", "89.69"),
    ] {
        let at = flat
            .iter()
            .position(|c| c == label)
            .unwrap_or_else(|| panic!("{label}: {flat:?}"));
        let next = flat[at + 1..].iter().find(|c| !c.is_empty()).unwrap();
        assert_eq!(next, value, "{label}");
    }
    // The three goal texts, the third with its placeholder filled.
    let texts: Vec<&String> = rows.iter().flatten().collect();
    assert!(texts.iter().any(|t| t.as_str() == "全年（调整）绩效目标"));
    assert!(
        texts.iter().any(|t| t.as_str() == "预算执行率90.54%。"),
        "{texts:?}"
    );
    let (_, part) = indicator_part(&rows, "指标名称");
    let row = |name: &str| part.iter().find(|r| r[0] == name).unwrap().clone();
    // 得分系数 is the score's share of the points; a row that does not apply says so.
    assert_eq!(
        row("预算调整率")[1..],
        [
            "%", "定量", "≤5%", "≤5%", "8.02%", "69.67%", "3", "2.09", "否"
        ]
        .map(String::from)
    );
    assert_eq!(
        row("在职人员控制率")[5..7],
        ["不适用", "不适用"].map(String::from)
    );
    assert_eq!(
        row("中长期规划相符性")[1..3],
        ["", "定性"].map(String::from)
    );
    let package = common::Package::open(&xlsx);
    let (sheet, at) = xlsx_row(&xlsx, "预算调整率");
    assert_eq!(sheet.get_value((at, 5)), Some(&Data::Float(0.0802)));
    assert_eq!(number_format(&package, (at, 5)), "0.00%");
    assert_eq!(sheet.get_value((at, 6)), Some(&Data::Float(0.6967)));
    assert_eq!(sheet.get_value((at, 8)), Some(&Data::Float(2.09)));
}

#[test]
fn a_form_with_a_unit_column_gives_a_count_and_its_target_without_the_unit() {
    let dir = count_report("");
    let indicators = dir.path().join("indicators.yaml");
    let text = std::fs::read_to_string(&indicators).unwrap().replacen(
        "自评表:\n",
        "自评表:\n  表样:\n    基于: 通用\n    列:\n      - { 列: 指标名称, 宽: 20 }\n      - { 列: 计算符号, 宽: 6 }\n      - { 列: 指标值, 宽: 8 }\n      - { 列: 实际完成值, 宽: 8 }\n      - { 列: 计量单位, 宽: 6 }\n      - { 列: 分值, 宽: 6 }\n      - { 列: 得分, 宽: 6 }\n      - { 列: 偏差原因, 宽: 30 }\n",
        1,
    );
    std::fs::write(&indicators, text).unwrap();
    let (_out, _, docx, xlsx) = build(dir.path(), &[]);
    let (rows, _) = docx_grid(&docx);
    let (_, part) = indicator_part(&rows, "指标名称");
    assert_eq!(
        part[1][..7],
        ["培训次数", "≥", "26", "12", "次", "100", "46.15"].map(String::from)
    );
    let (sheet, at) = xlsx_row(&xlsx, "培训次数");
    assert_eq!(sheet.get_value((at, 2)), Some(&Data::Float(26.0)));
    assert_eq!(sheet.get_value((at, 3)), Some(&Data::Float(12.0)));
}

#[test]
fn a_form_that_does_not_fit_is_an_error_at_its_line() {
    for (form, line, says) in [
        ("重广", 112, "没有名为“重广”的表样。最接近的名称：“重庆”"),
        ("{ 列: [] }", 112, "表样的 列 是空的"),
        (
            "{ 列: [{ 列: 指标名称, 宽: 1 }] }",
            112,
            "放不下表头的预算执行情况",
        ),
        (
            "{ 列: [{ 列: 名次, 宽: 1 }] }",
            112,
            "不认识的值“名次”，可以写：一级指标、二级指标",
        ),
        ("{ 表头: [合计] }", 112, "不认识的值“合计”"),
        (
            "{ 列: [{ 列: 指标名称, 宽: 4000000000 }, { 列: 得分, 宽: 4000000000 }] }",
            112,
            "宽 是 4000000000：每列写 1 到 1000 之间的数",
        ),
    ] {
        let dir = sample_in_form(form);
        let err = refused(dir.path());
        assert!(
            err.contains(&format!("indicators.yaml:{line}:")),
            "{form}: {err}"
        );
        assert!(err.contains(says), "{form}: {err}");
    }
    // A style's own widths must be as many as the form's columns.
    let dir = sample_in_form("重庆");
    let widths = "  column_widths: [9, 10, 17, 6, 10, 10, 7, 31]";
    let style: Vec<&str> = gongwen::input::style::DEFAULT
        .yaml
        .lines()
        .flat_map(|line| {
            let own = line.starts_with("score_table:").then_some(widths);
            std::iter::once(line).chain(own)
        })
        .collect();
    let style = style.join("\n");
    std::fs::write(dir.path().join("本单位.yaml"), style).unwrap();
    let report = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replacen("样式: gbt9704", "样式: 本单位.yaml", 1),
    )
    .unwrap();
    let err = refused(dir.path());
    assert!(err.contains("本单位.yaml"), "{err}");
    assert!(
        err.contains("column_widths 有 8 个列宽，自评表的表样“重庆”有 10 列"),
        "{err}"
    );
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn the_chongqing_form_fits_its_landscape_text_block_in_libreoffice() {
    common::require_renderer();
    let dir = sample_in_form("重庆");
    let pages = landscape_pages(dir.path());
    let scores = sample_scores();
    let mut seen = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        let text: String = page.lines.iter().map(|l| l.text.as_str()).collect();
        assert!(
            text.contains("指标名称"),
            "page {} repeats the headings",
            number + 1
        );
        // The 指标名称 column, the first fifth of the block: a row's name on one page only.
        for line in page
            .lines
            .iter()
            .filter(|l| mm(l.x_min) < 37.0 + 0.2 * 225.0)
        {
            let name: String = line.text.chars().filter(|c| !c.is_whitespace()).collect();
            if scores.rows.iter().any(|r| r.display_name == name) {
                seen.push(name);
            }
        }
    }
    let expected: Vec<String> = scores.rows.iter().map(|r| r.display_name.clone()).collect();
    assert_eq!(seen, expected, "every row once, in order");
}

#[test]
#[cfg_attr(
    not(validator),
    ignore = "openxml-audit is not installed: run bash scripts/install-validator.sh"
)]
fn every_builtin_form_passes_the_validators() {
    for form in ["重庆", "评价"] {
        let dir = sample_in_form(form);
        let (_out, _, docx, xlsx) = build(dir.path(), &[]);
        validator::assert_valid(&docx);
        let findings = validator::audit(&xlsx);
        assert!(findings.is_empty(), "{form}: {}", findings.join("\n"));
    }
}

#[test]
fn a_form_with_import_columns_adds_a_flat_sheet_one_row_per_indicator() {
    let dir = sample_in_form(
        "{ 基于: 通用, 导入列: [指标名称, 计算符号, 指标值, 实际完成值, 计量单位, 分值, 得分, 偏差原因] }",
    );
    let (_out, _, _, xlsx) = build(dir.path(), &[]);
    let scores = sample_scores();
    let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(workbook.sheet_names(), ["自评表", "计算底稿", "导入"]);
    let sheet = workbook.worksheet_range("导入").unwrap();
    let text = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    let headings: Vec<String> = (0..8).map(|c| text(0, c)).collect();
    assert_eq!(
        headings,
        [
            "指标名称",
            "计算符号",
            "指标值",
            "实际完成值",
            "计量单位",
            "分值",
            "得分",
            "偏差原因分析及改进措施"
        ]
    );
    assert_eq!(
        sheet.height(),
        scores.rows.len() + 1,
        "headings and one row each"
    );
    assert!(
        workbook
            .merge_cells_by_sheet_name("导入")
            .unwrap()
            .is_empty()
    );
    let at = (1..=u32::try_from(scores.rows.len()).unwrap())
        .find(|&r| text(r, 0) == "预算执行率")
        .unwrap();
    assert_eq!(text(at, 1), "≥");
    assert_eq!(sheet.get_value((at, 2)), Some(&Data::Float(0.95)));
    assert_eq!(sheet.get_value((at, 3)), Some(&Data::Float(0.9054)));
    assert_eq!(text(at, 4), "%");
    assert_eq!(sheet.get_value((at, 5)), Some(&Data::Float(10.0)));
    assert_eq!(sheet.get_value((at, 6)), Some(&Data::Float(9.05)));
}

/// Any form the reader accepts lays the sample out: every row of every table as wide as the
/// form, both files written, whatever columns, widths, grouping and header it has.
mod any_form {
    use super::*;
    use gongwen::input::form::{self, Changes, Column, Field, FormSpec, HeaderBlock};
    use gongwen::input::meta::ScoreTablePlacement;
    use proptest::prelude::*;

    const FIELDS: [Field; 18] = [
        Field::Level1,
        Field::Level2,
        Field::Level3,
        Field::Name,
        Field::Unit,
        Field::Nature,
        Field::Operator,
        Field::InitialTarget,
        Field::Target,
        Field::TargetValue,
        Field::Actual,
        Field::Coefficient,
        Field::Points,
        Field::Score,
        Field::Core,
        Field::Deviation,
        Field::Criterion,
        Field::Remark,
    ];

    fn block() -> impl Strategy<Value = HeaderBlock> {
        let names = prop::collection::vec(
            prop::sample::select(vec![
                "部门名称",
                "自评总分",
                "自评等级",
                "主管部门",
                "年度总体目标",
                "实际完成情况",
            ])
            .prop_map(String::from),
            1..4,
        );
        prop_oneof![
            Just(HeaderBlock::Budget),
            names.clone().prop_map(HeaderBlock::Fields),
            names.prop_map(HeaderBlock::Texts),
        ]
    }

    fn changes() -> impl Strategy<Value = Changes> {
        let column =
            (prop::sample::select(FIELDS.to_vec()), 1u32..=1000).prop_map(|(field, share)| {
                Column {
                    field,
                    heading: None,
                    share,
                }
            });
        (
            prop::collection::vec(column, 1..14),
            any::<bool>(),
            prop::collection::vec(block(), 0..5),
            prop::option::of(prop::collection::vec(
                prop::sample::select(FIELDS.to_vec()),
                1..10,
            )),
        )
            .prop_map(|(columns, grouped, header, import)| Changes {
                base: None,
                name: None,
                grouped: Some(grouped),
                header: Some(header),
                header_shares: None,
                columns: Some(columns),
                import,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn lays_out_the_sample(changes in changes(), appended in any::<bool>()) {
            let at = gongwen::diag::Location::new("indicators.yaml", 112, 3);
            let Ok(form) = form::resolve(Some(&FormSpec::Changed(changes)), &at) else {
                return Ok(());
            };
            let mut built = report::build(&sample(), &Options::default()).unwrap();
            let count = form.columns.len();
            built.scores.as_mut().unwrap().form = form;
            if appended {
                built.meta.score_table = ScoreTablePlacement::Appended;
            }
            let out = tempfile::tempdir().unwrap();
            let report = out.path().join("报告.docx");
            let files = gongwen::render::outputs(&built, &report, gongwen::render::Extras::default()).unwrap();
            for file in &files {
                std::fs::write(&file.path, &file.bytes).unwrap();
            }
            let (rows, _) = docx_grid(&out.path().join("报告-自评表.docx"));
            prop_assert!(rows.iter().all(|r| r.len() == count), "{count} columns: {rows:?}");
            let xlsx = out.path().join("报告-自评表.xlsx");
            let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
            prop_assert!(workbook.worksheet_range("自评表").is_ok());
        }
    }
}

#[test]
fn a_header_field_the_form_shows_and_data_yaml_lacks_is_a_warning_unless_written_as_left_blank() {
    let dir = sample_copy();
    let indicators = dir.path().join("indicators.yaml");
    let text = std::fs::read_to_string(&indicators).unwrap();
    std::fs::write(
        &indicators,
        text.replacen("自评表:\n", "自评表:\n  表样: 重庆\n", 1),
    )
    .unwrap();
    // One warning, at data.yaml's 自评表 line (where they go), naming each.
    let warned = |dir: &Path| -> Vec<(String, u64)> {
        let output = gongwen(&["check", dir.to_str().unwrap(), "--format", "json"]);
        let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        found
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "B005")
            .map(|f| {
                (
                    f["message"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let all = "主管部门、财政处室、部门联系人、联系电话、年初绩效目标、全年（调整）绩效目标、全年目标实际完成情况";
    let said = |names: &str| {
        vec![(
            format!("自评表的表样“重庆”要在表头印的 {names}，data.yaml 没有写，表上会是空格"),
            53,
        )]
    };
    assert_eq!(warned(dir.path()), said(all));
    let data = dir.path().join("data.yaml");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replacen("自评表:", "自评表:\n  主管部门: ~", 1)).unwrap();
    assert_eq!(warned(dir.path()), said(&all["主管部门、".len()..]));
    let filled = sample_in_form("重庆");
    assert_eq!(warned(filled.path()), []);
}
