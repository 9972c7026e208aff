//! indicators.yaml, read once: the indicators, their wording, the 校验 identities and the
//! 自评表 section, each item carrying where it was written. The indicators stage computes
//! from [`IndicatorSet::indicators`], the scoring stage from [`IndicatorSet::table`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Location, Result};
use crate::input::form::FormSpec;
use crate::input::source::SourceFile;
use crate::input::yaml;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSet {
    #[serde(rename = "结论", default)]
    pub wording: Wording,
    #[serde(rename = "指标", default)]
    pub indicators: Vec<Definition>,
    #[serde(rename = "校验", default)]
    pub identities: Vec<Identity>,
    /// The 部门整体绩效自评表.
    #[serde(rename = "自评表", default)]
    pub table: Option<ScoreTable>,
}

/// What the prose says for each verdict, unless an indicator says otherwise.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    #[serde(rename = "达到", default = "met")]
    pub met: String,
    #[serde(rename = "未达到", default = "not_met")]
    pub not_met: String,
    #[serde(rename = "不适用", default = "not_applicable")]
    pub not_applicable: String,
}

fn met() -> String {
    "达到了年初目标".into()
}
fn not_met() -> String {
    "未达到年初目标".into()
}
fn not_applicable() -> String {
    "不适用".into()
}

