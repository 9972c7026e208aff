//! Numbers in prose: figures typed instead of taken from data, figures that contradict the
//! computed ones, malformed numbers, typed verdicts that contradict the computed verdict.

pub(super) mod amounts;
pub(super) mod scores;

use rust_decimal::Decimal;

use crate::eval::indicators::{Indicator, Outcome, Verdict, format_value};
use crate::input::data::Datum;

use crate::check::text::{is_ideograph, occurrences};
use crate::check::{Context, Diagnostic, Rule, Severity, SourceLine};
use crate::document::figures::number_runs;
use amounts::{Amount, amounts, other_year, tied_datum};

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
            description: "正文写的指标值与计算值不符（指标名或标题下的简称：执行率为……）",
            run: contradicting_figure,
        },
        Rule {
            id: "N003",
            severity: Severity::Error,
            description: "数字写法有误（210,18、1,702,36、802..11、12.3.4）",
            run: malformed_number,
        },
        Rule {
            id: "N004",
            severity: Severity::Error,
            description: "正文手写的结论（达到/未达到年初目标，或报告自定的结论措辞）与计算结论相反",
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

/// How a short name (执行率) may follow its figure's lead-in: "执行率为", "控制率在", "执行率：".
const LINKS: [char; 9] = ['为', '是', '达', '在', '：', ':', ' ', '\u{3000}', '约'];

/// The indicator a percentage at `start` speaks of: one named just before it in full, or by the
/// short name its name ends with (执行率, 控制率) when the line named it earlier or the heading
/// the paragraph stands under names it, and no other indicator with that short name.
pub(super) fn tied_indicator<'a>(
    context: &'a Context<'_>,
    line: &SourceLine,
    start: usize,
) -> Option<&'a Indicator> {
    named_before(context, &line.prose, start).or_else(|| short_named(context, line, start))
}

fn short_named<'a>(
    context: &'a Context<'_>,
    line: &SourceLine,
    start: usize,
) -> Option<&'a Indicator> {
    let lead = line.prose[..start].trim_end_matches(LINKS);
    if lead.len() + 3 * '为'.len_utf8() < start {
        return None;
    }
    // The last three characters, read from the end: collecting the whole lead made each
    // figure cost the length of its line before it.
    let from = lead.char_indices().rev().nth(2).map_or(0, |(at, _)| at);
    let short = &lead[from..];
    if short.chars().count() < 3 || !short.ends_with(['率', '度']) {
        return None;
    }
    // "预算总执行率" is not 预算执行率: the short name must stand on its own.
    let before = lead[..lead.len() - short.len()].chars().next_back();
    if before.is_some_and(|c| is_ideograph(c) && !"的其则即".contains(c)) {
        return None;
    }
    let candidates: Vec<&Indicator> = context
        .built
        .indicators
        .list
        .iter()
        .filter(|i| names(i).iter().any(|n| n.ends_with(&short) && *n != short))
        .collect();
    let earlier = &lead[..lead.len() - short.len()];
    let named_on_line = candidates
        .iter()
        .filter_map(|i| {
            names(i)
                .iter()
                .filter_map(|n| earlier.rfind(n))
                .max()
                .map(|at| (at, *i))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, i)| i);
    named_on_line.or_else(|| {
        let heading = heading_above(context, line)?;
        let mut under = candidates
            .iter()
            .filter(|i| names(i).iter().any(|n| heading.contains(n)));
        let found = under.next()?;
        under.next().is_none().then_some(*found)
    })
}

/// The heading of the paragraph a source line belongs to.
pub(super) fn heading_above<'a>(context: &'a Context<'_>, line: &SourceLine) -> Option<&'a str> {
    (line.line.saturating_sub(40)..=line.line)
        .rev()
        .find_map(|l| context.paragraph_at(&line.file, l))?
        .heading
        .as_deref()
}

fn literal_figure(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for amount in amounts(&line.prose) {
            if let Some(placeholder) = whole_literal(context, line, &amount) {
                out.push(rule.at(
                    line.location(amount.start),
                    amount.number.chars().count(),
                    format!("手写的数字“{}”来自数据", amount.number),
                    format!("改用占位符：{placeholder}，数据一改正文随之更新"),
                ));
            }
        }
        for figure in figures(&line.prose) {
            let Some((value, percent)) = value(figure.text) else {
                continue;
            };
            let tied = tied_indicator(context, line, figure.start);
            let contradicts = |i: &Indicator| {
                i.display_value() != figure.text && !same_with_fewer_decimals(i, figure.text)
            };
            if tied.is_some_and(contradicts) {
                continue; // N002 says it.
            }
            // "均为100%" is said of many things: a round rate comes from data only when named.
            let round = percent && (value == Decimal::ONE || value.is_zero());
            if round && tied.is_none() {
                continue;
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
                    line.location(figure.start),
                    figure.text.chars().count(),
                    format!("手写的数字“{}”来自数据或指标", figure.text),
                    format!("改用占位符：{}，数据一改正文随之更新", matches.join(" 或 ")),
                ));
            }
        }
    }
}

