//! Amounts with their units in prose ("在职人员47人", "支出2101800元"): compared with the
//! data.yaml value their words name, with the same amount written in 元 and 万元 elsewhere,
//! and with the total they are said to make up ("共17件，其中……").

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::diag::Location;
use crate::input::data::{Datum, Quantity};

use super::{TARGETS, heading_above, tied_indicator};
use crate::check::text::is_ideograph;
use crate::check::{Context, Diagnostic, Rule, Severity, SourceLine};
use crate::document::figures::number_runs;

pub fn rules() -> Vec<Rule> {
    vec![
        Rule {
            id: "N006",
            severity: Severity::Warning,
            description: "正文写的数量（47人、200份、万元、回复率98%）与 data.yaml 里同名数据不符",
            run: contradicting_datum,
        },
        Rule {
            id: "N007",
            severity: Severity::Warning,
            description: "同一金额一处写“元”、一处写“万元”，数值不同",
            run: yuan_and_wan,
        },
        Rule {
            id: "N008",
            severity: Severity::Warning,
            description: "“共N件，其中A件、B件”各项之和与合计不符",
            run: totals,
        },
    ]
}

/// Units an amount may carry, longest first so 万元 is not read as 元.
const UNITS: [&str; 31] = [
    "%", "万元", "亿元", "人次", "场次", "万人", "元", "人", "名", "个", "件", "份", "篇", "期",
    "次", "场", "条", "家", "项", "户", "张", "台", "辆", "套", "批", "所", "处", "本", "册", "天",
    "间",
];

/// A unit's character followed by these starts another word: 3个月, 2项目, 5所属.
const NOT_UNITS: [(&str, &[&str]); 9] = [
    ("个", &["月", "百分点", "工作日", "小时"]),
    ("人", &["民"]),
    ("项", &["目"]),
    ("家", &["庭"]),
    ("本", &["级", "部"]),
    ("所", &["属", "以"]),
    ("处", &["理"]),
    ("期", &["间"]),
    ("场", &["所", "景"]),
];

/// An amount typed in prose: a plain number (no separators) and the unit after it.
pub(super) struct Amount<'a> {
    pub start: usize,
    pub end: usize,
    pub number: &'a str,
    pub value: Decimal,
    pub unit: &'static str,
    /// "80余件", "约200人", "超过100人": not an exact figure.
    pub approximate: bool,
}

impl Amount<'_> {
    /// What one unit of the last digit written is worth, in the base unit (元 for money).
    fn precision(&self) -> Decimal {
        Decimal::new(1, self.value.scale()) * factor(self.unit)
    }

    fn base_value(&self) -> Decimal {
        self.value * factor(self.unit)
    }
}

fn factor(unit: &str) -> Decimal {
    match unit {
        "%" => Decimal::new(1, 2),
        "万元" | "万人" => Decimal::from(10_000),
        "亿元" => Decimal::from(100_000_000),
        _ => Decimal::ONE,
    }
}

/// The base unit amounts in `unit` compare in: 元 for 万元 and 亿元.
fn base_unit(unit: &str) -> &str {
    match unit {
        "万元" | "亿元" => "元",
        "万人" => "人",
        other => other,
    }
}

pub(super) fn amounts(prose: &str) -> Vec<Amount<'_>> {
    let mut out = Vec::new();
    for (start, number) in number_runs(prose) {
        if number.contains(',') || number.matches('.').count() > 1 {
            continue; // malformed: N003 says so.
        }
        let mut end = start + number.len();
        let rest = &prose[end..];
        let more = ["余", "多"].iter().find(|w| rest.starts_with(*w));
        let rest = &rest[more.map_or(0, |w| w.len())..];
        let Some(unit) = UNITS.iter().find(|u| rest.starts_with(*u)) else {
            continue;
        };
        let after = &rest[unit.len()..];
        // "3个月", "5项目": the unit's character starts a word; "2名以上" is not exact.
        if NOT_UNITS
            .iter()
            .any(|(u, next)| u == unit && next.iter().any(|n| after.starts_with(n)))
        {
            continue;
        }
        let before = &prose[..start];
        let approximate = more.is_some()
            || ["以上", "以内", "左右", "以下"]
                .iter()
                .any(|w| after.starts_with(w))
            || ["约", "近", "超过", "逾", "不到", "不足", "上万"]
                .iter()
                .any(|w| before.ends_with(w));
        // Beyond 10^15 is no amount a report gives; the bound keeps the arithmetic in range.
        let Some(value) = number
            .parse::<Decimal>()
            .ok()
            .filter(|v| *v < Decimal::from(1_000_000_000_000_000_i64))
        else {
            continue;
        };
        end = prose.len() - after.len();
        out.push(Amount {
            start,
            end,
            number,
            value,
            unit,
            approximate,
        });
    }
    out
}

