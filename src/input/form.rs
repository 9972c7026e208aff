//! The 自评表's form (表样): which columns the indicator table has, in which order, under
//! which headings and how wide, whether 一级/二级 merge down their rows, and what the header
//! block above it shows. Provinces and cities each publish their own; the built-in ones are
//! data (styles/forms/*.yaml), and indicators.yaml's `自评表.表样` names one or changes one.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::diag::{Error, Location, Result, code};
use crate::input::yaml;

/// A form compiled into the binary.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub yaml: &'static str,
}

/// 通用 first: it is the default.
pub const BUILTIN: [Builtin; 3] = [
    Builtin {
        name: "通用",
        yaml: include_str!("../../styles/forms/general.yaml"),
    },
    Builtin {
        name: "重庆",
        yaml: include_str!("../../styles/forms/chongqing.yaml"),
    },
    Builtin {
        name: "评价",
        yaml: include_str!("../../styles/forms/evaluation.yaml"),
    },
];

/// A form, complete.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    #[serde(rename = "名称")]
    pub name: String,
    /// What it looks like, for `gongwen style --forms`.
    #[serde(rename = "说明", default)]
    pub summary: String,
    /// Where it was drawn from.
    #[serde(rename = "来源", default)]
    pub source: String,
    /// Whether 一级/二级 cells merge down the rows that share them.
    #[serde(rename = "分组")]
    pub grouped: bool,
    #[serde(rename = "表头")]
    pub header: Vec<HeaderBlock>,
    /// Each column's share of the header block's width; the columns' own shares without it.
    #[serde(rename = "表头列宽", default)]
    pub header_shares: Option<Vec<u32>>,
    #[serde(rename = "列")]
    pub columns: Vec<Column>,
    /// A flat sheet for a finance system's import, one row per indicator, in the .xlsx.
    #[serde(rename = "导入列", default)]
    pub import: Option<Vec<Field>>,
}

/// One line of the header block: `- 字段: [部门名称]`, `- 预算执行`, `- 目标: [年度总体目标]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderBlock {
    /// Label and value pairs side by side: 部门名称, 主管部门, 联系电话, 自评总分 …
    Fields(Vec<String>),
    /// 预算执行情况（万元）: 年初预算数, 全年预算数, 全年执行数, 执行率, 分值, 得分.
    Budget,
    /// Texts side by side, each under its label: 年度总体目标, 实际完成情况 …
    Texts(Vec<String>),
}

const BUDGET_BLOCK: &str = "预算执行";
const FIELDS_BLOCK: &str = "字段";
const TEXTS_BLOCK: &str = "目标";

impl<'de> Deserialize<'de> for HeaderBlock {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Block;
        impl<'de> Visitor<'de> for Block {
            type Value = HeaderBlock;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "`{BUDGET_BLOCK}`, `{FIELDS_BLOCK}: [...]` or `{TEXTS_BLOCK}: [...]`"
                )
            }
            fn visit_str<E: de::Error>(self, name: &str) -> std::result::Result<HeaderBlock, E> {
                if name == BUDGET_BLOCK {
                    Ok(HeaderBlock::Budget)
                } else {
                    Err(E::unknown_variant(
                        name,
                        &[BUDGET_BLOCK, FIELDS_BLOCK, TEXTS_BLOCK],
                    ))
                }
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                mut map: M,
            ) -> std::result::Result<HeaderBlock, M::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::invalid_length(0, &self));
                };
                let block = match key.as_str() {
                    FIELDS_BLOCK => HeaderBlock::Fields(map.next_value()?),
                    TEXTS_BLOCK => HeaderBlock::Texts(map.next_value()?),
                    other => {
                        return Err(de::Error::unknown_variant(
                            other,
                            &[BUDGET_BLOCK, FIELDS_BLOCK, TEXTS_BLOCK],
                        ));
                    }
                };
                if map.next_key::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(2, &self));
                }
                Ok(block)
            }
        }
        deserializer.deserialize_any(Block)
    }
}

/// The header fields whose value the report itself gives; every other name is a text of
/// data.yaml's 自评表 group.
pub const UNIT_FIELDS: [&str; 2] = ["部门名称", "单位"];
pub const TOTAL_FIELD: &str = "自评总分";
pub const GRADE_FIELD: &str = "自评等级";

