//! `gongwen new`: a report directory that builds at once, and says what is left to fill.

mod common;

use common::{gongwen, stderr};

fn new_report(dir: &std::path::Path) {
    let output = gongwen(&[
        "new",
        dir.to_str().unwrap(),
        "--unit",
        "某市市场监督管理局",
        "--year",
        "2024",
        "--attachment",
        "附件3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_new_report_builds_at_once_and_check_sums_up_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("报告");
    new_report(&report);
    let (_out, docx) = common::build(&report);
    let text: Vec<String> = docx.paragraphs().into_iter().map(|(_, t)| t).collect();
    assert_eq!(text[0], "附件3");
    assert!(
        text.contains(&"2024年度某市市场监督管理局部门整体绩效自评报告".to_string()),
        "{text:?}"
    );
    for heading in [
        "一、基本情况",
        "二、部门自评工作开展情况",
        "三、部门整体绩效目标完成情况",
        "（一）运行成本指标完成情况",
        "（六）满意度指标完成情况",
        "1.公用经费控制率",
        "（二）管理效率指标完成情况",
        "1.战略管理指标分析",
        "（1）中长期规划相符性",
        "四、主要成效、存在的突出问题和原因",
        "五、下一步拟改进措施",
    ] {
        assert!(text.iter().any(|t| t == heading), "{heading}: {text:?}");
    }
    // The guidance is in comments, which print nothing, not even an empty line.
    let part_one = text.iter().position(|t| t == "一、基本情况").unwrap();
    assert!(
        text[part_one + 1].starts_with("2024年，某市市场监督管理局"),
        "{text:?}"
    );

    let data = std::fs::read_to_string(report.join("data.yaml")).unwrap();
    let unfilled = data.lines().filter(|l| l.contains(": ~")).count();
    assert!(unfilled > 20, "{data}");
    assert!(
        data.contains("年初预算数: ~") && data.contains("# 万元"),
        "{data}"
    );
    let output = gongwen(&["check", report.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains(&format!("data.yaml：还有 {unfilled} 项数据未填写")),
        "{said}"
    );
    // What is left besides the figures: the 日期 of this version, which the build warns of too.
    assert!(said.contains("检查完成：0 个错误，1 个警告。"), "{said}");
    assert!(
        said.starts_with("warning[B002]: report.yaml 没有写 日期"),
        "{said}"
    );
}

#[test]
fn with_the_data_filled_in_the_outline_shows_values_and_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("报告");
    new_report(&report);
    std::fs::copy(
        common::repo().join("content/data.yaml"),
        report.join("data.yaml"),
    )
    .unwrap();
    let (_out, docx) = common::build(&report);
    let text: Vec<String> = docx.paragraphs().into_iter().map(|(_, t)| t).collect();
    let all = text.join("\n");
    assert!(
        all.contains("2024年公用经费控制率为87.35%，达到了年初目标（年初目标不超过100%）。"),
        "{all}"
    );
    assert!(
        all.contains("2024年预算执行率为90.54%，未达到年初目标（年初目标不低于95%）。"),
        "{all}"
    );
    assert!(all.contains("4.“三公”经费控制率"), "{all}");
    assert!(
        all.contains("（工作计划健全性的情况和依据。）自评档次：健全。"),
        "{all}"
    );
}

#[test]
fn new_never_overwrites_and_asks_for_missing_options_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("笔记.md"), "已有内容").unwrap();
    let output = gongwen(&[
        "new",
        dir.path().to_str().unwrap(),
        "--unit",
        "某局",
        "--year",
        "2024",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("不是空目录"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let fresh = dir.path().join("新报告");
    let output = gongwen(&["new", fresh.to_str().unwrap(), "--year", "2024"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--unit"), "{}", stderr(&output));
    assert!(!fresh.exists());
}
