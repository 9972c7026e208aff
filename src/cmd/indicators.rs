//! `gongwen indicators`: the computed indicators, for a writer to check or a tool to read.

use std::path::PathBuf;

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::document::report::{self, Options};
use gongwen::eval::indicators::{self, Indicator, Outcome, Verdict};
use gongwen::eval::scoring::{self, Row, Scores};

use super::{flag, is_set, one, report_dir};

#[derive(Debug)]
pub struct Args {
    pub report_dir: PathBuf,
    pub json: bool,
}

pub fn command() -> Command {
    Command::new("indicators")
        .about("列出算出的指标（名称、公式、输入、数值、目标、结论）")
        .arg(report_dir())
        .arg(flag("json", "输出 JSON，而不是表格"))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
            json: is_set(matches, "json"),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let built = report::build(&args.report_dir, &Options::default())?;
    let list = &built.indicators.list;
    let scores = built.scores.as_ref();
    let row = |name: &str| scores.and_then(|s| s.row(name));
    if args.json {
        let mut rows: Vec<serde_json::Value> = list
            .iter()
            .map(|i| json(i, row(&i.definition.name)))
            .collect();
        let qualitative = scores
            .iter()
            .flat_map(|s| &s.rows)
            .filter(|r| r.nature == scoring::Nature::Qualitative);
        rows.extend(qualitative.map(qualitative_json));
        let out = serde_json::json!({
            "指标": rows,
            "自评表": scores.map(totals_json),
        });
        super::print(format_args!(
            "{}\n",
            serde_json::to_string_pretty(&out).unwrap_or_default()
        ));
    } else {
        super::print(table(list));
        if let Some(scores) = scores {
            super::print(format_args!("\n{}", score_table(scores)));
        }
    }
    Ok(())
}

fn score(row: &Row) -> String {
    row.score
        .map_or_else(|| "不适用（剔除）".into(), scoring::format_score)
}

/// The 自评表's rows with their points and scores, then the total and the grade.
fn score_table(scores: &Scores) -> String {
    let mut out = String::from(
        "| 一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 实际完成值 | 得分 |\n|---|---|---|---|---|---|---|\n",
    );
    for row in &scores.rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            row.level1,
            row.level2,
            row.display_name,
            scoring::format_points(row.points),
            row.target,
            row.actual,
            score(row),
        ));
    }
    let total = scoring::format_score(scores.total);
    if let Some(cap) = &scores.cap {
        out.push_str(&format!(
            "\n预算执行率 {} 低于 {}：总分 {} 封顶为 {}\n",
            cap.rate,
            indicators::format_value(cap.below, true, 0),
            scoring::format_score(cap.uncapped),
            scoring::format_points(cap.limit)
        ));
    }
    if scores.rescaled() {
        out.push_str(&format!(
            "\n得分合计 {} ÷ 适用分值 {} × {} = 自评得分 {total}，自评等级：{}\n",
            scoring::format_score(scores.sum),
            scoring::format_points(scores.applicable_points),
            scoring::format_points(scores.total_points),
            scores.grade
        ));
    } else {
        out.push_str(&format!("\n自评得分 {total}，自评等级：{}\n", scores.grade));
    }
    out
}

/// The totals and grade the text output prints, and the 执行率封顶 when it lowered the total.
fn totals_json(scores: &Scores) -> serde_json::Value {
    serde_json::json!({
        "总分": scoring::format_points(scores.total_points),
        "适用分值": scoring::format_points(scores.applicable_points),
        "得分合计": scoring::format_score(scores.sum),
        "自评得分": scoring::format_score(scores.total),
        "自评等级": scores.grade,
        "封顶": scores.cap.as_ref().map(|cap| serde_json::json!({
            "执行率": cap.rate,
            "低于": indicators::format_value(cap.below, true, 0),
            "最高分": scoring::format_points(cap.limit),
            "封顶前得分": scoring::format_score(cap.uncapped),
        })),
    })
}

fn qualitative_json(row: &Row) -> serde_json::Value {
    serde_json::json!({
        "名称": row.name,
        "显示名": row.display_name,
        "性质": "定性",
        "值": row.actual,
        "目标": row.target,
        "一级": row.level1,
        "二级": row.level2,
        "分值": scoring::format_points(row.points),
        "得分": row.score.map(scoring::format_score),
        "位置": row.location.to_string(),
    })
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Met => "达到",
        Verdict::NotMet => "未达到",
        Verdict::NotApplicable => "不适用",
        Verdict::Unjudged => "无目标",
    }
}

fn inputs(indicator: &Indicator) -> String {
    indicator
        .inputs
        .iter()
        .map(|input| format!("{}={}", input.name, input.display))
        .collect::<Vec<_>>()
        .join("，")
}

fn target(indicator: &Indicator) -> String {
    indicator.definition.target.clone().unwrap_or_default()
}

/// A Markdown table: readable in a terminal and pasteable into a review.
fn table(list: &[Indicator]) -> String {
    let mut out =
        String::from("| 指标 | 公式 | 输入 | 值 | 目标 | 结论 |\n|---|---|---|---|---|---|\n");
    for indicator in list {
        let value = match &indicator.outcome {
            Outcome::Value(_) => indicator.display_value(),
            Outcome::NotApplicable(reason) => format!("不适用（{reason}）"),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            indicator.display_name(),
            indicator.definition.formula,
            inputs(indicator),
            value,
            target(indicator),
            verdict_name(indicator.verdict),
        ));
    }
    out
}

fn json(indicator: &Indicator, row: Option<&Row>) -> serde_json::Value {
    let (exact, reason) = match &indicator.outcome {
        Outcome::Value(value) => (Some(value.normalize().to_string()), None),
        Outcome::NotApplicable(reason) => (None, Some(reason.clone())),
    };
    let mut value = serde_json::json!({
        "名称": indicator.definition.name,
        "显示名": indicator.display_name(),
        "公式": indicator.definition.formula,
        "输入": indicator.inputs.iter().map(|i| serde_json::json!({"名称": i.name, "值": i.display})).collect::<Vec<_>>(),
        "值": indicator.display_value(),
        "精确值": exact,
        "单位": indicator.definition.unit,
        "目标": indicator.definition.target,
        "判定": verdict_name(indicator.verdict),
        "结论": indicator.verdict_text,
        "不适用原因": reason,
        "位置": indicator.location.to_string(),
    });
    if let (Some(row), Some(object)) = (row, value.as_object_mut()) {
        object.insert("一级".into(), row.level1.clone().into());
        object.insert("二级".into(), row.level2.clone().into());
        object.insert("分值".into(), scoring::format_points(row.points).into());
        object.insert("得分".into(), row.score.map(scoring::format_score).into());
    }
    value
}
