//! `gongwen indicators`: the computed indicators, for a writer to check or a tool to read.

use std::path::PathBuf;

use gongwen::error::Result;
use gongwen::indicators::{Indicator, Outcome, Verdict};
use gongwen::report::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report directory.
    #[arg(default_value = "content")]
    pub report_dir: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let built = report::build(&args.report_dir, &Options::default())?;
    let list = &built.indicators.list;
    if args.json {
        let rows: Vec<serde_json::Value> = list.iter().map(json).collect();
        super::print(format_args!(
            "{}\n",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        ));
    } else {
        super::print(table(list));
    }
    Ok(())
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

fn json(indicator: &Indicator) -> serde_json::Value {
    let (exact, reason) = match &indicator.outcome {
        Outcome::Value(value) => (Some(value.normalize().to_string()), None),
        Outcome::NotApplicable(reason) => (None, Some(reason.clone())),
    };
    serde_json::json!({
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
    })
}