impl Default for Wording {
    fn default() -> Self {
        Wording {
            met: met(),
            not_met: not_met(),
            not_applicable: not_applicable(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The name placeholders and other formulas use: 预算执行率.
    #[serde(rename = "名称")]
    pub name: String,
    /// How the document names it, when that differs (“三公”经费控制率).
    #[serde(rename = "显示名", default)]
    pub display_name: Option<String>,
    #[serde(rename = "公式")]
    pub formula: String,
    /// "%", or the unit of the result (人, 万元); none for a plain number.
    #[serde(rename = "单位", default)]
    pub unit: Option<String>,
    #[serde(rename = "小数位", default = "two")]
    pub decimals: u32,
    /// "≤ 100%", "≥ 95%", "= 100%".
    #[serde(rename = "目标", default)]
    pub target: Option<String>,
    #[serde(rename = "达到", default)]
    pub met: Option<String>,
    #[serde(rename = "未达到", default)]
    pub not_met: Option<String>,
    /// Said instead of a value when a denominator is zero or an input is not provided.
    #[serde(rename = "不适用", default)]
    pub not_applicable: Option<String>,
    /// Where its 公式 was written.
    #[serde(skip, default = "unplaced")]
    pub location: Location,
}

fn two() -> u32 {
    2
}

/// A 校验 identity as written, and where.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(from = "String")]
pub struct Identity {
    pub text: String,
    pub location: Location,
}

impl From<String> for Identity {
    fn from(text: String) -> Self {
        Identity {
            text,
            location: unplaced(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreTable {
    #[serde(rename = "总分", default = "hundred")]
    pub total: String,
    #[serde(rename = "不适用", default)]
    pub not_applicable: NotApplicable,
    /// Grade → lowest total that earns it.
    #[serde(rename = "等级", default)]
    pub grades: Option<BTreeMap<String, String>>,
    /// Qualitative level → share of the points when data.yaml gives no share.
    #[serde(rename = "定性档次", default)]
    pub levels: Option<BTreeMap<String, String>>,
    #[serde(rename = "预算执行", default)]
    pub budget: Option<BudgetLines>,
    /// 预算执行率 below which → the most the total may be: `80%: 89`. Needs 预算执行.
    #[serde(rename = "执行率封顶", default)]
    pub rate_caps: Option<BTreeMap<String, String>>,
    #[serde(rename = "指标")]
    pub rows: Vec<TableRow>,
    /// The form: a built-in one's name, or one changed from it (通用 without it).
    #[serde(rename = "表样", default)]
    pub form: Option<FormSpec>,
    /// Where 表样 was written (the section's start without it).
    #[serde(skip, default = "unplaced")]
    pub form_location: Location,
    /// Where the section starts.
    #[serde(skip, default = "unplaced")]
    pub location: Location,
    /// Where its list of rows starts.
    #[serde(skip, default = "unplaced")]
    pub rows_location: Location,
    /// Where 执行率封顶 was written.
    #[serde(skip, default = "unplaced")]
    pub caps_location: Location,
}

fn hundred() -> String {
    "100".into()
}

/// How an indicator that does not apply counts.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum NotApplicable {
    /// Its points are dropped and the total is rescaled to 总分.
    #[default]
    #[serde(rename = "剔除")]
    Dropped,
    /// It scores its full points.
    #[serde(rename = "满分")]
    FullPoints,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLines {
    #[serde(rename = "年初预算数")]
    pub initial: String,
    #[serde(rename = "全年预算数")]
    pub adjusted: String,
    #[serde(rename = "全年执行数")]
    pub spent: String,
    /// The scored row whose value, points and score the header shows: 预算执行率.
    #[serde(rename = "执行率")]
    pub rate: String,
    /// Where the 执行率 was written.
    #[serde(skip, default = "unplaced")]
    pub rate_location: Location,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRow {
    #[serde(rename = "一级")]
    pub level1: String,
    #[serde(rename = "二级")]
    pub level2: String,
    /// An indicator of 指标 above, or for a qualitative row a name of data.yaml's 自评表.定性.
    #[serde(rename = "指标")]
    pub name: String,
    #[serde(rename = "分值")]
    pub points: String,
    #[serde(rename = "性质", default)]
    pub nature: Nature,
    #[serde(rename = "评分", default)]
    pub rule: Option<RuleName>,
    #[serde(rename = "每百分点扣", default)]
    pub per_point: Option<String>,
    /// For 扣分 not prorated: the points a missed target takes off, however far it was missed.
    #[serde(rename = "未达到扣", default)]
    pub off_when_missed: Option<String>,
    /// For 分档: each step's bound on the result → the share of the points it earns
    /// (`95%: 100%`, `90%: 80%`); a result past no bound earns 0.
    #[serde(rename = "分档", default)]
    pub steps: Option<BTreeMap<String, String>>,
    /// What the table shows as 年度指标值 for a qualitative row: 健全.
    #[serde(rename = "指标值", default)]
    pub target: Option<String>,
    /// Below this share of its target a 比例 row scores 0: 60%.
    #[serde(rename = "零分线", default)]
    pub zero_below: Option<String>,
    /// For 扣分: the most points it takes off.
    #[serde(rename = "最多扣", default)]
    pub max_off: Option<String>,
    /// For 扣分: only whole percentage points count (2.7 over takes 2 × 每百分点扣).
    #[serde(rename = "按整百分点", default)]
    pub whole_points: bool,
    /// Points off when the result overshoots its ≥ or = target by 30 % or more (指标偏离).
    #[serde(rename = "偏离扣分", default)]
    pub overshoot: Option<String>,
    /// 计量单位 as the form prints it; the indicator's unit without it.
    #[serde(rename = "计量单位", default)]
    pub unit: Option<String>,
    /// The target set at the start of the year, when it was adjusted since (年初指标值).
    #[serde(rename = "年初指标值", default)]
    pub initial_target: Option<String>,
    /// 是否核心指标.
    #[serde(rename = "核心指标", default)]
    pub core: bool,
    /// 计算符号 (≥, ≤, =): a quantitative row's must agree with its target's.
    #[serde(rename = "计算符号", default)]
    pub operator: Option<String>,
    /// Where its 指标 was written.
    #[serde(skip, default = "unplaced")]
    pub location: Location,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Nature {
    #[default]
    #[serde(rename = "定量")]
    Quantitative,
    #[serde(rename = "定性")]
    Qualitative,
}

/// The 评分 a row names.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum RuleName {
    #[serde(rename = "比例")]
    Proportional,
    #[serde(rename = "扣分")]
    Deduction,
    #[serde(rename = "执行率")]
    Rate,
    #[serde(rename = "定性")]
    Qualitative,
    #[serde(rename = "分档")]
    Stepped,
}

/// Filled in by [`IndicatorSet::read`] once the positions are known.
fn unplaced() -> Location {
    Location::new("", 1, 1)
}

impl IndicatorSet {
    /// Parses indicators.yaml and places every item at the line and column it was written.
    pub fn read(file: &SourceFile) -> Result<IndicatorSet> {
        let origin = yaml::Origin::file(&file.path);
        let (mut set, positions): (IndicatorSet, _) = yaml::parse(&file.text, origin)?;
        let at = |path: &[&str]| positions.at(path);
        for (i, definition) in set.indicators.iter_mut().enumerate() {
            definition.location = at(&["指标", &i.to_string(), "公式"]);
        }
        for (i, identity) in set.identities.iter_mut().enumerate() {
            identity.location = at(&["校验", &i.to_string()]);
        }
        if let Some(table) = &mut set.table {
            table.location = at(&["自评表"]);
            table.rows_location = at(&["自评表", "指标"]);
            for (i, row) in table.rows.iter_mut().enumerate() {
                row.location = at(&["自评表", "指标", &i.to_string(), "指标"]);
            }
            table.caps_location = at(&["自评表", "执行率封顶"]);
            table.form_location = at(&["自评表", "表样"]);
            if let Some(budget) = &mut table.budget {
                budget.rate_location = at(&["自评表", "预算执行", "执行率"]);
            }
        }
        Ok(set)
    }
}