impl HeaderBlock {
    /// The names of data.yaml's 自评表 texts it shows.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let names: &[String] = match self {
            HeaderBlock::Fields(names) | HeaderBlock::Texts(names) => names,
            HeaderBlock::Budget => &[],
        };
        names.iter().map(String::as_str).filter(|name| {
            !UNIT_FIELDS.contains(name) && ![TOTAL_FIELD, GRADE_FIELD].contains(name)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    #[serde(rename = "列")]
    pub field: Field,
    /// The heading; the field's own name without it.
    #[serde(rename = "名称", default)]
    pub heading: Option<String>,
    /// Its share of the text block's width.
    #[serde(rename = "宽")]
    pub share: u32,
}

impl Column {
    pub fn heading(&self) -> &str {
        self.heading.as_deref().unwrap_or(self.field.heading())
    }
}

/// What a column shows of each indicator: the documented set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Field {
    #[serde(rename = "一级指标")]
    Level1,
    #[serde(rename = "二级指标")]
    Level2,
    #[serde(rename = "三级指标")]
    Level3,
    /// The indicator's name, in a form without levels.
    #[serde(rename = "指标名称")]
    Name,
    #[serde(rename = "计量单位")]
    Unit,
    /// 定量 or 定性.
    #[serde(rename = "指标性质")]
    Nature,
    /// ≥, ≤ or =.
    #[serde(rename = "计算符号")]
    Operator,
    /// The target set at the start of the year, when it was adjusted since.
    #[serde(rename = "年初指标值")]
    InitialTarget,
    /// The target in force, with its sign: ≥26次.
    #[serde(rename = "年度指标值")]
    Target,
    /// The target's figure alone, for a form with 计算符号 and 计量单位 columns.
    #[serde(rename = "指标值")]
    TargetValue,
    #[serde(rename = "实际完成值")]
    Actual,
    /// The score's share of the points.
    #[serde(rename = "得分系数")]
    Coefficient,
    #[serde(rename = "分值")]
    Points,
    #[serde(rename = "得分")]
    Score,
    #[serde(rename = "是否核心指标")]
    Core,
    #[serde(rename = "偏差原因")]
    Deviation,
    /// The scoring rule in words, made from the rule the score was computed by.
    #[serde(rename = "评分标准")]
    Criterion,
    /// data.yaml's 自评表.备注 for the indicator.
    #[serde(rename = "备注")]
    Remark,
}

impl Field {
    pub fn heading(self) -> &'static str {
        match self {
            Field::Level1 => "一级指标",
            Field::Level2 => "二级指标",
            Field::Level3 => "三级指标",
            Field::Name => "指标名称",
            Field::Unit => "计量单位",
            Field::Nature => "指标性质",
            Field::Operator => "计算符号",
            Field::InitialTarget => "年初指标值",
            Field::Target => "年度指标值",
            Field::TargetValue => "指标值",
            Field::Actual => "实际完成值",
            Field::Coefficient => "得分系数",
            Field::Points => "分值",
            Field::Score => "得分",
            Field::Core => "是否核心指标",
            Field::Deviation => "偏差原因分析及改进措施",
            Field::Criterion => "评分标准",
            Field::Remark => "备注",
        }
    }
}

/// What a column's 宽 may be: a share of the width, so that the shares add up without
/// overflow whatever a form says.
pub const SHARES: std::ops::RangeInclusive<u32> = 1..=1000;

/// The most columns a form may have: far more than a landscape A4 page can show, and within
/// what a spreadsheet holds.
const MAX_COLUMNS: usize = 40;

/// The columns the budget block takes besides its label.
const BUDGET_VALUES: usize = 6;

/// indicators.yaml's `表样`: a built-in form's name, or a form changed from one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormSpec {
    Named(String),
    Changed(Changes),
}

