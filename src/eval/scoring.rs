//! Stage: score the indicators for the 部门整体绩效自评表, after [`crate::eval::indicators`].
//!
//! indicators.yaml's `自评表` section says which indicators the table lists, under which
//! 一级/二级 指标, with how many points (分值) and by which rule; data.yaml's `自评表` group gives
//! the qualitative levels, the 偏差原因分析及改进措施 and the goal texts. Arithmetic is exact;
//! each row's score is rounded once, to 2 decimals (四舍五入), and the total adds the rounded
//! scores, so the table adds up as printed.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, code};
use crate::diag::{Error, Location, Result};
use crate::eval::indicators::{Comparison, Indicator, Indicators, Outcome, Target, Verdict};
use crate::input::data::{self, Data, Datum};
use crate::input::form::{self, Form};
use crate::input::indicator_set::{BudgetLines, IndicatorSet, RuleName, ScoreTable, TableRow};
pub use crate::input::indicator_set::{Nature, NotApplicable};
use rust_decimal::{Decimal, RoundingStrategy};

/// How a row earns its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Full points when the target is met, else points × 完成值/指标值 (指标值/完成值 when
    /// smaller is better).
    Proportional,
    /// Full points when the target is met, else this many points off per percentage point
    /// (per unit for a figure that is not a rate) beyond the target, down to 0.
    Deduction(Decimal),
    /// Full points when the target is met, else this many points off, however far it was
    /// missed (a 扣分 not prorated).
    FixedDeduction(Decimal),
    /// Full points when the target is met, else the share of the best step the result reaches.
    Stepped,
    /// Points × the rate, at most the points.
    Rate,
    /// A level's share of the points.
    Qualitative,
}

/// A step of 分档: a result at this bound or past it (on the target's side) earns `share`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub bound: Decimal,
    pub share: Decimal,
}

/// What a quantitative row's rule is adjusted by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustments {
    /// 分档's steps, the highest share first.
    pub steps: Vec<Step>,
    /// 零分线: below this share of the target (完成值/指标值), 0 points.
    pub zero_below: Option<Decimal>,
    /// 偏离扣分: off when the result reaches the target × 1.3.
    pub overshoot: Option<Decimal>,
    /// 最多扣: the most a 扣分 row loses.
    pub max_off: Option<Decimal>,
    /// 按整百分点: a 扣分 row counts whole percentage points only.
    pub whole_points: bool,
}

/// How far past a ≥ or = target a result is an overshoot (指标偏离): 30 %.
const OVERSHOOT: Decimal = Decimal::from_parts(13, 0, 0, false, 1);

/// One row of the table, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub level1: String,
    pub level2: String,
    /// What placeholders use: 预算执行率.
    pub name: String,
    /// What the table prints: “三公”经费控制率.
    pub display_name: String,
    pub points: Decimal,
    pub nature: Nature,
    pub rule: Rule,
    /// 年度指标值: "≤100%", "健全".
    pub target: String,
    /// 实际完成值: "87.35%", "较健全", "不适用".
    pub actual: String,
    /// 实际完成值 as a number, for a rate or a plain figure (a count keeps its unit as text).
    pub measured: Option<Figure>,
    /// Rounded to 2 decimals; `None` when the row does not apply and its points are dropped.
    pub score: Option<Decimal>,
    /// Whether the target was met; `None` when it does not apply or has no target.
    pub met: Option<bool>,
    /// 偏差原因分析及改进措施, from data.yaml.
    pub deviation: String,
    /// 计量单位: the row's, or the indicator's ("%", "次"); empty for a qualitative row.
    pub unit: String,
    /// 计算符号: ≥, ≤ or =; empty where the row has none.
    pub operator: String,
    /// The target's figure, without its sign and unit.
    pub target_figure: Option<Figure>,
    /// 年初指标值: as indicators.yaml gives it, or the target in force.
    pub initial_target: String,
    /// 实际完成值 as a number whatever its unit (a count's too).
    pub actual_figure: Option<Figure>,
    pub core: bool,
    /// 评分标准: the rule the score was computed by, in words.
    pub criterion: String,
    /// data.yaml's 自评表.备注 for the row.
    pub remark: String,
    /// A qualitative row's share of its points where data.yaml gives one (达成 95%).
    pub given_share: Option<Decimal>,
    pub location: Location,
}

/// A figure the table shows: its exact value and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: Option<Decimal>,
    pub percent: bool,
    pub text: String,
}

/// The header's 预算执行情况 (万元).
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// data.yaml's figures it shows, dotted: 年初预算数, 全年预算数, 全年执行数.
    pub paths: [String; 3],
    pub initial: Figure,
    pub adjusted: Figure,
    pub spent: Figure,
    pub rate: Figure,
    pub points: Decimal,
    pub score: Option<Decimal>,
}

/// A total capped by 预算执行率: below `below`, at most `limit` points.
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub below: Decimal,
    pub limit: Decimal,
    /// The 执行率 as the table shows it: "76.00%".
    pub rate: String,
    /// The total before the cap.
    pub uncapped: Decimal,
}

/// The whole 自评表, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub rows: Vec<Row>,
    /// 总分: what the points add up to (100).
    pub total_points: Decimal,
    /// The points of the rows that count: 总分 less those dropped as 不适用.
    pub applicable_points: Decimal,
    /// The rows' scores added up.
    pub sum: Decimal,
    /// The score out of 总分: `sum`, or `sum` rescaled when rows were dropped; 2 decimals.
    pub total: Decimal,
    pub grade: String,
    /// Every grade the bands give, highest first.
    pub grade_names: Vec<String>,
    pub not_applicable: NotApplicable,
    pub budget: Option<Budget>,
    /// The 执行率封顶 that lowered the total, when one did.
    pub cap: Option<Cap>,
    /// The texts of data.yaml's 自评表 group the header shows, in the form's order.
    pub texts: Vec<HeaderText>,
    /// The form the table is laid out in.
    pub form: Form,
    /// Where indicators.yaml's 自评表 section starts.
    pub location: Location,
}

