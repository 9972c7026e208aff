//! Wording, from a word list a bureau can extend: wrong words, relative dates in a report
//! about a past year, the unit's name in variants (listed, or derived from 单位), 全局 in a
//! unit that is not a 局.

pub(super) mod repeats;
pub(super) mod years;

use serde::Deserialize;

use crate::diag::{Location, Result};
use crate::input::yaml;

use crate::check::text::is_ideograph;
use crate::check::{Context, Diagnostic, Rule, Severity};

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "W001",
            severity: Severity::Warning,
            description: "用词表中的错误说法（截止→截至、未到了、检测→监测 …）",
            run: replacements,
        },
        Rule {
            id: "W002",
            severity: Severity::Warning,
            description: "报告年度已过去，却写“今年”“截至目前”等相对时间",
            run: relative_dates,
        },
        Rule {
            id: "W003",
            severity: Severity::Warning,
            description: "单位名称写成了别称",
            run: unit_variants,
        },
        Rule {
            id: "W004",
            severity: Severity::Warning,
            description: "单位不是“局”却写“全局”",
            run: whole_bureau,
        },
    ]
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    #[serde(rename = "替换", default)]
    pub replacements: Vec<Replacement>,
    #[serde(rename = "相对时间", default)]
    pub relative_dates: Vec<String>,
    #[serde(rename = "单位别称", default)]
    pub unit_variants: Vec<UnitVariant>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    #[serde(rename = "错")]
    pub wrong: String,
    #[serde(rename = "对")]
    pub right: String,
    #[serde(rename = "后接日期", default)]
    pub before_date: bool,
    #[serde(rename = "说明", default)]
    pub why: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnitVariant {
    #[serde(rename = "别称")]
    pub variant: String,
    #[serde(rename = "全称")]
    pub name: String,
}

const BUILTIN: &str = include_str!("wording.yaml");

impl WordList {
    pub fn builtin() -> Result<WordList> {
        yaml::from_str(
            BUILTIN,
            yaml::Origin::file(std::path::Path::new("src/check/wording.yaml")),
        )
    }

    pub fn extend(&mut self, other: WordList) {
        self.replacements.extend(other.replacements);
        self.relative_dates.extend(other.relative_dates);
        self.unit_variants.extend(other.unit_variants);
    }
}

/// Occurrences of `word` in the prose of every line, longest words first and never twice
/// at the same place.
fn occurrences<'a>(
    context: &'a Context<'_>,
    word: &'a str,
) -> impl Iterator<Item = (Location, &'a str, usize)> + 'a {
    // Most lines lack the word's first character, which a byte search rules out cheaply.
    let first = word.chars().next().unwrap_or_default();
    let lines = context
        .lines
        .iter()
        .filter(move |line| line.prose.contains(first));
    lines.flat_map(move |line| {
        line.prose
            .match_indices(word)
            .map(move |(at, _)| (line.location(at), line.prose.as_str(), at))
    })
}

fn starts_with_date(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || c == '\u{3000}')
        || ["今", "目前", "年底", "年末", "本"]
            .iter()
            .any(|w| text.starts_with(w))
}

fn replacements(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut list: Vec<&Replacement> = context.wording.replacements.iter().collect();
    list.sort_by_key(|r| std::cmp::Reverse(r.wrong.chars().count()));
    let mut taken: Vec<(Location, usize)> = Vec::new();
    for replacement in list {
        for (location, prose, at) in occurrences(context, &replacement.wrong) {
            let after = &prose[at + replacement.wrong.len()..];
            if replacement.before_date && !starts_with_date(after) {
                continue;
            }
            // A report's word list may give a right form that contains the wrong one (错: 预算,
            // 对: 部门预算): this occurrence may be a part of it, typed right.
            let typed_right = replacement
                .right
                .match_indices(replacement.wrong.as_str())
                .any(|(k, _)| {
                    at.checked_sub(k)
                        .and_then(|begin| prose.get(begin..))
                        .is_some_and(|rest| rest.starts_with(replacement.right.as_str()))
                });
            if typed_right || prose[..at].ends_with('“') {
                continue;
            }
            let width = replacement.wrong.chars().count();
            let overlaps = taken.iter().any(|(l, w)| {
                l.file == location.file
                    && l.line == location.line
                    && location.column < l.column + w
                    && l.column < location.column + width
            });
            if overlaps {
                continue;
            }
            taken.push((location.clone(), width));
            let why = if replacement.why.is_empty() {
                String::new()
            } else {
                format!("（{}）", replacement.why)
            };
            out.push(rule.at(
                location,
                width,
                format!("“{}”应为“{}”{why}", replacement.wrong, replacement.right),
                format!("改为“{}”", replacement.right),
            ));
        }
    }
}

