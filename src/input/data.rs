//! Stage: the report's figures (data.yaml) as exact decimals with their units.
//!
//! A value is written as the writer would say it: `3369.82 万元`, `33 人`, `100%`, `健全`.
//! Numbers are read from the text the writer typed, never through f64.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, code};
use crate::diag::{Error, Location, Result};
use crate::input::source::SourceFile;
use crate::input::yaml::{self, Tree};

/// What a quantity counts: `None` for plain numbers and ratios.
pub type Unit = Option<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Exact value; a percentage is stored as its ratio (100% → 1).
    pub value: Decimal,
    pub unit: Unit,
    /// The figure as the writer typed it ("278.00", "100%"): how the prose shows it.
    pub display: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Datum {
    Quantity(Quantity),
    /// A qualitative level (健全, 较健全 …) or any other text.
    Text(String),
    /// Declared but not provided (`~`): indicators that need it are not applicable.
    Missing,
}

#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Every leaf by its dotted path: "公用经费.实际支出".
    pub fields: BTreeMap<String, Datum>,
    /// The same leaves in the file's nesting and order, for templates.
    pub tree: Vec<(String, Node)>,
    /// Where each leaf's value, or each group's key, was typed in data.yaml, by its dotted path.
    pub locations: BTreeMap<String, Location>,
}