/// A text of the header (年度总体目标, 联系电话 …), its placeholders filled once rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderText {
    pub name: String,
    pub text: String,
}

impl Scores {
    /// The header text `name`, empty when data.yaml gives none.
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|t| t.name == name)
            .map_or("", |t| t.text.as_str())
    }

    /// Whether rows were dropped and the total rescaled to 总分.
    pub fn rescaled(&self) -> bool {
        self.applicable_points != self.total_points
    }

    pub fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.name == name)
    }
}

/// Where data.yaml keeps what the writer says about the table.
pub const DATA_GROUP: &str = "自评表";

/// 2 decimals, half away from zero, always shown: 9.054 → "9.05", 10 → "10.00".
/// A share of the points as a percentage with the decimals it has: 0.95 → "95%", 0.905 →
/// "90.5%".
pub fn format_share(share: Decimal) -> String {
    crate::eval::indicators::format_value(share, true, share.normalize().scale().saturating_sub(2))
}

pub fn format_score(value: Decimal) -> String {
    let mut rounded = round(value);
    rounded.rescale(2);
    rounded.to_string()
}

/// Points as typed, without trailing zeros: "10", "2.5".
pub fn format_points(value: Decimal) -> String {
    value.normalize().to_string()
}

fn round(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Scores the table indicators.yaml defines; `None` when it defines none. Rows missing their
/// target go into `warnings` when data.yaml has no 偏差原因 for them.
pub fn score(
    set: Option<&IndicatorSet>,
    data: &Data,
    indicators: &Indicators,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Scores>> {
    let Some(config) = set.and_then(|set| set.table.as_ref()) else {
        return Ok(None);
    };
    let section_location = &config.location;
    let number = |text: &str, what: &str, location: &Location| {
        parse_number(text).ok_or_else(|| {
            Error::invalid(
                code::SCORE_TABLE,
                location.clone(),
                format!("{what}“{text}”不是数字。请写成 10、2.5 这样的数。"),
            )
        })
    };
    let total_points = number(&config.total, "总分", section_location)?;
    let form = form::resolve(config.form.as_ref(), &config.form_location)?;
    let mut texts: Vec<HeaderText> = Vec::new();
    let mut unwritten = Vec::new();
    for block in &form.header {
        for name in block.texts() {
            if texts.iter().any(|t| t.name == name) {
                continue;
            }
            let path = format!("{DATA_GROUP}.{name}");
            // Blank in a submitted table; `~` says it is left blank on purpose.
            if !data.fields.contains_key(&path) {
                unwritten.push(name);
            }
            texts.push(HeaderText {
                name: name.to_string(),
                text: text_field(data, &path),
            });
        }
    }
    if let Some(first) = unwritten.first() {
        let at = data
            .locate(DATA_GROUP)
            .cloned()
            .unwrap_or_else(|| config.form_location.clone());
        warnings.push(
            Diagnostic::warning(
                code::NO_HEADER_TEXT,
                at,
                format!(
                    "自评表的表样“{}”要在表头印的 {}，data.yaml 没有写，表上会是空格",
                    form.name,
                    unwritten.join("、")
                ),
            )
            .with_fix(format!(
                "在 data.yaml 的 {DATA_GROUP} 下逐项写上，例如“{first}: ……”；确实不填的写“{first}: ~”"
            )),
        );
    }
    let levels = levels(config.levels.as_ref(), section_location)?;
    let grades = grades(config.grades.as_ref(), section_location)?;

    let mut rows = Vec::with_capacity(config.rows.len());
    for row in &config.rows {
        let location = row.location.clone();
        if rows.iter().any(|r: &Row| r.name == row.name) {
            return Err(Error::invalid(
                code::SCORE_TABLE,
                location,
                format!("自评表列了两次“{}”。", row.name),
            ));
        }
        let points = number(&row.points, "分值", &location)?;
        if points < Decimal::ZERO {
            return Err(Error::invalid(
                code::SCORE_TABLE,
                location,
                "分值不能为负数。",
            ));
        }
        let deviation = text_field(data, &format!("{DATA_GROUP}.偏差原因.{}", row.name));
        let scored = match row.nature {
            Nature::Quantitative => {
                let indicator = indicators.get(&row.name).ok_or_else(|| {
                    let names = indicators.list.iter().map(|i| i.definition.name.as_str());
                    let hint = crate::diag::suggest::closest(&row.name, names);
                    Error::invalid(code::SCORE_TABLE,
                        location.clone(),
                        format!(
                            "自评表的定量指标“{}”不在上面的 指标 中。{hint}定性指标请写 性质: 定性。",
                            row.name
                        ),
                    )
                })?;
                let wrong = |message: &str| {
                    Error::invalid(code::SCORE_TABLE, location.clone(), message.to_string())
                };
                let rule = match (row.rule, &row.per_point, &row.off_when_missed) {
                    (None | Some(RuleName::Proportional), None, None) => Rule::Proportional,
                    (Some(RuleName::Deduction), Some(per), None) => {
                        Rule::Deduction(number(per, "每百分点扣", &location)?)
                    }
                    (Some(RuleName::Deduction), None, Some(off)) => {
                        Rule::FixedDeduction(number(off, "未达到扣", &location)?)
                    }
                    (Some(RuleName::Deduction), None, None) => {
                        return Err(wrong(
                            "评分: 扣分 要写 每百分点扣（按差几个百分点扣，例如 每百分点扣: 0.1）或 未达到扣（未达到目标扣几分，例如 未达到扣: 2）。",
                        ));
                    }
                    (Some(RuleName::Deduction), Some(_), Some(_)) => {
                        return Err(wrong(
                            "每百分点扣 和 未达到扣 只写一个：按差几个百分点扣，还是未达到就扣几分。",
                        ));
                    }
                    (Some(RuleName::Stepped), None, None) => Rule::Stepped,
                    (Some(RuleName::Rate), None, None) => Rule::Rate,
                    (Some(RuleName::Qualitative), _, _) => {
                        return Err(wrong("评分: 定性 只用于 性质: 定性 的指标。"));
                    }
                    (_, Some(_), _) => {
                        return Err(wrong("每百分点扣 只用于 评分: 扣分。"));
                    }
                    (_, _, Some(_)) => {
                        return Err(wrong("未达到扣 只用于 评分: 扣分。"));
                    }
                };
                if rule == Rule::Rate && !indicator.is_percent() {
                    return Err(Error::invalid(
                        code::SCORE_TABLE,
                        location,
                        format!(
                            "评分: 执行率 按比例给分，只用于百分比指标；“{}”的单位是“{}”，按执行率评分会把未完成算成满分。请改用 评分: 比例 或 评分: 扣分。",
                            row.name,
                            indicator.definition.unit.as_deref().unwrap_or("无")
                        ),
                    ));
                }
                if matches!(
                    rule,
                    Rule::Proportional | Rule::Deduction(_) | Rule::FixedDeduction(_)
                ) && indicator.target.is_none()
                    && indicator.verdict != Verdict::NotApplicable
                {
                    return Err(Error::invalid(
                        code::SCORE_TABLE,
                        location,
                        format!(
                            "指标“{}”没有 目标，无法按“{}”评分。请给它写 目标，或用 评分: 执行率。",
                            row.name,
                            if rule == Rule::Proportional {
                                "比例"
                            } else {
                                "扣分"
                            }
                        ),
                    ));
                }
                let adjust = adjustments(row, indicator, rule, &location)?;
                quantitative(row, indicator, rule, adjust, points, config.not_applicable)
            }
            Nature::Qualitative => {
                if matches!(row.rule, Some(r) if r != RuleName::Qualitative)
                    || row.per_point.is_some()
                    || row.off_when_missed.is_some()
                    || row.steps.is_some()
                    || row.zero_below.is_some()
                    || row.overshoot.is_some()
                    || row.max_off.is_some()
                    || row.whole_points
                {
                    return Err(Error::invalid(
                        code::SCORE_TABLE,
                        location,
                        "定性指标按档次评分：不要写 评分、每百分点扣、未达到扣、分档、最多扣、按整百分点、零分线 或 偏离扣分。",
                    ));
                }
                qualitative(row, data, &levels, points, config.not_applicable)
                    .map_err(|e| Error::Report(Box::new(e.placed_at(&location))))?
            }
        };
        if scored.met == Some(false) && deviation.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    code::NO_REASON,
                    location.clone(),
                    format!(
                        "“{}”未达到目标，没有写偏差原因分析及改进措施",
                        scored.display_name
                    ),
                )
                .with_fix(format!(
                    "在 data.yaml 的 {DATA_GROUP}.偏差原因 下写上“{}: ……”",
                    scored.name
                )),
            );
        }
        let operator = match &row.operator {
            None => scored.operator.clone(),
            Some(given) if !["≥", "≤", "="].contains(&given.as_str()) => {
                return Err(Error::invalid(
                    code::SCORE_TABLE,
                    location,
                    format!("计算符号“{given}”不认识：写 ≥、≤ 或 =。"),
                ));
            }
            Some(given) if !scored.operator.is_empty() && *given != scored.operator => {
                return Err(Error::invalid(
                    code::SCORE_TABLE,
                    location,
                    format!(
                        "计算符号写的是“{given}”，指标的目标“{}”是“{}”：删去 计算符号，或改正指标的 目标。",
                        scored.target, scored.operator
                    ),
                ));
            }
            Some(given) => given.clone(),
        };
        rows.push(Row {
            level1: row.level1.clone(),
            level2: row.level2.clone(),
            name: row.name.clone(),
            points,
            deviation,
            unit: row.unit.clone().unwrap_or(scored.unit.clone()),
            initial_target: row
                .initial_target
                .clone()
                .unwrap_or_else(|| scored.target.clone()),
            operator,
            core: row.core,
            remark: text_field(data, &format!("{DATA_GROUP}.备注.{}", row.name)),
            location,
            ..scored
        });
    }
    let points_sum: Decimal = rows.iter().map(|r| r.points).sum();
    if points_sum != total_points {
        return Err(Error::invalid(
            code::SCORE_TABLE,
            config.rows_location.clone(),
            format!(
                "自评表各指标的分值合计 {}，与总分 {} 不符（差 {}）。请调整分值，使合计等于总分。",
                format_points(points_sum),
                format_points(total_points),
                format_points(total_points - points_sum)
            ),
        ));
    }
    let applicable_points: Decimal = rows
        .iter()
        .filter(|r| r.score.is_some())
        .map(|r| r.points)
        .sum();
    let sum: Decimal = rows.iter().filter_map(|r| r.score).sum();
    let total = if applicable_points.is_zero() {
        Decimal::ZERO
    } else if applicable_points == total_points {
        sum
    } else {
        round(sum * total_points / applicable_points)
    };
    let budget = match &config.budget {
        Some(budget) => Some(budget_line(budget, data, &rows)?),
        None => None,
    };
    let cap = match &config.rate_caps {
        Some(caps) => rate_cap(caps, config, indicators, total)?,
        None => None,
    };
    let total = cap.as_ref().map_or(total, |cap| cap.limit);
    let grade = grade_of(
        total * Decimal::ONE_HUNDRED / total_points.max(Decimal::ONE),
        &grades,
    );
    Ok(Some(Scores {
        rows,
        total_points,
        applicable_points,
        sum,
        total,
        grade,
        grade_names: grades.into_iter().map(|(name, _)| name).collect(),
        not_applicable: config.not_applicable,
        budget,
        cap,
        texts,
        form,
        location: config.location.clone(),
    }))
}