/// Where a clause begins: amounts are named by the words of their own clause.
const CLAUSE_BREAKS: &str = "，。；：、（）()《》！？,;:\u{3000}|";
/// Words between a name and its amount: "支出为", "共计", "达".
const LINK_CHARS: &str = "为是达共计有约了在到近逾";

/// The words naming an amount: its clause up to the figure, without a leading year
/// ("2023年") or 其中, and without the linking words before the number.
fn label(prose: &str, start: usize) -> (usize, &str) {
    let clause_start = prose[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| CLAUSE_BREAKS.contains(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let mut label = &prose[clause_start..start];
    let year_len = label.chars().take_while(char::is_ascii_digit).count();
    if year_len == 4 && label[4..].starts_with('年') {
        label = label[4 + '年'.len_utf8()..].trim_start_matches('度');
    }
    label = label.trim_start_matches("其中");
    let label_start = start - label.len();
    (
        label_start,
        label.trim_end_matches(|c| LINK_CHARS.contains(c)),
    )
}

/// Whether the clause speaks of another year than the report's ("上年", "2022年").
pub(super) fn other_year(prose: &str, start: usize, year: u16) -> bool {
    let clause_start = prose[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| "，。；".contains(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let clause = &prose[clause_start..start];
    if ["上年", "去年", "上一年", "同期", "前年"]
        .iter()
        .any(|w| clause.contains(w))
    {
        return true;
    }
    number_runs(clause)
        .iter()
        .any(|(at, n)| n.len() == 4 && clause[at + 4..].starts_with('年') && n.parse() != Ok(year))
}

/// The data.yaml quantity an amount's words name: the field's key ends the label (in职人数 as
/// "在职人员", 预算数 as "预算"), its unit agrees, and its group (公用经费) is named in the
/// clause, the line or the heading when several fields share the key. `None` when unsure.
pub(super) fn tied_datum<'a>(
    context: &'a Context<'_>,
    line: &SourceLine,
    amount: &Amount<'_>,
) -> Option<(&'a str, &'a Quantity)> {
    let (label_start, label) = label(&line.prose, amount.start);
    if label.is_empty() {
        return None;
    }
    // “三公”经费 names the group 三公经费.
    let unquoted = |text: &str| -> String {
        text.chars().filter(|c| !"“”‘’\"".contains(*c)).collect()
    };
    let label = unquoted(label);
    let label = label.as_str();
    // Made when a field's group is to be looked for: most amounts name no field.
    let mut heading: Option<String> = None;
    let mut before: Option<String> = None;
    let mut best: Vec<((usize, usize), &'a str, &'a Quantity)> = Vec::new();
    for (name, datum) in &context.built.data.fields {
        let Datum::Quantity(quantity) = datum else {
            continue;
        };
        let unit = datum_unit(quantity);
        if unit.is_empty() || base_unit(unit) != base_unit(amount.unit) {
            continue;
        }
        let (group, key) = name.rsplit_once('.').unwrap_or(("", name));
        let stem = key.strip_suffix('数').filter(|s| s.chars().count() >= 2);
        let words = [Some(key), stem].into_iter().flatten();
        let Some(named) = words.into_iter().find_map(|k| {
            let bare = label.strip_suffix('员').unwrap_or(label);
            [label, bare]
                .into_iter()
                .find(|l| l.ends_with(k))
                .map(|l| l.len() - k.len())
        }) else {
            continue;
        };
        // Words before the key that are not the group make it a part ("本科学历在职人员").
        let modifier = strip_neutral(&label[..named]);
        let group_in_label = !group.is_empty() && modifier.contains(group);
        if !modifier.is_empty() && !group_in_label {
            continue;
        }
        // The group counts where it is named apart from the key: 预算 in 年初预算 does not.
        let group_named = if group.is_empty() {
            0
        } else if group_in_label {
            3
        } else if before
            .get_or_insert_with(|| unquoted(&line.prose[..label_start]))
            .contains(group)
        {
            2
        } else if heading
            .get_or_insert_with(|| unquoted(heading_above(context, line).unwrap_or("")))
            .contains(group)
        {
            1
        } else {
            0
        };
        let specific = stem.unwrap_or(key).chars().count();
        // "预算" alone names nothing in particular: its group must be named.
        if group_named == 0 && specific < 3 && !group.is_empty() {
            continue;
        }
        let score = (group_named, specific);
        best.push((score, name, quantity));
    }
    best.sort_by_key(|(score, _, _)| std::cmp::Reverse(*score));
    match best.as_slice() {
        [] => None,
        [(_, name, q)] => Some((name, q)),
        [(first, name, q), (second, ..), ..] => (first > second).then_some((*name, *q)),
    }
}

/// Words before a field's key that say whose or when, not which part: 单位在职人员.
const NEUTRAL: [&str; 17] = [
    "单位",
    "本单位",
    "我单位",
    "本局",
    "我局",
    "本部门",
    "部门",
    "全局",
    "现有",
    "共有",
    "实有",
    "核定",
    "年末",
    "年初",
    "全年",
    "本年",
    "本年度",
];

fn strip_neutral(mut words: &str) -> &str {
    while let Some(rest) = NEUTRAL
        .iter()
        .filter_map(|w| words.strip_prefix(w))
        .min_by_key(|rest| rest.len())
    {
        words = rest;
    }
    words
}

/// A data value's unit as prose writes it: "%" for a ratio typed as a percentage.
fn datum_unit(quantity: &Quantity) -> &str {
    match &quantity.unit {
        Some(unit) => unit,
        None if quantity.display.ends_with('%') => "%",
        None => "",
    }
}

/// A data value in its base unit (元, 人, a ratio for %), and what its last digit is worth;
/// `None` for a value too large to convert.
fn datum_value(quantity: &Quantity) -> Option<(Decimal, Decimal)> {
    let unit = datum_unit(quantity);
    if unit == "%" {
        // Stored as a ratio; its precision is that of the percentage typed.
        let typed: Decimal = quantity.display.trim_end_matches('%').parse().ok()?;
        return Some((quantity.value, Decimal::new(1, typed.scale()) * factor("%")));
    }
    Some((
        quantity.value.checked_mul(factor(unit))?,
        Decimal::new(1, quantity.value.scale()) * factor(unit),
    ))
}

/// Whether two figures may be the same amount written with different precision or units.
fn same_amount(a: Decimal, a_precision: Decimal, b: Decimal, b_precision: Decimal) -> bool {
    let precision = a_precision.max(b_precision);
    a.checked_sub(b)
        .and_then(|d| d.abs().checked_mul(Decimal::TWO))
        .is_none_or(|d| d <= precision)
}

fn contradicting_datum(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let year = context.built.meta.year;
    for line in &context.lines {
        for amount in amounts(&line.prose) {
            if amount.approximate || other_year(&line.prose, amount.start, year) {
                continue;
            }
            let Some((name, quantity)) = tied_datum(context, line, &amount) else {
                continue;
            };
            // A percentage is an indicator's when one is named: N002 compares it.
            let percent = amount.unit == "%";
            if percent
                && (tied_indicator(context, line, amount.start).is_some()
                    || TARGETS
                        .iter()
                        .any(|t| line.prose[..amount.start].ends_with(t)))
            {
                continue;
            }
            let Some((datum, datum_precision)) = datum_value(quantity) else {
                continue;
            };
            if same_amount(
                amount.base_value(),
                amount.precision(),
                datum,
                datum_precision,
            ) {
                continue;
            }
            let typed = &line.prose[amount.start..amount.end];
            out.push(rule.at(
                line.location(amount.start),
                typed.chars().count(),
                format!(
                    "正文写“{}{typed}”，data.yaml 的 {name} 是 {}",
                    label(&line.prose, amount.start).1,
                    match &quantity.unit {
                        Some(unit) => format!("{} {unit}", quantity.display),
                        None => quantity.display.clone(),
                    }
                ),
                format!("核对后改用占位符 {{{{ {name} }}}}"),
            ));
        }
    }
}

/// The data group (公用经费, 三公经费) named last before `at` in its sentence, to tell apart
/// amounts with the same words ("实际支出") about different things.
fn group_before<'a>(context: &'a Context<'_>, prose: &str, at: usize) -> &'a str {
    let sentence = prose[..at]
        .rfind(['。', '；'])
        .map_or(0, |s| s + '。'.len_utf8());
    let prose = &prose[sentence..];
    let at = at - sentence;
    context
        .built
        .data
        .fields
        .keys()
        .filter_map(|name| name.rsplit_once('.').map(|(group, _)| group))
        .filter_map(|group| prose[..at].rfind(group).map(|found| (found, group)))
        .max_by_key(|(found, group)| (*found, group.len()))
        .map_or("", |(_, group)| group)
}

/// An amount of money as first written under a name, in one of 元, 万元, 亿元.
struct Written {
    unit: &'static str,
    value: Decimal,
    precision: Decimal,
    shown: String,
    at: Location,
}

fn yuan_and_wan(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, Vec<Written>> = HashMap::new();
    for line in &context.lines {
        for amount in amounts(&line.prose) {
            if amount.approximate || base_unit(amount.unit) != "元" {
                continue;
            }
            let (_, label) = label(&line.prose, amount.start);
            if label.chars().filter(|&c| is_ideograph(c)).count() < 2 {
                continue;
            }
            let name = format!(
                "{}{label}",
                group_before(context, &line.prose, amount.start)
            );
            let typed = line.prose[amount.start..amount.end].to_string();
            let here = line.location(amount.start);
            let written = seen.entry(name).or_default();
            for other in written.iter() {
                let same = same_amount(
                    amount.base_value(),
                    amount.precision(),
                    other.value,
                    other.precision,
                );
                if other.unit == amount.unit || same {
                    continue;
                }
                out.push(rule.at(
                    here.clone(),
                    typed.chars().count(),
                    format!(
                        "“{label}”此处写“{typed}”，{} 处写“{}”，换算后不是同一金额",
                        other.at, other.shown
                    ),
                    "统一用万元，并核对数值；数据写在 data.yaml，正文用占位符",
                ));
            }
            if written.iter().all(|w| w.unit != amount.unit) {
                written.push(Written {
                    unit: amount.unit,
                    value: amount.base_value(),
                    precision: amount.precision(),
                    shown: typed,
                    at: here,
                });
            }
        }
    }
}

/// Words that introduce a total.
const TOTAL_WORDS: [&str; 5] = ["共计", "合计", "总计", "共", "累计"];

fn totals(context: &Context<'_>, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for line in &context.lines {
        let prose = &line.prose;
        let found = amounts(prose);
        for (i, total) in found.iter().enumerate() {
            let lead = prose[..total.start].trim_end_matches(|c| "为达".contains(c));
            if total.approximate || !TOTAL_WORDS.iter().any(|w| lead.ends_with(w)) {
                continue;
            }
            // 其中 in the same sentence, with no other figure between.
            let Some(next) = found.get(i + 1) else {
                continue;
            };
            let between = &prose[total.end..next.start];
            let Some(other) = between.find("其中") else {
                continue;
            };
            if between[..other].contains(['。', '；']) {
                continue;
            }
            // The parts: amounts in the total's unit, each joined to the last by 、 和 及 与.
            let mut parts = vec![next];
            for pair in found[i + 1..].windows(2) {
                let joint = &prose[pair[0].end..pair[1].start];
                let joined = ["、", "和", "及", "与"].iter().any(|j| joint.contains(j))
                    && !joint.contains(['，', '。', '；', ',']);
                if !joined {
                    break;
                }
                parts.push(&pair[1]);
            }
            let exact_parts = parts.iter().all(|p| !p.approximate && p.unit == total.unit);
            if parts.len() < 2 || !exact_parts {
                continue;
            }
            let sum: Decimal = parts.iter().map(|p| p.value).sum();
            if sum == total.value {
                continue;
            }
            let listed: Vec<String> = parts
                .iter()
                .map(|p| format!("{}{}", p.number, p.unit))
                .collect();
            out.push(rule.at(
                line.location(total.start),
                prose[total.start..total.end].chars().count(),
                format!(
                    "合计“{}{}”与其中各项（{}）之和 {sum}{} 不符",
                    total.number,
                    total.unit,
                    listed.join("、"),
                    total.unit
                ),
                "核对合计与各项数字；各项不全时写明“其余……”",
            ));
        }
    }
}