/// What a changed form says; what it leaves out comes from the form it is `基于` (通用
/// without one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    #[serde(rename = "基于", default)]
    pub base: Option<String>,
    #[serde(rename = "名称", default)]
    pub name: Option<String>,
    #[serde(rename = "分组", default)]
    pub grouped: Option<bool>,
    #[serde(rename = "表头", default)]
    pub header: Option<Vec<HeaderBlock>>,
    #[serde(rename = "表头列宽", default)]
    pub header_shares: Option<Vec<u32>>,
    #[serde(rename = "列", default)]
    pub columns: Option<Vec<Column>>,
    #[serde(rename = "导入列", default)]
    pub import: Option<Vec<Field>>,
}

impl<'de> Deserialize<'de> for FormSpec {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Spec;
        impl<'de> Visitor<'de> for Spec {
            type Value = FormSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a built-in form's name or a mapping")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> std::result::Result<FormSpec, E> {
                Ok(FormSpec::Named(name.to_string()))
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                map: M,
            ) -> std::result::Result<FormSpec, M::Error> {
                Changes::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(FormSpec::Changed)
            }
        }
        deserializer.deserialize_any(Spec)
    }
}

/// The built-in forms' names, for messages: "通用、重庆、评价".
pub fn builtin_names() -> String {
    BUILTIN.map(|b| b.name).join("、")
}

/// The built-in form `name`, or the error at `at` that names those there are.
pub fn builtin(name: &str, at: &Location) -> Result<Form> {
    let Some(builtin) = BUILTIN.iter().find(|b| b.name == name) else {
        let hint = crate::diag::suggest::closest(name, BUILTIN.iter().map(|b| b.name));
        return Err(Error::invalid(
            code::SCORE_TABLE,
            at.clone(),
            format!(
                "没有名为“{name}”的表样。{hint}内置表样：{}；也可以写一组 基于、列、表头 改出本地的表样。",
                builtin_names()
            ),
        ));
    };
    let path = std::path::PathBuf::from(format!("表样/{}.yaml", builtin.name));
    yaml::from_str(builtin.yaml, yaml::Origin::file(&path))
}

/// The form `spec` names (通用 without one), checked: every mistake is an error at `at`.
pub fn resolve(spec: Option<&FormSpec>, at: &Location) -> Result<Form> {
    let form = match spec {
        None => builtin(BUILTIN[0].name, at)?,
        Some(FormSpec::Named(name)) => builtin(name, at)?,
        Some(FormSpec::Changed(changes)) => {
            let base = builtin(changes.base.as_deref().unwrap_or(BUILTIN[0].name), at)?;
            // Columns of its own take widths of their own: the base's header widths would
            // not fit them.
            let header_shares = match (&changes.header_shares, &changes.columns) {
                (Some(shares), _) => Some(shares.clone()),
                (None, Some(_)) => None,
                (None, None) => base.header_shares,
            };
            Form {
                name: changes.name.clone().unwrap_or(base.name),
                summary: String::new(),
                source: base.source,
                grouped: changes.grouped.unwrap_or(base.grouped),
                header: changes.header.clone().unwrap_or(base.header),
                header_shares,
                columns: changes.columns.clone().unwrap_or(base.columns),
                import: changes.import.clone().or(base.import),
            }
        }
    };
    form.checked(at)
}

impl Form {
    /// Each column's share of the header block's width.
    pub fn header_shares(&self) -> Vec<u32> {
        self.header_shares
            .clone()
            .unwrap_or_else(|| self.columns.iter().map(|c| c.share).collect())
    }

