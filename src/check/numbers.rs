//! Numbers in prose: figures typed instead of taken from data, figures that contradict the
//! computed ones, malformed numbers, typed verdicts that contradict the computed verdict.

use rust_decimal::Decimal;

use crate::data::Datum;
use crate::error::Location;
use crate::indicators::{Indicator, Outcome, Verdict, format_value};

use super::text::{column, occurrences};
use super::{Context, Diagnostic, Rule, Severity, SourceLine};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "N001",
            severity: Severity::Warning,
            description: "正文手写的数字等于或接近数据、指标的值（应改用占位符）",
            run: literal_figure,
        },
        Rule {
            id: "N002",
            severity: Severity::Error,
            description: "正文写的指标值与计算值不符",
            run: contradicting_figure,
        },
        Rule {
            id: "N003",
            severity: Severity::Error,
            description: "数字写法有误（小数点写成逗号、多个小数点）",
            run: malformed_number,
        },
        Rule {
            id: "N004",
            severity: Severity::Error,
            description: "正文手写的“达到/未达到年初目标”与计算结论相反",
            run: typed_verdict,
        },
    ]
}

/// A number typed in prose: its byte range in the line and its text ("87.35%", "210,18").
struct Figure<'a> {
    start: usize,
    text: &'a str,
}

fn figures(prose: &str) -> Vec<Figure<'_>> {
    let mut out = Vec::new();
    let bytes = prose.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || ((bytes[i] == b'.' || bytes[i] == b',')
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            if prose[i..].starts_with('%') {
                i += 1;
            }
            out.push(Figure {
                start,
                text: &prose[start..i],
            });
        } else {
            i += 1;
        }
    }
    out
}

/// The figure as a value: a percentage as its ratio. `None` for years, counts and other plain
/// integers, which are too common to compare.
fn value(text: &str) -> Option<(Decimal, bool)> {
    let percent = text.ends_with('%');
    let number = text.trim_end_matches('%');
    if number.contains(',') || (!percent && !number.contains('.')) {
        return None;
    }
    let value: Decimal = number.parse().ok()?;
    Some(if percent {
        (value / Decimal::ONE_HUNDRED, true)
    } else {
        (value, false)
    })
}

fn names(indicator: &Indicator) -> Vec<&str> {
    let mut names = vec![indicator.definition.name.as_str()];
    names.extend(indicator.definition.display_name.as_deref());
    names
}

/// The indicator named last in `text`.
fn last_named<'a>(context: &'a Context<'_>, text: &str) -> Option<&'a Indicator> {
    context
        .built
        .indicators
        .list
        .iter()
        .filter_map(|i| {
            names(i)
                .iter()
                .filter_map(|n| text.rfind(n))
                .max()
                .map(|at| (at, i))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, i)| i)
}

/// The indicator named within a few characters before `start`, as in "执行率为90.54%".
fn named_before<'a>(context: &'a Context<'_>, prose: &str, start: usize) -> Option<&'a Indicator> {
    let before: String = prose[..start]
        .chars()
        .rev()
        .take(14)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    last_named(context, &before)
}

fn location(line: &SourceLine, start: usize) -> Location {
    Location::new(&line.file, line.line, column(&line.prose, start))
}

fn literal_figure(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for figure in figures(&line.prose) {
            let Some((value, percent)) = value(figure.text) else {
                continue;
            };
            if named_before(context, &line.prose, figure.start)
                .is_some_and(|i| i.display_value() != figure.text)
            {
                continue; // a contradiction: N002 says it.
            }
            let mut matches: Vec<String> = Vec::new();
            for indicator in &context.built.indicators.list {
                if let Outcome::Value(exact) = indicator.outcome {
                    let shown =
                        format_value(exact, indicator.is_percent(), indicator.definition.decimals);
                    let near = percent
                        && indicator.is_percent()
                        && (exact - value).abs() < Decimal::new(1, 3);
                    if shown == figure.text || near {
                        matches.push(format!(
                            "{{{{ {} }}}}（{shown}）",
                            indicator.definition.name
                        ));
                    }
                }
            }
            for (name, datum) in &context.built.data.fields {
                if let Datum::Quantity(q) = datum {
                    let as_typed = if percent {
                        q.display.ends_with('%')
                    } else {
                        !q.display.ends_with('%')
                    };
                    if as_typed && q.value == value {
                        matches.push(format!("{{{{ {name} }}}}（{}）", q.display));
                    }
                }
            }
            if !matches.is_empty() {
                matches.truncate(3);
                out.push(rule.at(
                    location(line, figure.start),
                    figure.text.chars().count(),
                    format!("手写的数字“{}”来自数据或指标", figure.text),
                    format!("改用占位符：{}，数据一改正文随之更新", matches.join(" 或 ")),
                ));
            }
        }
    }
}

