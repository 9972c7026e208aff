//! Years: the evaluation this report is about named with another year (the notice
//! 《关于做好2023年度绩效自评工作的通知》 cited in a report on 2024), as when last year's
//! report is copied forward.

use crate::error::Location;

use super::numbers::number_runs;
use super::text::column;
use super::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![Rule {
        id: "W006",
        severity: Severity::Warning,
        description: "本次自评写成了别的年度（2024年的报告写“2023年度绩效自评”）",
        run: other_year_evaluation,
    }]
}

/// What names this report's own evaluation when it follows "N年度" closely.
const EVALUATION: [&str; 6] = [
    "绩效自评",
    "整体绩效",
    "整体支出绩效",
    "绩效评价自评",
    "自评工作",
    "自评报告",
];
/// Characters allowed between "N年度" and those words: "2023年度部门整体绩效".
const BETWEEN: [&str; 4] = ["部门", "单位", "本部门", "本单位"];

fn other_year_evaluation(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let year = context.built.meta.year;
    for line in &context.lines {
        let prose = &line.prose;
        for (start, number) in number_runs(prose) {
            let rest = &prose[start + number.len()..];
            let Some(rest) = rest
                .strip_prefix("年度")
                .or_else(|| rest.strip_prefix('年'))
            else {
                continue;
            };
            let Ok(typed) = number.parse::<u16>() else {
                continue;
            };
            if number.len() != 4 || typed == year {
                continue;
            }
            let rest = BETWEEN
                .iter()
                .find_map(|w| rest.strip_prefix(w))
                .unwrap_or(rest);
            if !EVALUATION.iter().any(|w| rest.starts_with(w)) {
                continue;
            }
            // Last year's evaluation may be cited ("2023年度绩效自评发现的问题已整改"); this
            // year's is the one a notice calls for, the one carried out on the unit, or a later one.
            let before = &prose[..start];
            let in_notice = before
                .rfind('《')
                .is_some_and(|o| !before[o..].contains('》') && before[o..].contains("关于"));
            let this_one = ["对本部门", "对本单位", "对部门", "对单位", "开展"]
                .iter()
                .any(|w| before.ends_with(w));
            if typed < year && !in_notice && !this_one {
                continue;
            }
            out.push(rule.at(
                Location::new(&line.file, line.line, column(prose, start)),
                4,
                format!("报告写的是 {year} 年度，此处的自评却写作 {typed} 年"),
                format!("核对年份：本次自评是 {year} 年度，可用占位符 {{{{ 年度 }}}}"),
            ));
        }
    }
}