/// Words after a percentage that make it a bound, not a value: "控制率在100%以内".
const BOUNDS: [&str; 4] = ["以内", "以下", "以上", "左右"];
/// Words before a percentage that make it a target or a bound: "预算执行率不低于95%".
pub(super) const TARGETS: [&str; 11] = [
    "不低于",
    "不超过",
    "不高于",
    "不少于",
    "不大于",
    "不小于",
    "低于",
    "高于",
    "超过",
    "目标为",
    "目标值",
];

/// A whole number with its unit ("在职人员33人") that its words tie to an equal data value.
fn whole_literal(context: &Context<'_>, line: &SourceLine, amount: &Amount<'_>) -> Option<String> {
    if amount.approximate || amount.number.contains('.') {
        return None;
    }
    let (name, quantity) = tied_datum(context, line, amount)?;
    (quantity.value == amount.value && quantity.unit.as_deref() == Some(amount.unit))
        .then(|| format!("{{{{ {name} }}}}（{}）", quantity.display))
}

fn contradicting_figure(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for figure in figures(&line.prose) {
            let after = &line.prose[figure.start + figure.text.len()..];
            let before = &line.prose[..figure.start];
            if !figure.text.ends_with('%')
                || BOUNDS.iter().any(|b| after.starts_with(b))
                || TARGETS.iter().any(|t| before.ends_with(t))
                || other_year(&line.prose, figure.start, context.built.meta.year)
            {
                continue;
            }
            let Some(indicator) = tied_indicator(context, line, figure.start) else {
                continue;
            };
            let shown = indicator.display_value();
            if shown != figure.text && !same_with_fewer_decimals(indicator, figure.text) {
                let computed = match indicator.outcome {
                    Outcome::Value(_) => format!("计算值是 {shown}"),
                    Outcome::NotApplicable(_) => {
                        format!("该指标不适用（{}）", indicator.verdict_text)
                    }
                };
                out.push(
                    rule.at(
                        line.location(figure.start),
                        figure.text.chars().count(),
                        format!(
                            "正文写{}为“{}”，{computed}",
                            indicator.display_name(),
                            figure.text
                        ),
                        format!("改用占位符 {{{{ {} }}}}", indicator.definition.name),
                    )
                    .with_replacement(format!("{{{{ {} }}}}", indicator.definition.name)),
                );
            }
        }
    }
}

/// "96.9%" for 96.92%: the computed value rounded to the decimals typed (四舍五入).
fn same_with_fewer_decimals(indicator: &Indicator, typed: &str) -> bool {
    let (Outcome::Value(exact), Ok(typed)) = (
        &indicator.outcome,
        typed.trim_end_matches('%').parse::<Decimal>(),
    ) else {
        return false;
    };
    typed.scale() < indicator.definition.decimals
        && format_value(*exact, indicator.is_percent(), typed.scale())
            == format_value(typed / Decimal::ONE_HUNDRED, true, typed.scale())
}

fn malformed_number(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        for (start, text) in number_runs(&line.prose) {
            // A version or a code (V2.0.1, GB/T 9704.1.2) is not a number.
            let code = line.prose[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '.');
            let Some(fix) = malformation(text).filter(|_| !code) else {
                continue;
            };
            let end = start + text.len();
            let shown = if line.prose[end..].starts_with('%') {
                &line.prose[start..end + 1]
            } else {
                text
            };
            out.push(rule.at(
                line.location(start),
                shown.chars().count(),
                format!("数字“{shown}”写法有误"),
                fix,
            ));
        }
    }
}

/// What is wrong with a number as written, as the fix to show; `None` when it is well formed.
fn malformation(text: &str) -> Option<String> {
    if ["..", ",,", ".,", ",."].iter().any(|s| text.contains(s)) {
        let fixed: String = text
            .split(['.', ','])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(".");
        return Some(format!("分隔符重复了：只留一个小数点，例如 {fixed}"));
    }
    let (integer, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.contains(',') {
        return Some("小数点应为“.”，不用千分位逗号，例如 1702.36".into());
    }
    if fraction.contains('.') {
        return (!is_dotted_date(text)).then(|| "一个数只能有一个小数点".into());
    }
    let groups: Vec<&str> = integer.split(',').collect();
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if grouped {
        return None;
    }
    let last = groups[groups.len() - 1];
    Some(if fraction.is_empty() && last.len() < 3 {
        // "1,702,36": the last comma stands for the decimal point.
        let whole = groups[..groups.len() - 1].concat();
        format!("小数点应为“.”，不用千分位逗号，例如 {whole}.{last}")
    } else {
        format!(
            "千分位逗号每三位一个；正文不用千分位，例如 {}",
            groups.concat()
        )
    })
}

/// "2023.12.31": a date written with dots, not a number with two decimal points.
fn is_dotted_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    parts.len() == 3
        && parts[0].len() == 4
        && number(0).is_some_and(|y| (1900..2100).contains(&y))
        && number(1).is_some_and(|m| (1..=12).contains(&m))
        && number(2).is_some_and(|d| (1..=31).contains(&d))
}