/// The 执行率封顶 band the budget's 执行率 falls in (the lowest `below` it is under), when
/// it lowers the total. Exactly on a band's edge is in the band above: 80% is not capped by
/// `80%: 89`, 79.99% is.
fn rate_cap(
    caps: &BTreeMap<String, String>,
    config: &ScoreTable,
    indicators: &Indicators,
    total: Decimal,
) -> Result<Option<Cap>> {
    let location = &config.caps_location;
    let wrong = |message: String| Error::invalid(code::SCORE_TABLE, location.clone(), message);
    let mut bands = Vec::with_capacity(caps.len());
    for (below, limit) in caps {
        let below_value = parse_share(below).ok_or_else(|| {
            wrong(format!(
                "执行率封顶的“{below}”要写成 0% 到 100% 之间的百分数，例如 80%: 89。"
            ))
        })?;
        let limit_value = parse_number(limit).ok_or_else(|| {
            wrong(format!(
                "执行率封顶 {below} 的最高分“{limit}”不是数字。请写成 80%: 89 这样的形式。"
            ))
        })?;
        bands.push((below_value, limit_value));
    }
    let rate_name = config.budget.as_ref().map(|b| b.rate.as_str());
    let Some(indicator) = rate_name.and_then(|name| indicators.get(name)) else {
        return Err(wrong(
            "执行率封顶 要用 预算执行 的 执行率：请同时写 预算执行（年初预算数、全年预算数、全年执行数、执行率）。"
                .into(),
        ));
    };
    let Outcome::Value(rate) = indicator.outcome else {
        return Ok(None);
    };
    bands.sort();
    Ok(bands
        .into_iter()
        .find(|(below, _)| rate < *below)
        .filter(|(_, limit)| total > *limit)
        .map(|(below, limit)| Cap {
            below,
            limit,
            rate: indicator.display_value(),
            uncapped: total,
        }))
}

