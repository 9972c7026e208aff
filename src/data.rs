//! Stage: the report's figures (data.yaml) as exact decimals with their units.
//!
//! A value is written as the writer would say it: `3369.82 万元`, `33 人`, `100%`, `健全`.
//! Numbers are read from the text the writer typed, never through f64.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::Result;
use crate::source::SourceFile;
use crate::yaml::{self, Tree};

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
}

#[derive(Debug, Clone)]
pub enum Node {
    Leaf(Datum),
    Group(Vec<(String, Node)>),
}

impl Data {
    /// The figures written `~`, dotted, in the file's order.
    pub fn unfilled(&self) -> Vec<String> {
        fn walk(nodes: &[(String, Node)], prefix: &str, out: &mut Vec<String>) {
            for (key, node) in nodes {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
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
    let tree = yaml::tree(&file.text, yaml::Origin::file(&file.path))?;
    let mut data = Data::default();
    if let Tree::Map(entries) = tree {
        data.tree = group(&entries, "", &mut data.fields);
    }
    Ok(data)
}

fn group(
    entries: &[(String, Tree)],
    prefix: &str,
    fields: &mut BTreeMap<String, Datum>,
) -> Vec<(String, Node)> {
    entries
        .iter()
        .map(|(key, tree)| {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let node = match tree {
                Tree::Map(children) => Node::Group(group(children, &path, fields)),
                Tree::Scalar(Some(text)) => Node::Leaf(parse_datum(text)),
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
            if let Node::Leaf(datum) = &node {
                fields.insert(path, datum.clone());
            }
            (key.clone(), node)
        })
        .collect()
}

/// "3369.82 万元" → 3369.82 in 万元; "100%" → ratio 1; "健全" → text.
pub fn parse_datum(text: &str) -> Datum {
    match parse_quantity(text) {
        Some(quantity) => Datum::Quantity(quantity),
        None => Datum::Text(text.trim().to_string()),
    }
}

pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    let number_end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(number_end);
    let unit = unit.trim();
    if number.is_empty() || !number.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // A unit is a short word (万元, 人, 个); anything with digits or punctuation is prose.
    let plausible_unit = unit.chars().count() <= 4
        && unit
            .chars()
            .all(|c| c.is_alphabetic() || c == '%' || c == '％');
    if !plausible_unit {
        return None;
    }
    let value = Decimal::from_str_exact(number)
        .or_else(|_| Decimal::from_str(number))
        .ok()?;
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