impl Data {
    /// Where the value of the dotted `path` stands in data.yaml.
    pub fn locate(&self, path: &str) -> Option<&Location> {
        self.locations.get(path)
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    Leaf(Datum),
    Group(Vec<(String, Node)>),
}

/// The dotted name of `key` under the group `prefix` ("" at the top): 公用经费.预算数.
pub fn dotted(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl Data {
    /// The figures written `~`, dotted, in the file's order.
    pub fn unfilled(&self) -> Vec<String> {
        fn walk(nodes: &[(String, Node)], prefix: &str, out: &mut Vec<String>) {
            for (key, node) in nodes {
                let path = dotted(prefix, key);
                match node {
                    Node::Group(children) => walk(children, &path, out),
                    Node::Leaf(Datum::Missing) => out.push(path),
                    Node::Leaf(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.tree, "", &mut out);
        out
    }
}

pub fn load(file: Option<&SourceFile>) -> Result<Data> {
    let Some(file) = file else {
        return Ok(Data::default());
    };
    let origin = yaml::Origin::file(&file.path);
    let yaml::Read { tree, positions } = yaml::tree(&file.text, origin)?;
    let mut data = Data::default();
    let not_a_mapping = |message: Option<String>| {
        let message = message.unwrap_or_else(|| {
            "data.yaml 的最外层应是“名称: 值”，例如“预算:”下一行缩进两格写“年初预算数: 3369.82 万元”；现在是一段文字或一个列表，读不出任何数据。".to_string()
        });
        Err(Error::invalid(
            code::DATA,
            Location::new(&file.path, 1, 1),
            message,
        ))
    };
    let entries = match tree {
        Tree::Map(entries) => entries,
        Tree::Scalar(None) => return Ok(data),
        Tree::Scalar(Some(text)) => return not_a_mapping(number_problem(&text)),
        Tree::List(_) => return not_a_mapping(None),
    };
    let mut reader = Reader {
        positions,
        data: &mut data,
    };
    data.tree = reader.group(&entries, &[])?;
    Ok(data)
}

struct Reader<'a> {
    positions: yaml::Positions,
    data: &'a mut Data,
}

impl Reader<'_> {
    fn group(
        &mut self,
        entries: &[(String, Tree)],
        parents: &[&str],
    ) -> Result<Vec<(String, Node)>> {
        let mut nodes = Vec::with_capacity(entries.len());
        let mut seen = HashSet::with_capacity(entries.len());
        for (key, tree) in entries {
            let keys: Vec<&str> = parents.iter().copied().chain([key.as_str()]).collect();
            if !seen.insert(key) {
                // The positions keep the last of the two: where the repeat is.
                return Err(Error::invalid(
                    code::DATA,
                    self.positions.at(&keys),
                    format!(
                        "“{}”写了两次，后一个会覆盖前一个。请删去其中一个，或改成不同的名称。",
                        keys.join(".")
                    ),
                ));
            }
            let node = match tree {
                Tree::Map(children) => Node::Group(self.group(children, &keys)?),
                Tree::Scalar(Some(text)) => {
                    if let Some(message) = number_problem(text) {
                        let at = self.positions.at(&keys);
                        return Err(Error::Report(Box::new(
                            Diagnostic::error(code::DATA, at, message)
                                .with_length(text.chars().count()),
                        )));
                    }
                    Node::Leaf(parse_datum(text))
                }
                Tree::Scalar(None) => Node::Leaf(Datum::Missing),
                Tree::List(items) => Node::Leaf(Datum::Text(
                    items
                        .iter()
                        .filter_map(|item| match item {
                            Tree::Scalar(Some(text)) => Some(text.as_str()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("、"),
                )),
            };
            let path = keys.join(".");
            self.data
                .locations
                .insert(path.clone(), self.positions.at(&keys));
            if let Node::Leaf(datum) = &node {
                self.data.fields.insert(path, datum.clone());
            }
            nodes.push((key.clone(), node));
        }
        Ok(nodes)
    }
}

/// Figures gongwen would otherwise misread: "12,345.60 万元" (thousands separators, read as
/// text) and more digits than exact arithmetic keeps (which would be rounded).
fn number_problem(text: &str) -> Option<String> {
    let text = text.trim();
    // "预算数：240.63 万元" under a group: a key and its figure joined by a full-width colon,
    // which YAML reads as one piece of text.
    if let Some((key, figure)) = text.split_once('：')
        && !key.is_empty()
        && !key.contains(char::is_whitespace)
        && parse_quantity(figure).is_some()
    {
        return Some(format!(
            "“{text}”用了全角冒号，YAML 把它读成了一段文字，而不是“{key}”的值。请把“：”改成半角冒号加一个空格：{key}: {}",
            figure.trim()
        ));
    }
    let without_commas = text.replace(',', "");
    if without_commas.len() < text.len()
        && thousands_grouped(text)
        && parse_quantity(&without_commas).is_some()
    {
        return Some(format!(
            "数字不能带千分位逗号，否则会被当成文字。去掉千分位逗号：{without_commas}"
        ));
    }
    let number_end = number_end(text);
    let number = &text[..number_end];
    let digits = number.trim_start_matches(['+', '-']);
    let significant = digits
        .trim_start_matches(['0', '.'])
        .bytes()
        .filter(u8::is_ascii_digit)
        .count();
    if significant > 0 && Decimal::from_str_exact(number).is_err() && is_unit(&text[number_end..]) {
        return Some(format!(
            "数字“{number}”有 {significant} 位有效数字，超出精确计算的范围（最多 28 位），会被舍入。请减少位数。"
        ));
    }
    None
}

/// "12,345.60 万元": the number's integer part in groups of three digits after the first.
fn thousands_grouped(text: &str) -> bool {
    let number = &text[..text
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '-' || c == '+'))
        .unwrap_or(text.len())];
    let integer = number
        .trim_start_matches(['+', '-'])
        .split('.')
        .next()
        .unwrap_or("");
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && integer.contains(',')
}

/// "3369.82 万元" → 3369.82 in 万元; "100%" → ratio 1; "健全" → text.
pub fn parse_datum(text: &str) -> Datum {
    match parse_quantity(text) {
        Some(quantity) => Datum::Quantity(quantity),
        None => Datum::Text(text.trim().to_string()),
    }
}

/// Where the leading number of `text` ends: digits and points, a sign first.
fn number_end(text: &str) -> usize {
    text.char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i)
}

/// A unit is a short word (万元, 人, 个); anything with digits or punctuation is prose.
fn is_unit(unit: &str) -> bool {
    let unit = unit.trim();
    unit.chars().count() <= 4
        && unit
            .chars()
            .all(|c| c.is_alphabetic() || c == '%' || c == '％')
}

/// The number exactly as typed, or nothing: a figure is never rounded on the way in.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    let (number, unit) = text.split_at(number_end(text));
    if number.is_empty() || !number.bytes().any(|b| b.is_ascii_digit()) || !is_unit(unit) {
        return None;
    }
    let unit = unit.trim();
    let value = Decimal::from_str_exact(number).ok()?;
    if unit == "%" || unit == "％" {
        return Some(Quantity {
            value: value / Decimal::ONE_HUNDRED,
            unit: None,
            display: format!("{number}%"),
        });
    }
    Some(Quantity {
        value,
        unit: (!unit.is_empty()).then(|| unit.to_string()),
        display: number.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        parse_quantity(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn quantities_keep_units_and_digits() {
        assert_eq!(q("3369.82 万元").value, Decimal::new(336982, 2));
        assert_eq!(q("3369.82 万元").unit.as_deref(), Some("万元"));
        assert_eq!(q("278.00万元").display, "278.00");
        assert_eq!(q("33 人").unit.as_deref(), Some("人"));
        assert_eq!(q("100%").value, Decimal::ONE);
        assert_eq!(q("100%").display, "100%");
        assert_eq!(
            q("12345678901234567890.12").display,
            "12345678901234567890.12"
        );
        assert_eq!(q("-5").value, Decimal::from(-5));
    }

    #[test]
    fn text_stays_text() {
        for text in [
            "健全",
            "210,18",
            "3369.82.1",
            "1e5",
            "第3季度",
            "2023年12月31日",
        ] {
            assert!(parse_quantity(text).is_none(), "{text}");
        }
    }
}