/// "10", "2.5", "0.1": the text as typed, never through f64.
fn parse_number(text: &str) -> Option<Decimal> {
    match data::parse_quantity(text) {
        Some(q) if q.unit.is_none() && !q.display.ends_with('%') => Some(q.value),
        _ => None,
    }
}

/// A share written "80%".
fn parse_share(text: &str) -> Option<Decimal> {
    match data::parse_quantity(text) {
        Some(q)
            if q.display.ends_with('%') && q.value >= Decimal::ZERO && q.value <= Decimal::ONE =>
        {
            Some(q.value)
        }
        _ => None,
    }
}

/// 财预〔2020〕10号's bands for qualitative indicators: 100–80 %, 80–60 %, 60–0 % of the points,
/// each including its lower end. 0 is the highest band.
fn band(share: Decimal) -> usize {
    if share >= Decimal::new(8, 1) {
        0
    } else if share >= Decimal::new(6, 1) {
        1
    } else {
        2
    }
}

const BAND_NAMES: [&str; 3] = ["100%–80%", "80%–60%", "60%–0"];

fn levels(
    config: Option<&BTreeMap<String, String>>,
    location: &Location,
) -> Result<BTreeMap<String, Decimal>> {
    let Some(config) = config else {
        let defaults = [
            ("健全", 100),
            ("较健全", 70),
            ("不健全", 40),
            ("达成", 100),
            ("部分达成", 70),
            ("未达成", 40),
        ];
        return Ok(defaults
            .into_iter()
            .map(|(level, share)| (level.to_string(), Decimal::new(share, 2)))
            .collect());
    };
    config
        .iter()
        .map(|(level, share)| {
            parse_share(share)
                .map(|s| (level.clone(), s))
                .ok_or_else(|| {
                    Error::invalid(
                        code::SCORE_TABLE,
                        location.clone(),
                        format!("定性档次“{level}”的比例“{share}”要写成 0% 到 100% 之间的百分数。"),
                    )
                })
        })
        .collect()
}

