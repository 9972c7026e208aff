//! Years: the evaluation this report is about named with another year (the notice
//! 《关于做好2023年度绩效自评工作的通知》 cited in a report on 2024), as when last year's
//! report is copied forward.

use crate::check::{Context, Diagnostic, Rule, Severity};
use crate::document::figures::number_runs;

pub fn rules() -> Vec<Rule> {
    vec![Rule {
        id: "W006",
        severity: Severity::Warning,
        description: "本次自评的通知或自评期间写成了别的年度（2024年的报告引《关于做好2023年度绩效自评工作的通知》）",
        run: other_year_evaluation,
    }]
}

/// Words in a notice's title that make it the notice for a self-evaluation.
const EVALUATION: [&str; 2] = ["自评", "绩效评价"];
/// Words just before "N年度" that name the period this report evaluates: "对本部门2023年度".
const EVALUATED: [&str; 5] = ["对本部门", "对本单位", "对部门", "对单位", "对本局"];

fn other_year_evaluation(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let year = context.built.meta.year;
    for line in &context.lines {
        let prose = &line.prose;
        for (start, number) in number_runs(prose) {
            let rest = &prose[start + number.len()..];
            if number.len() != 4 || !rest.starts_with('年') {
                continue;
            }
            let Ok(typed) = number.parse::<u16>() else {
                continue;
            };
            if typed == year {
                continue;
            }
            // Other years' evaluations may be cited ("2023年度绩效自评发现的问题已整改") and
            // next year's targets planned: only the notice that calls for this evaluation
            // and the period it is carried out on must be this report's year.
            let before = &prose[..start];
            let title = before
                .rfind('《')
                .filter(|&o| !before[o..].contains('》') && before[o..].contains("关于"))
                .map(|_| rest.split('》').next().unwrap_or(""));
            let in_notice = title.is_some_and(|t| EVALUATION.iter().any(|w| t.contains(w)));
            let evaluated = EVALUATED.iter().any(|w| before.ends_with(w));
            if !in_notice && !evaluated {
                continue;
            }
            out.push(rule.at(
                line.location(start),
                4,
                format!("报告写的是 {year} 年度，此处的自评却写作 {typed} 年"),
                format!("核对年份：本次自评是 {year} 年度，可用占位符 {{{{ 年度 }}}}"),
            ));
        }
    }
}