fn relative_dates(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let meta = &context.built.meta;
    // Without a version date, whether the year is past would depend on the clock.
    let Some(date) = &meta.date else { return };
    let written: u16 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    if written <= meta.year {
        return;
    }
    let mut words: Vec<&String> = context.wording.relative_dates.iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut taken: Vec<Location> = Vec::new();
    for word in words {
        for (location, _, _) in occurrences(context, word) {
            if taken.iter().any(|l| {
                l.file == location.file
                    && l.line == location.line
                    && l.column.abs_diff(location.column) < 4
            }) {
                continue;
            }
            taken.push(location.clone());
            out.push(rule.at(
                location,
                word.chars().count(),
                format!(
                    "报告写的是 {} 年度，成文于 {written} 年，“{word}”指代不明",
                    meta.year
                ),
                format!("写明时间，例如“{}年”“截至{}年底”", meta.year, meta.year),
            ));
        }
    }
}

/// Administrative levels a unit's name carries after its place: 鄂州市财政局.
const LEVELS: &str = "省市县区旗盟";

/// Variants derived from report.yaml's 单位: its place without the level ("鄂州财政局" for
/// "湖北省鄂州市财政局" or "鄂州市财政局"), a name no organ has. Abbreviations that keep the
/// level (市财政局) are how a report refers to itself and stay allowed.
fn derived_variants(unit: &str) -> Vec<UnitVariant> {
    let chars: Vec<char> = unit.chars().collect();
    // 市 in 市场 (市场监督管理局) is not a level.
    let is_level = |i: usize| LEVELS.contains(chars[i]) && chars.get(i + 1) != Some(&'场');
    let level = (1..chars.len().saturating_sub(2))
        .rev()
        .find(|&i| is_level(i) && !is_level(i + 1) && chars[i + 1] != '委');
    let Some(i) = level else {
        return Vec::new();
    };
    let place_start = (0..i).rev().find(|&p| is_level(p)).map_or(0, |p| p + 1);
    let place = &chars[place_start..i];
    if !(2..=4).contains(&place.len()) || !place.iter().all(|c| is_ideograph(*c)) {
        return Vec::new();
    }
    let variant: String = place.iter().chain(&chars[i + 1..]).collect();
    vec![UnitVariant {
        variant,
        name: unit.to_string(),
    }]
}

fn unit_variants(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let derived = derived_variants(&context.built.meta.unit);
    for variant in context.wording.unit_variants.iter().chain(&derived) {
        for (location, _, _) in occurrences(context, &variant.variant) {
            out.push(rule.at(
                location,
                variant.variant.chars().count(),
                format!("单位名称写成了“{}”", variant.variant),
                format!("统一写作“{}”", variant.name),
            ));
        }
    }
}

fn whole_bureau(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let unit = &context.built.meta.unit;
    if unit.ends_with('局') {
        return;
    }
    for (location, prose, at) in occurrences(context, "全局") {
        if ["性", "观", "意识"]
            .iter()
            .any(|w| prose[at + "全局".len()..].starts_with(w))
        {
            continue;
        }
        out.push(rule.at(
            location,
            2,
            format!("单位“{unit}”不是局，“全局”用词不当"),
            "改为“全体”“全单位”或本单位的简称",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(unit: &str) -> Vec<String> {
        derived_variants(unit)
            .into_iter()
            .map(|v| v.variant)
            .collect()
    }

    #[test]
    fn the_place_without_its_level_is_a_variant() {
        assert_eq!(variants("鄂州市财政局"), ["鄂州财政局"]);
        assert_eq!(variants("湖北省鄂州市财政局"), ["鄂州财政局"]);
        assert_eq!(variants("宜昌市西陵区农业农村局"), ["西陵农业农村局"]);
        assert_eq!(variants("某某市市场监督管理局"), ["某某市场监督管理局"]);
        // A long place (a development zone) or none: nothing derived.
        assert!(variants("鄂州葛店经济技术开发区党工委管委会办公室").is_empty());
        assert!(variants("测试单位").is_empty());
    }
}