/// Grades from the highest threshold down.
fn grades(
    config: Option<&BTreeMap<String, String>>,
    location: &Location,
) -> Result<Vec<(String, Decimal)>> {
    let mut grades: Vec<(String, Decimal)> = match config {
        None => [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
            .into_iter()
            .map(|(name, from)| (name.to_string(), Decimal::from(from)))
            .collect(),
        Some(config) => config
            .iter()
            .map(|(name, from)| {
                parse_number(from).map(|f| (name.clone(), f)).ok_or_else(|| {
                    Error::invalid(code::SCORE_TABLE,
                        location.clone(),
                        format!("等级“{name}”的下限“{from}”不是数字。请写成 优: 90 这样的形式（百分制）。"),
                    )
                })
            })
            .collect::<Result<_>>()?,
    };
    grades.sort_by_key(|(_, from)| std::cmp::Reverse(*from));
    if grades.last().is_none_or(|(_, from)| *from > Decimal::ZERO) {
        return Err(Error::invalid(
            code::SCORE_TABLE,
            location.clone(),
            "等级要有一档从 0 分起（例如 差: 0），每个总分才都有等级。",
        ));
    }
    Ok(grades)
}

/// The grade of a total out of 100: the highest band whose lower end it reaches.
fn grade_of(percent: Decimal, grades: &[(String, Decimal)]) -> String {
    grades
        .iter()
        .find(|(_, from)| percent >= *from)
        .or(grades.last())
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

fn text_field(data: &Data, path: &str) -> String {
    match data.fields.get(path) {
        Some(Datum::Text(text)) => text.clone(),
        Some(Datum::Quantity(q)) => format!("{}{}", q.display, q.unit.as_deref().unwrap_or("")),
        Some(Datum::Missing) | None => String::new(),
    }
}

/// A row with what every rule shares; the caller fills in the table's columns.
fn row_base(name: &str, points: Decimal, nature: Nature, rule: Rule) -> Row {
    Row {
        level1: String::new(),
        level2: String::new(),
        name: name.to_string(),
        display_name: name.to_string(),
        points,
        nature,
        rule,
        target: String::new(),
        actual: String::new(),
        measured: None,
        score: None,
        met: None,
        deviation: String::new(),
        unit: String::new(),
        operator: String::new(),
        target_figure: None,
        initial_target: String::new(),
        actual_figure: None,
        core: false,
        criterion: String::new(),
        remark: String::new(),
        given_share: None,
        location: Location::new("", 0, 0),
    }
}

/// What a row that does not apply scores.
fn not_applicable_score(points: Decimal, policy: NotApplicable) -> Option<Decimal> {
    match policy {
        NotApplicable::Dropped => None,
        NotApplicable::FullPoints => Some(points),
    }
}

/// A row's 零分线 and 偏离扣分, refused where they do not fit its rule or its target.
fn adjustments(
    row: &TableRow,
    indicator: &Indicator,
    rule: Rule,
    location: &Location,
) -> Result<Adjustments> {
    let wrong = |message: &str| Error::invalid(code::SCORE_TABLE, location.clone(), message);
    let zero_below =
        match &row.zero_below {
            None => None,
            Some(_) if rule != Rule::Proportional => {
                return Err(wrong("零分线 只用于 评分: 比例 的行。"));
            }
            Some(text) => Some(parse_share(text).ok_or_else(|| {
                wrong("零分线 要写成 0% 到 100% 之间的百分数，例如 零分线: 60%。")
            })?),
        };
    let overshoot = match &row.overshoot {
        None => None,
        Some(_)
            if indicator
                .target
                .as_ref()
                .is_none_or(|t| t.comparison == Comparison::AtMost) =>
        {
            return Err(wrong(
                "偏离扣分 只用于 目标 为 ≥ 或 = 的指标（超出目标 30% 及以上扣分）。",
            ));
        }
        Some(text) => Some(
            parse_number(text).ok_or_else(|| wrong("偏离扣分 要写扣几分，例如 偏离扣分: 2。"))?,
        ),
    };
    let deduction = matches!(rule, Rule::Deduction(_));
    if (row.max_off.is_some() || row.whole_points) && !deduction {
        return Err(wrong("最多扣 和 按整百分点 只用于按 每百分点扣 扣分的行。"));
    }
    let max_off = match &row.max_off {
        None => None,
        Some(text) => Some(
            parse_number(text).ok_or_else(|| wrong("最多扣 要写最多扣几分，例如 最多扣: 2。"))?,
        ),
    };
    let steps = match (&row.steps, rule) {
        (None, Rule::Stepped) => {
            return Err(wrong(
                "评分: 分档 要写 分档：完成值达到哪一档得分值的几成，例如 分档: { 95%: 100%, 90%: 80%, 85%: 60% }。",
            ));
        }
        (None, _) => Vec::new(),
        (Some(_), rule) if rule != Rule::Stepped => {
            return Err(wrong("分档 只用于 评分: 分档 的行。"));
        }
        (Some(steps), _) => steps
            .iter()
            .map(|(bound, share)| {
                let bound = data::parse_quantity(bound)
                    .filter(|q| q.display.ends_with('%') == indicator.is_percent())
                    .ok_or_else(|| {
                        wrong(if indicator.is_percent() {
                            "分档的界限要写成百分数，例如 95%。"
                        } else {
                            "分档的界限要写成和指标同单位的数，例如 24次。"
                        })
                    })?;
                let share = parse_share(share).ok_or_else(|| {
                    wrong("分档每一档的得分要写成 0% 到 100% 之间的百分数，例如 80%。")
                })?;
                Ok(Step {
                    bound: bound.value,
                    share,
                })
            })
            .collect::<Result<Vec<Step>>>()?,
    };
    Ok(Adjustments {
        steps,
        zero_below,
        overshoot,
        max_off,
        whole_points: row.whole_points,
    })
}

fn quantitative(
    config: &TableRow,
    indicator: &Indicator,
    rule: Rule,
    adjust: Adjustments,
    points: Decimal,
    policy: NotApplicable,
) -> Row {
    let mut row = row_base(&config.name, points, Nature::Quantitative, rule);
    row.display_name = indicator.display_name().to_string();
    row.target = indicator
        .definition
        .target
        .as_deref()
        .map(|t| t.split_whitespace().collect())
        .unwrap_or_default();
    let unit = indicator.definition.unit.clone().unwrap_or_default();
    if let Some(target) = &indicator.target {
        row.operator = operator(target.comparison).into();
        let text = if indicator.is_percent() {
            target.display.clone()
        } else {
            target.display.trim_end_matches(unit.as_str()).to_string()
        };
        row.target_figure = Some(Figure {
            value: Some(target.value),
            percent: indicator.is_percent(),
            text,
        });
    }
    row.criterion = criterion(rule, &adjust, indicator);
    row.unit = unit;
    match indicator.outcome {
        Outcome::NotApplicable(_) => {
            row.actual = "不适用".into();
            row.score = not_applicable_score(points, policy);
        }
        Outcome::Value(value) => {
            row.actual_figure = Some(Figure {
                value: Some(value),
                percent: indicator.is_percent(),
                text: indicator.display_value(),
            });
            // A count reads with its unit, as its target does (≥26次 → 24次).
            row.actual = match indicator.definition.unit.as_deref() {
                Some(unit) if !indicator.is_percent() => {
                    format!("{}{unit}", indicator.display_value())
                }
                _ => {
                    row.measured = Some(Figure {
                        value: Some(value),
                        percent: indicator.is_percent(),
                        text: indicator.display_value(),
                    });
                    indicator.display_value()
                }
            };
            row.met = match indicator.verdict {
                Verdict::Met => Some(true),
                Verdict::NotMet => Some(false),
                Verdict::NotApplicable | Verdict::Unjudged => None,
            };
            let met = indicator.verdict == Verdict::Met;
            let exact = match (rule, &indicator.target) {
                (Rule::Rate, _) => points * value,
                (_, Some(_)) if met => points,
                (Rule::Proportional, Some(target)) => {
                    let share = proportion(value, target);
                    if adjust.zero_below.is_some_and(|floor| share < floor) {
                        Decimal::ZERO
                    } else {
                        points * share
                    }
                }
                (Rule::Deduction(per), Some(target)) => {
                    let scale = if indicator.is_percent() {
                        Decimal::ONE_HUNDRED
                    } else {
                        Decimal::ONE
                    };
                    let mut over = (value - target.value).abs() * scale;
                    if adjust.whole_points {
                        over = over.floor();
                    }
                    let off = over * per;
                    points - adjust.max_off.map_or(off, |max| off.min(max))
                }
                (Rule::FixedDeduction(off), Some(_)) => points - off,
                (Rule::Stepped, _) => {
                    let smaller_is_better = indicator
                        .target
                        .as_ref()
                        .is_some_and(|t| t.comparison == Comparison::AtMost);
                    let reached = |step: &&Step| {
                        if smaller_is_better {
                            value <= step.bound
                        } else {
                            value >= step.bound
                        }
                    };
                    let share = adjust.steps.iter().filter(reached).map(|s| s.share).max();
                    points * share.unwrap_or(Decimal::ZERO)
                }
                _ => points,
            };
            let overshot = |target: &Target| value >= target.value * OVERSHOOT;
            let exact = match (adjust.overshoot, &indicator.target) {
                (Some(off), Some(target)) if overshot(target) => exact - off,
                _ => exact,
            };
            row.score = Some(round(exact.clamp(Decimal::ZERO, points)));
        }
    }
    row
}

const QUALITATIVE_CRITERION: &str = "按评价档次的比例得分";

/// 计算符号 of a target.
fn operator(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::AtLeast => "≥",
        Comparison::AtMost => "≤",
        Comparison::Equal => "=",
    }
}

/// 评分标准: the rule the row is scored by, as a reviewer reads it.
fn criterion(rule: Rule, adjust: &Adjustments, indicator: &Indicator) -> String {
    let percent = indicator.is_percent();
    let amount = |value: Decimal| {
        crate::eval::indicators::format_value(
            value,
            percent,
            value
                .normalize()
                .scale()
                .saturating_sub(if percent { 2 } else { 0 }),
        )
    };
    let share = format_share;
    let per_unit = if percent {
        "1个百分点".to_string()
    } else {
        format!("1{}", indicator.definition.unit.as_deref().unwrap_or(""))
    };
    let mut text = match rule {
        Rule::Proportional => {
            let floor = adjust.zero_below.map_or_else(String::new, |floor| {
                format!("，完成值不到指标值的{}得0分", share(floor))
            });
            format!("达到目标得满分；未达到按完成值与指标值之比得分{floor}")
        }
        Rule::Deduction(per) => {
            let whole = if adjust.whole_points {
                "（只计整百分点）"
            } else {
                ""
            };
            let most = adjust.max_off.map_or_else(String::new, |max| {
                format!("，最多扣{}分", format_points(max))
            });
            format!(
                "达到目标得满分；每偏离目标{per_unit}扣{}分{whole}{most}",
                format_points(per)
            )
        }
        Rule::FixedDeduction(off) => {
            format!("达到目标得满分；未达到扣{}分", format_points(off))
        }
        Rule::Stepped => {
            let steps: Vec<String> = adjust
                .steps
                .iter()
                .map(|step| format!("达到{}得{}", amount(step.bound), share(step.share)))
                .collect();
            format!(
                "达到目标得满分；否则按档次得分值的一定比例：{}，均未达到得0分",
                steps.join("，")
            )
        }
        Rule::Rate => "按执行率乘以分值得分，最高得满分".into(),
        Rule::Qualitative => QUALITATIVE_CRITERION.into(),
    };
    if let Some(off) = adjust.overshoot {
        text.push_str(&format!("；超出目标30%及以上扣{}分", format_points(off)));
    }
    text
}

/// 完成值/指标值, or 指标值/完成值 when smaller is better; for "= target", whichever is below
/// 1. The caller clamps it to 0..=1.
fn proportion(value: Decimal, target: &Target) -> Decimal {
    let ratio = |a: Decimal, b: Decimal| if b.is_zero() { Decimal::ZERO } else { a / b };
    match target.comparison {
        Comparison::AtLeast => ratio(value, target.value),
        Comparison::AtMost => ratio(target.value, value),
        Comparison::Equal => ratio(value, target.value).min(ratio(target.value, value)),
    }
}

fn qualitative(
    config: &TableRow,
    data: &Data,
    levels: &BTreeMap<String, Decimal>,
    points: Decimal,
    policy: NotApplicable,
) -> std::result::Result<Row, Diagnostic> {
    let mut row = row_base(&config.name, points, Nature::Qualitative, Rule::Qualitative);
    row.criterion = QUALITATIVE_CRITERION.into();
    let path = format!("{DATA_GROUP}.定性.{}", config.name);
    // What is wrong is the level written in data.yaml: the error points at it there (at the
    // row of indicators.yaml, where the caller places it, when data.yaml lacks it).
    let wrong = |message: String| {
        let at = data.locate(&path).cloned();
        let at = at.unwrap_or_else(|| Location::new("", 1, 1));
        Diagnostic::error(code::SCORE_TABLE, at, message)
    };
    let known = || {
        levels
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("、")
    };
    let text = match data.fields.get(&path) {
        None => {
            return Err(wrong(format!(
                "data.yaml 中没有定性指标“{}”的档次。请在 data.yaml 的 {path} 写档次（{}），未评价写 ~。",
                config.name,
                known()
            )));
        }
        Some(Datum::Missing) => {
            row.actual = "不适用".into();
            row.target = config.target.clone().unwrap_or_default();
            row.score = not_applicable_score(points, policy);
            return Ok(row);
        }
        Some(Datum::Text(text)) => text.clone(),
        Some(Datum::Quantity(q)) => q.display.clone(),
    };
    let (level, given) = match text.split_once(char::is_whitespace) {
        Some((level, share)) => (level, Some(share.trim())),
        None => (text.as_str(), None),
    };
    let Some(&default_share) = levels.get(level) else {
        return Err(wrong(format!(
            "data.yaml 的 {path} 写的档次“{level}”不在定性档次中（{}）。",
            known()
        )));
    };
    let share = match given {
        None => default_share,
        Some(given) => {
            let share = parse_share(given).ok_or_else(|| {
                wrong(format!("data.yaml 的 {path}：“{given}”应是 0% 到 100% 之间的得分比例，例如 较健全 75%。"))
            })?;
            if band(share) != band(default_share) {
                return Err(wrong(format!(
                    "data.yaml 的 {path}：“{level}”的得分比例应在 {} 之间，写的是 {given}。",
                    BAND_NAMES[band(default_share)]
                )));
            }
            share
        }
    };
    row.target = match (&config.target, top_level(levels, level)) {
        (Some(target), _) => target.clone(),
        (None, Some(top)) => top,
        (None, None) => {
            // Placed by the caller at the row, where 指标值 is to be written.
            return Err(Diagnostic::error(
                code::SCORE_TABLE,
                Location::new("", 1, 1),
                format!(
                    "定性指标“{}”的档次“{level}”看不出属于哪一组档次，年度指标值无法确定。请在 indicators.yaml 这一行写 指标值（例如 指标值: {}）。",
                    config.name,
                    top_words(levels).join(" 或 指标值: ")
                ),
            ));
        }
    };
    row.actual = level.to_string();
    row.given_share = given.map(|_| share);
    row.met = Some(band(share) == 0);
    row.score = Some(round(points * share));
    Ok(row)
}

/// The top band's word a level belongs with (较健全 → 健全, 部分达成 → 达成, 较高 → 高): what
/// the table shows as the target when the row does not say. A level that ends with none of
/// them (低 among 高/较高/低 and 健全/较健全/不健全) has no family unless there is only one.
fn top_level(levels: &BTreeMap<String, Decimal>, level: &str) -> Option<String> {
    let top = top_words(levels);
    top.iter()
        .filter(|word| level.ends_with(*word))
        .max_by_key(|word| word.len())
        .or(if top.len() == 1 { top.first() } else { None })
        .map(|word| (*word).to_string())
}

/// The levels that earn the top band.
fn top_words(levels: &BTreeMap<String, Decimal>) -> Vec<&str> {
    levels
        .iter()
        .filter(|(_, share)| band(**share) == 0)
        .map(|(word, _)| word.as_str())
        .collect()
}

fn budget_line(config: &BudgetLines, data: &Data, rows: &[Row]) -> Result<Budget> {
    let location = &config.rate_location;
    let figure = |path: &str| -> Result<Figure> {
        match data.fields.get(path) {
            Some(Datum::Quantity(q)) => Ok(Figure {
                value: Some(q.value),
                percent: false,
                text: q.display.clone(),
            }),
            Some(Datum::Missing) => Ok(Figure {
                value: None,
                percent: false,
                text: "未提供".into(),
            }),
            _ => Err(Error::invalid(
                code::SCORE_TABLE,
                location.clone(),
                format!("预算执行 引用的“{path}”不是 data.yaml 中的数值。"),
            )),
        }
    };
    let rate = rows.iter().find(|r| r.name == config.rate).ok_or_else(|| {
        Error::invalid(
            code::SCORE_TABLE,
            location.clone(),
            format!(
                "预算执行 的 执行率“{}”要是自评表 指标 中的一行（例如 预算执行率）。",
                config.rate
            ),
        )
    })?;
    Ok(Budget {
        paths: [
            config.initial.clone(),
            config.adjusted.clone(),
            config.spent.clone(),
        ],
        initial: figure(&config.initial)?,
        adjusted: figure(&config.adjusted)?,
        spent: figure(&config.spent)?,
        rate: Figure {
            value: None,
            percent: true,
            text: rate.actual.clone(),
        },
        points: rate.points,
        score: rate.score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::indicators::parse_target;

    /// A row of indicators.yaml's 自评表, as written there.
    fn table_row(yaml: &str) -> TableRow {
        let origin = crate::input::yaml::Origin::file(std::path::Path::new("i.yaml"));
        crate::input::yaml::from_str(yaml, origin).unwrap()
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// An indicator with this value (a ratio) and target, scored by `rule` for `points`.
    fn scored(value: Option<&str>, target: &str, rule: Rule, points: &str) -> Option<Decimal> {
        let target = parse_target(target).unwrap();
        let outcome = value.map_or(Outcome::NotApplicable("分母为零".into()), |v| {
            Outcome::Value(d(v))
        });
        let verdict = match &outcome {
            Outcome::NotApplicable(_) => Verdict::NotApplicable,
            Outcome::Value(v) => {
                let met = match target.comparison {
                    Comparison::AtMost => *v <= target.value,
                    Comparison::AtLeast => *v >= target.value,
                    Comparison::Equal => *v == target.value,
                };
                if met { Verdict::Met } else { Verdict::NotMet }
            }
        };
        let indicator = Indicator {
            definition: serde_yaml::from_str("名称: 甲\n公式: x\n单位: \"%\"").unwrap(),
            location: Location::new("i.yaml", 1, 1),
            outcome,
            unit: None,
            target: Some(target),
            verdict,
            inputs: Vec::new(),
            verdict_text: String::new(),
        };
        let config = table_row(&format!(
            "{{ 一级: 一, 二级: 二, 指标: 甲, 分值: {points} }}"
        ));
        quantitative(
            &config,
            &indicator,
            rule,
            Adjustments::default(),
            d(points),
            NotApplicable::Dropped,
        )
        .score
    }

    #[test]
    fn proportional_at_its_edges() {
        let p = Rule::Proportional;
        assert_eq!(
            scored(Some("0.95"), "≥ 95%", p, "10"),
            Some(d("10")),
            "met exactly"
        );
        assert_eq!(
            scored(Some("0.949"), "≥ 95%", p, "10"),
            Some(d("9.99")),
            "just missed"
        );
        // 9.9989 rounds to the full points: the score is rounded once, like any figure.
        assert_eq!(scored(Some("0.9499"), "≥ 95%", p, "10"), Some(d("10.00")));
        assert_eq!(scored(Some("0"), "≥ 95%", p, "10"), Some(d("0")), "zero");
        assert_eq!(
            scored(Some("1.2"), "≥ 95%", p, "10"),
            Some(d("10")),
            "over-achieved"
        );
        assert_eq!(scored(Some("0.9054"), "≥ 95%", p, "10"), Some(d("9.53")));
        // Smaller is better: 指标值/完成值.
        assert_eq!(scored(Some("1.25"), "≤ 100%", p, "4"), Some(d("3.20")));
        assert_eq!(scored(Some("0"), "≤ 100%", p, "4"), Some(d("4")));
        // "= 100%" either way: 88.78 % and 112.5 %.
        assert_eq!(scored(Some("0.8878"), "= 100%", p, "5"), Some(d("4.44")));
        assert_eq!(scored(Some("1.125"), "= 100%", p, "5"), Some(d("4.44")));
    }

    #[test]
    fn deduction_per_point_reaches_zero_and_stops() {
        let rule = Rule::Deduction(d("0.1"));
        assert_eq!(scored(Some("1"), "≤ 100%", rule, "1"), Some(d("1")));
        assert_eq!(scored(Some("1.035"), "≤ 100%", rule, "1"), Some(d("0.65")));
        assert_eq!(scored(Some("1.1"), "≤ 100%", rule, "1"), Some(d("0")));
        assert_eq!(
            scored(Some("3"), "≤ 100%", rule, "1"),
            Some(d("0")),
            "floor 0"
        );
        assert_eq!(
            scored(Some("0.0802"), "≤ 5%", Rule::Deduction(d("0.3")), "3"),
            Some(d("2.09"))
        );
    }

    #[test]
    fn rate_times_points_is_capped() {
        assert_eq!(
            scored(Some("0.76"), "≥ 95%", Rule::Rate, "10"),
            Some(d("7.6"))
        );
        assert_eq!(
            scored(Some("1.05"), "≥ 95%", Rule::Rate, "10"),
            Some(d("10"))
        );
        assert_eq!(scored(Some("0"), "≥ 95%", Rule::Rate, "10"), Some(d("0")));
    }

    #[test]
    fn not_applicable_is_dropped_or_given_full_points() {
        assert_eq!(scored(None, "≤ 100%", Rule::Proportional, "3"), None);
        assert_eq!(scored(None, "≥ 95%", Rule::Rate, "10"), None);
        assert_eq!(
            not_applicable_score(d("3"), NotApplicable::FullPoints),
            Some(d("3"))
        );
    }

    fn qualitative_score(value: &str) -> std::result::Result<Option<Decimal>, String> {
        let mut data = Data::default();
        let datum = if value == "~" {
            Datum::Missing
        } else {
            data::parse_datum(value)
        };
        data.fields
            .insert(format!("{DATA_GROUP}.定性.预算编制科学性"), datum);
        let config = table_row(
            "{ 一级: 管理效率, 二级: 预算编制, 指标: 预算编制科学性, 分值: 5, 性质: 定性 }",
        );
        let levels = levels(None, &Location::new("i.yaml", 1, 1)).unwrap();
        qualitative(&config, &data, &levels, d("5"), NotApplicable::Dropped)
            .map(|r| r.score)
            .map_err(|e| e.message)
    }

    #[test]
    fn qualitative_levels_within_their_bands() {
        assert_eq!(qualitative_score("健全"), Ok(Some(d("5"))));
        assert_eq!(qualitative_score("健全 80%"), Ok(Some(d("4"))));
        assert_eq!(qualitative_score("较健全"), Ok(Some(d("3.5"))));
        assert_eq!(qualitative_score("较健全 79.9%"), Ok(Some(d("4.00"))));
        assert_eq!(qualitative_score("较健全 60%"), Ok(Some(d("3"))));
        assert_eq!(qualitative_score("不健全"), Ok(Some(d("2"))));
        assert_eq!(qualitative_score("未达成 0%"), Ok(Some(d("0"))));
        let outside = qualitative_score("较健全 80%").unwrap_err();
        assert!(outside.contains("80%–60%"), "{outside}");
        let unknown = qualitative_score("基本健全").unwrap_err();
        assert!(unknown.contains("不在定性档次中"), "{unknown}");
        assert_eq!(qualitative_score("~"), Ok(None));
    }

    #[test]
    fn grades_by_band() {
        let grades = grades(None, &Location::new("i.yaml", 1, 1)).unwrap();
        let g = |t: &str| grade_of(d(t), &grades);
        assert_eq!(
            [
                g("100"),
                g("90"),
                g("89.99"),
                g("80"),
                g("79.99"),
                g("60"),
                g("59.99"),
                g("0")
            ],
            ["优", "优", "良", "良", "中", "中", "差", "差"]
        );
    }

    #[test]
    fn scores_show_two_decimals_rounded_half_away_from_zero() {
        assert_eq!(format_score(d("9.054")), "9.05");
        assert_eq!(format_score(d("9.055")), "9.06");
        assert_eq!(format_score(d("10")), "10.00");
        assert_eq!(format_points(d("2.50")), "2.5");
    }
}
