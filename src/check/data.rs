//! Data: identities that do not hold (checked by the build) and not-applicable indicators
//! that the prose still states as values.

use crate::eval::indicators::Verdict;

use super::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "D001",
            severity: Severity::Error,
            description: "data.yaml 的数据不满足 indicators.yaml 声明的校验式",
            run: broken_identity,
        },
        Rule {
            id: "D002",
            severity: Severity::Error,
            description: "不适用的指标（分母为零或数据未提供）在正文中仍写了数值或“达到”",
            run: stated_not_applicable,
        },
    ]
}

fn broken_identity(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for broken in &context.built.indicators.broken {
        let ((left, left_value), (right, right_value)) = (&broken.left, &broken.right);
        out.push(rule.at(
            broken.location.clone(),
            broken.text.chars().count(),
            format!("数据校验不成立：左边 {left} = {left_value}，右边 {right} = {right_value}"),
            "核对 data.yaml 中的数字",
        ));
    }
}

/// A value or a "met" verdict stated in the text, outside "目标为90%"-style mentions of the target.
fn states_value(text: &str) -> Option<(usize, String)> {
    for phrase in ["100%以内", "达到了年初目标", "达到年初目标"] {
        for (at, _) in text.match_indices(phrase) {
            if !text[..at].ends_with('未') {
                return Some((at, phrase.to_string()));
            }
        }
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if c == '%' {
            let digits_start = chars[..i]
                .iter()
                .rposition(|(_, d)| !(d.is_ascii_digit() || *d == '.'))
                .map_or(0, |p| p + 1);
            let start = chars.get(digits_start).map_or(at, |(b, _)| *b);
            let about_target = text[..start].ends_with("目标为") || text[..start].ends_with("目标");
            if digits_start < i && !about_target {
                return Some((start, text[start..at + 1].to_string()));
            }
        }
    }
    None
}

fn stated_not_applicable(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let not_applicable: Vec<_> = context
        .built
        .indicators
        .list
        .iter()
        .filter(|i| i.verdict == Verdict::NotApplicable)
        .collect();
    for paragraph in &context.paragraphs {
        let heading = paragraph.heading.as_deref().unwrap_or("");
        for indicator in &not_applicable {
            let names = [
                Some(indicator.definition.name.as_str()),
                indicator.definition.display_name.as_deref(),
            ];
            let under = names.iter().flatten().any(|n| heading.contains(n));
            if !under {
                continue;
            }
            if let Some((at, stated)) = states_value(&paragraph.text) {
                let offset = paragraph.text[..at].chars().count();
                out.push(rule.at(
                    paragraph.position(offset),
                    stated.chars().count(),
                    format!(
                        "{}不适用（{}），正文却写了“{stated}”",
                        indicator.display_name(),
                        indicator.verdict_text
                    ),
                    format!(
                        "改用 {{% if {0}.适用 %}}……{{% else %}}{{{{ {0}.结论 }}}}{{% endif %}}",
                        indicator.definition.name
                    ),
                ));
            }
        }
    }
}