    /// Whether a column shows the unit, so that figures go without it.
    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|c| c.field == field)
    }

    fn checked(self, at: &Location) -> Result<Form> {
        let wrong = |message: String| -> Result<Form> {
            Err(Error::invalid(code::SCORE_TABLE, at.clone(), message))
        };
        let count = self.columns.len();
        if count == 0 {
            return wrong("表样的 列 是空的：至少写一列，例如 - { 列: 三级指标, 宽: 20 }。".into());
        }
        if count > MAX_COLUMNS || self.import.as_ref().is_some_and(|i| i.len() > MAX_COLUMNS) {
            return wrong(format!(
                "表样的列太多：一张横排的 A4 表最多放 {MAX_COLUMNS} 列，请合并或删去一些列。"
            ));
        }
        if self.import.as_ref().is_some_and(Vec::is_empty) {
            return wrong("表样的 导入列 是空的：写出导入表的列，或删去 导入列。".into());
        }
        if let Some(column) = self.columns.iter().find(|c| !SHARES.contains(&c.share)) {
            return wrong(format!(
                "表样的“{}”一列的 宽 是 {}：每列写 1 到 {} 之间的数（占版心宽的份数）。",
                column.heading(),
                column.share,
                SHARES.end()
            ));
        }
        if let Some(shares) = &self.header_shares
            && (shares.len() != count || !shares.iter().all(|s| SHARES.contains(s)))
        {
            return wrong(format!(
                "表样的 表头列宽 要有 {count} 个 1 到 {} 之间的数，与 列 一样多（现在 {} 个）。",
                SHARES.end(),
                shares.len()
            ));
        }
        if self.header.contains(&HeaderBlock::Budget) && count < BUDGET_VALUES + 1 {
            return wrong(format!(
                "表样只有 {count} 列，放不下表头的预算执行情况（名称和 {BUDGET_VALUES} 个数，至少 {} 列）：多写几列，或从 表头 删去 预算执行。",
                BUDGET_VALUES + 1
            ));
        }
        for block in &self.header {
            if let HeaderBlock::Fields(names) | HeaderBlock::Texts(names) = block {
                let per_item = if matches!(block, HeaderBlock::Fields(_)) {
                    2
                } else {
                    1
                };
                if names.is_empty() || names.len() * per_item > count {
                    return wrong(format!(
                        "表样的表头一行写了 {} 项，{count} 列放不下（字段每项占两格，目标每项一格）。",
                        names.len()
                    ));
                }
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location::new("indicators.yaml", 3, 7)
    }

    #[test]
    fn every_builtin_form_reads_and_fits_its_header() {
        for compiled in &BUILTIN {
            let form = builtin(compiled.name, &at()).and_then(|f| f.checked(&at()));
            let form = form.unwrap_or_else(|e| panic!("{}: {e:?}", compiled.name));
            assert_eq!(form.name, compiled.name);
            assert!(!form.source.is_empty(), "{}", compiled.name);
        }
    }

    #[test]
    fn an_unknown_form_is_an_error_at_its_line_naming_the_forms() {
        let said = resolve(Some(&FormSpec::Named("重广".into())), &at())
            .unwrap_err()
            .diagnostic();
        assert_eq!((said.location.line, said.location.column), (3, 7));
        assert!(said.message.contains("“重庆”"), "{}", said.message);
        assert!(
            said.message.contains("通用、重庆、评价"),
            "{}",
            said.message
        );
    }

    #[test]
    fn a_changed_form_keeps_what_it_does_not_say() {
        let changes = Changes {
            base: Some("重庆".into()),
            name: None,
            grouped: None,
            header: None,
            header_shares: None,
            import: None,
            columns: Some(vec![
                Column {
                    field: Field::Name,
                    heading: Some("项目".into()),
                    share: 1,
                };
                7
            ]),
        };
        let form = resolve(Some(&FormSpec::Changed(changes)), &at()).unwrap();
        assert_eq!(form.name, "重庆");
        assert!(!form.grouped);
        assert_eq!(form.header_shares(), vec![1; 7]);
        assert_eq!(form.columns[0].heading(), "项目");
    }

    #[test]
    fn a_form_too_narrow_for_its_header_or_with_a_zero_width_is_refused() {
        let narrow = Changes {
            base: None,
            name: None,
            grouped: None,
            header: None,
            header_shares: None,
            import: None,
            columns: Some(vec![
                Column {
                    field: Field::Name,
                    heading: None,
                    share: 1,
                };
                3
            ]),
        };
        let said = resolve(Some(&FormSpec::Changed(narrow.clone())), &at())
            .unwrap_err()
            .diagnostic();
        assert!(said.message.contains("预算执行"), "{}", said.message);
        let zero = Changes {
            columns: Some(vec![
                Column {
                    field: Field::Name,
                    heading: None,
                    share: 0,
                };
                8
            ]),
            ..narrow
        };
        let said = resolve(Some(&FormSpec::Changed(zero)), &at())
            .unwrap_err()
            .diagnostic();
        assert!(said.message.contains("宽"), "{}", said.message);
    }
}