fn contradicting_figure(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for figure in figures(&line.prose) {
            if !figure.text.ends_with('%') {
                continue;
            }
            let Some(indicator) = named_before(context, &line.prose, figure.start) else {
                continue;
            };
            let shown = indicator.display_value();
            if shown != figure.text {
                let computed = match indicator.outcome {
                    Outcome::Value(_) => format!("计算值是 {shown}"),
                    Outcome::NotApplicable(_) => {
                        format!("该指标不适用（{}）", indicator.verdict_text)
                    }
                };
                out.push(rule.at(
                    location(line, figure.start),
                    figure.text.chars().count(),
                    format!(
                        "正文写{}为“{}”，{computed}",
                        indicator.display_name(),
                        figure.text
                    ),
                    format!("改用占位符 {{{{ {} }}}}", indicator.definition.name),
                ));
            }
        }
    }
}

fn malformed_number(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for figure in figures(&line.prose) {
            let number = figure.text.trim_end_matches('%');
            let decimal_comma = number
                .rsplit_once(',')
                .is_some_and(|(_, tail)| tail.len() != 3);
            let dots = number.matches('.').count() > 1;
            if decimal_comma || dots {
                out.push(rule.at(
                    location(line, figure.start),
                    figure.text.chars().count(),
                    format!("数字“{}”写法有误", figure.text),
                    if decimal_comma {
                        "小数点应为“.”，例如 210.18"
                    } else {
                        "一个数只能有一个小数点"
                    },
                ));
            }
        }
    }
}

const VERDICTS: [(&str, bool); 5] = [
    ("未达到了年初目标", false),
    ("未达到年初目标", false),
    ("未到了年初目标", false),
    ("达到了年初目标", true),
    ("达到年初目标", true),
];

fn typed_verdict(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let mut taken = Vec::new();
        for (phrase, met) in VERDICTS {
            for at in occurrences(&line.prose, phrase) {
                // "未达到年初目标" also contains "达到年初目标": the longer phrase wins.
                if taken.iter().any(|&(s, e)| at >= s && at < e) {
                    continue;
                }
                taken.push((at, at + phrase.len()));
                let indicator = named_before_anywhere(context, line, at);
                let Some(indicator) = indicator else { continue };
                let contradicts = match indicator.verdict {
                    Verdict::Met => !met,
                    Verdict::NotMet => met,
                    Verdict::NotApplicable | Verdict::Unjudged => false,
                };
                if contradicts {
                    out.push(rule.at(
                        location(line, at),
                        phrase.chars().count(),
                        format!(
                            "正文写“{phrase}”，但{}的计算结论是“{}”",
                            indicator.display_name(),
                            indicator.verdict_text
                        ),
                        format!("改用占位符 {{{{ {}.结论 }}}}", indicator.definition.name),
                    ));
                }
            }
        }
    }
}

/// The indicator a verdict speaks of: the last one named earlier on the line, else the one
/// the paragraph's heading names.
fn named_before_anywhere<'a>(
    context: &'a Context<'_>,
    line: &SourceLine,
    at: usize,
) -> Option<&'a Indicator> {
    let on_line = last_named(context, &line.prose[..at]);
    on_line.or_else(|| {
        let heading = context
            .paragraph_at(&line.file, line.line)?
            .heading
            .as_deref()?;
        context
            .built
            .indicators
            .list
            .iter()
            .find(|i| names(i).iter().any(|n| heading.contains(n)))
    })
}
