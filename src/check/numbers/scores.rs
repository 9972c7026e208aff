//! The 自评表's results in prose: a typed score or grade that contradicts the computed one.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::diag::Location;
use crate::eval::scoring::{self, Scores};

use crate::check::text::occurrences;
use crate::check::{Context, Diagnostic, Rule, Severity, SourceLine};

pub fn rules() -> Vec<Rule> {
    vec![Rule {
        id: "N005",
        severity: Severity::Error,
        description: "正文手写的自评得分、指标得分或自评等级与自评表计算的不符",
        run: typed_score,
    }]
}

/// Words after which the prose gives the total score.
const TOTAL_WORDS: [&str; 4] = ["自评得分", "自评总分", "综合得分", "总得分"];
/// Words after which the prose gives the grade.
const GRADE_WORDS: [&str; 4] = ["自评等级", "评价等级", "绩效等级", "等级为"];
/// What may stand between those words and the figure: "自评得分为：89.69分".
const LINKS: [char; 7] = ['为', '是', '：', ':', '“', '"', ' '];

fn typed_score(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let Some(scores) = &context.built.scores else {
        return;
    };
    for line in &context.lines {
        let prose = &line.prose;
        for word in TOTAL_WORDS {
            for at in occurrences(prose, word) {
                let start = skip_links(prose, at + word.len());
                if let Some(typed) = score_at(prose, start) {
                    check_score(
                        line,
                        start,
                        typed,
                        scores.total,
                        "自评得分",
                        "自评得分",
                        rule,
                        out,
                    );
                }
            }
        }
        for at in occurrences(prose, "得分") {
            if TOTAL_WORDS
                .iter()
                .any(|w| prose[..at + "得分".len()].ends_with(w))
            {
                continue;
            }
            let Some(row) = named_before(scores, &prose[..at]) else {
                continue;
            };
            let start = skip_links(prose, at + "得分".len());
            if let (Some(typed), Some(score)) = (score_at(prose, start), row.score) {
                let placeholder = format!("{}.得分", row.name);
                check_score(
                    line,
                    start,
                    typed,
                    score,
                    &row.display_name,
                    &placeholder,
                    rule,
                    out,
                );
            }
        }
        for word in GRADE_WORDS {
            for at in occurrences(prose, word) {
                let start = skip_links(prose, at + word.len());
                let Some(typed) = grade_at(prose, start, &scores.grade_names) else {
                    continue;
                };
                if typed != scores.grade {
                    out.push(rule.at(
                        location(line, start),
                        typed.chars().count(),
                        format!("正文写的自评等级“{typed}”与自评表的“{}”不符", scores.grade),
                        "改用占位符 {{ 自评等级 }}，分数一改正文随之更新",
                    ));
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_score(
    line: &SourceLine,
    start: usize,
    (typed, text): (Decimal, &str),
    computed: Decimal,
    what: &str,
    placeholder: &str,
    rule: &Rule,
    out: &mut Vec<Diagnostic>,
) {
    // "89.7分" for 89.69 is the same score, written with fewer decimals.
    let shown =
        computed.round_dp_with_strategy(typed.scale(), RoundingStrategy::MidpointAwayFromZero);
    if shown != typed {
        out.push(rule.at(
            location(line, start),
            text.chars().count(),
            format!(
                "正文写的{what}“{text}”与自评表计算的 {} 分不符",
                scoring::format_score(computed)
            ),
            format!("改用占位符 {{{{ {placeholder} }}}}，分数一改正文随之更新"),
        ));
    }
}

fn location(line: &SourceLine, start: usize) -> Location {
    line.location(start)
}

fn skip_links(prose: &str, mut at: usize) -> usize {
    for c in prose[at..].chars().take(3) {
        if !LINKS.contains(&c) {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// A figure followed by 分 at `start`: its value and text ("89.69").
fn score_at(prose: &str, start: usize) -> Option<(Decimal, &str)> {
    let rest = &prose[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let text = &rest[..end];
    if text.is_empty() || !rest[end..].starts_with('分') {
        return None;
    }
    Some((text.parse().ok()?, text))
}

/// A grade name at `start`, standing alone ("良。", "“良”"), not the start of a word (优秀).
fn grade_at<'a>(prose: &str, start: usize, grades: &'a [String]) -> Option<&'a str> {
    let rest = &prose[start..];
    grades
        .iter()
        .filter(|g| rest.starts_with(g.as_str()))
        .max_by_key(|g| g.len())
        .filter(|g| {
            rest[g.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() || c == '等' || c == '级')
        })
        .map(String::as_str)
}

/// The row named within a few characters before a "得分": "预算执行率得分为".
fn named_before<'a>(scores: &'a Scores, before: &str) -> Option<&'a scoring::Row> {
    let tail: String = {
        let chars: Vec<char> = before.chars().collect();
        chars[chars.len().saturating_sub(12)..].iter().collect()
    };
    scores
        .rows
        .iter()
        .filter_map(|row| {
            [row.name.as_str(), row.display_name.as_str()]
                .iter()
                .filter_map(|n| tail.rfind(n))
                .max()
                .map(|at| (at, row))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, row)| row)
}