/// The typed verdicts the check reads: the report's own 结论 wording (indicators.yaml, file-wide
/// and per indicator) and the common phrasings, longest first, each with whether it says met.
fn verdict_phrases(context: &Context<'_>) -> Vec<(String, bool)> {
    let indicators = &context.built.indicators;
    let mut phrases: Vec<(String, bool)> = vec![
        (indicators.wording.met.clone(), true),
        (indicators.wording.not_met.clone(), false),
    ];
    for indicator in &indicators.list {
        phrases.extend(indicator.definition.met.clone().map(|p| (p, true)));
        phrases.extend(indicator.definition.not_met.clone().map(|p| (p, false)));
    }
    for goal in ["年初目标", "年度目标", "预期目标", "绩效目标", "目标值"] {
        for verb in ["达到", "完成", "实现"] {
            for done in ["", "了"] {
                phrases.push((format!("{verb}{done}{goal}"), true));
                for not in ["未", "未能", "没有", "没能", "尚未"] {
                    phrases.push((format!("{not}{verb}{done}{goal}"), false));
                }
            }
        }
        phrases.push((format!("未到了{goal}"), false));
    }
    // A phrase the report uses for both verdicts says nothing.
    let both: Vec<String> = phrases
        .iter()
        .filter(|(p, met)| phrases.iter().any(|(q, m)| q == p && m != met))
        .map(|(p, _)| p.clone())
        .collect();
    phrases.retain(|(p, _)| !p.is_empty() && !both.contains(p));
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    phrases.dedup();
    phrases
}

/// Words before a verdict phrase that make it a purpose, not a result: "为达到年初目标".
const PURPOSE: [&str; 6] = ["为", "为了", "确保", "力争", "争取", "努力"];

fn typed_verdict(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let phrases = verdict_phrases(context);
    // Two hundred phrases, and most lines hold none: a phrase is looked for only in a line
    // that holds its last two characters (目标 for most), each such tail searched once a line.
    let mut tails: Vec<&str> = Vec::new();
    let tail_of: Vec<usize> = phrases
        .iter()
        .map(|(phrase, _)| {
            let start = phrase.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
            let tail = &phrase[start..];
            tails.iter().position(|t| *t == tail).unwrap_or_else(|| {
                tails.push(tail);
                tails.len() - 1
            })
        })
        .collect();
    for line in &context.lines {
        let present: Vec<bool> = tails
            .iter()
            .map(|t| occurrences(&line.prose, t).next().is_some())
            .collect();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for ((phrase, met), &tail) in phrases.iter().zip(&tail_of) {
            if !present[tail] {
                continue;
            }
            for at in occurrences(&line.prose, phrase) {
                // "未达到年初目标" also contains "达到年初目标": the longer phrase wins.
                if taken.iter().any(|&(s, e)| at < e && s < at + phrase.len()) {
                    continue;
                }
                taken.push((at, at + phrase.len()));
                if PURPOSE.iter().any(|p| line.prose[..at].ends_with(p)) {
                    continue;
                }
                let Some(indicator) = named_before_anywhere(context, line, at) else {
                    continue;
                };
                let contradicts = match indicator.verdict {
                    Verdict::Met => !met,
                    Verdict::NotMet => *met,
                    Verdict::NotApplicable | Verdict::Unjudged => false,
                };
                if contradicts {
                    out.push(rule.at(
                        line.location(at),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_numbers_of_every_shape() {
        for bad in [
            "802..11", "1,702,36", "12.3.4", "210,18", "1,23,456", "1.702,36", "12,,5",
        ] {
            assert!(malformation(bad).is_some(), "{bad}");
        }
        for good in ["802.11", "1,702,360", "1702.36", "2023.12.31", "100", "0.5"] {
            assert_eq!(malformation(good), None, "{good}");
        }
        assert_eq!(
            malformation("1,118,84").unwrap(),
            "小数点应为“.”，不用千分位逗号，例如 1118.84"
        );
        assert_eq!(
            malformation("802..11").unwrap(),
            "分隔符重复了：只留一个小数点，例如 802.11"
        );
    }

    #[test]
    fn runs_take_every_separator_between_digits() {
        let runs: Vec<&str> = crate::document::figures::number_runs("支出802..11万元，共17件。")
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(runs, ["802..11", "17"]);
    }
}
