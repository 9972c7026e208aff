//! Stage: compute the indicators defined in indicators.yaml from the data, decide verdicts,
//! and check the data identities the writer declared.
//!
//! Values are exact decimals; they are rounded once, for display, half away from zero
//! (四舍五入). Targets are compared with the exact value, so 94.996% misses a ≥ 95% target
//! even though it displays as "95.00%". An indicator that refers to another uses the other's
//! exact value.

use std::collections::HashMap;

use crate::diag::{Diagnostic, code};
use crate::diag::{Error, Location, Result};
use crate::eval::formula::{self, Env, Expr, Value};
use crate::input::data::{self, Data, Datum, Unit};
use crate::input::indicator_set::IndicatorSet;
pub use crate::input::indicator_set::{Definition, Wording};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    AtMost,
    AtLeast,
    Equal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub comparison: Comparison,
    pub value: Decimal,
    pub unit: Unit,
    /// As written, without the comparison: "100%".
    pub display: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Value(Decimal),
    /// Why: "分母为零", "人员.编制数 未提供".
    NotApplicable(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    NotApplicable,
    /// The indicator has no target.
    Unjudged,
}

/// One figure a formula used, as shown to the writer.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: String,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub definition: Definition,
    pub location: Location,
    pub outcome: Outcome,
    pub unit: Unit,
    pub target: Option<Target>,
    pub verdict: Verdict,
    pub inputs: Vec<Input>,
    /// The verdict's words, from the indicator or the file's defaults.
    pub verdict_text: String,
}

impl Indicator {
    pub fn display_name(&self) -> &str {
        self.definition
            .display_name
            .as_deref()
            .unwrap_or(&self.definition.name)
    }

    pub fn is_percent(&self) -> bool {
        self.definition.unit.as_deref() == Some("%")
    }

    /// "90.54%", "32", or the not-applicable wording.
    pub fn display_value(&self) -> String {
        match &self.outcome {
            Outcome::Value(value) => {
                format_value(*value, self.is_percent(), self.definition.decimals)
            }
            Outcome::NotApplicable(_) => self.verdict_text.clone(),
        }
    }
}

/// Rounds half away from zero (四舍五入) and keeps the decimals: 456 → "456.00".
pub fn format_value(value: Decimal, percent: bool, decimals: u32) -> String {
    // Indicators too large to be a percentage are refused when computed (see `indicator`).
    let shown = if percent {
        value.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(value)
    } else {
        value
    };
    let mut rounded =
        shown.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(decimals);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    if percent {
        format!("{rounded}%")
    } else {
        rounded.to_string()
    }
}

/// What indicators.yaml computes from data.yaml.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    pub list: Vec<Indicator>,
    pub wording: Wording,
    /// The 校验 identities whose two sides differ: the check's rule D001 reports them.
    pub broken: Vec<BrokenIdentity>,
}

/// A 校验 identity that does not hold, each side as written and as computed.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenIdentity {
    pub location: Location,
    /// The identity as written.
    pub text: String,
    pub left: (String, String),
    pub right: (String, String),
}

impl Indicators {
    pub fn get(&self, name: &str) -> Option<&Indicator> {
        self.list.iter().find(|i| i.definition.name == name)
    }
}

pub fn evaluate(set: Option<&IndicatorSet>, data: &Data) -> Result<Indicators> {
    let Some(parsed) = set else {
        return Ok(Indicators::default());
    };
    let mut locations = Vec::new();
    let mut expressions = Vec::new();
    let mut index = HashMap::new();
    for (i, definition) in parsed.indicators.iter().enumerate() {
        let location = definition.location.clone();
        if index.insert(definition.name.as_str(), i).is_some() {
            return Err(Error::invalid(
                code::INDICATOR,
                location,
                format!("指标“{}”定义了两次。", definition.name),
            ));
        }
        if definition.decimals > 10 {
            return Err(Error::invalid(
                code::INDICATOR,
                location,
                "小数位最多为 10。",
            ));
        }
        let expr = formula::parse(&definition.formula)
            .map_err(|e| placed(e, &location, |m| format!("公式有误：{m}。")))?;
        expressions.push(expr);
        locations.push(location);
    }
    let known = |name: &str| index.contains_key(name) || data.fields.contains_key(name);
    for (expr, location) in expressions.iter().zip(&locations) {
        check_names(expr, location, &known, data, &index)?;
    }
    let mut evaluator = Evaluator {
        data,
        definitions: &parsed.indicators,
        expressions: &expressions,
        locations: &locations,
        index: &index,
        values: vec![None; parsed.indicators.len()],
        stack: Vec::new(),
    };
    // Each indicator is evaluated after the ones it uses, so a lookup of another indicator
    // finds its value ready and evaluation never nests, however long the chain.
    // A name that is also a data field is the field, as in `lookup`.
    let uses: Vec<Vec<usize>> = expressions
        .iter()
        .map(|expr| {
            expr.names()
                .into_iter()
                .filter(|name| !data.fields.contains_key(*name))
                .filter_map(|name| index.get(name).copied())
                .collect()
        })
        .collect();
    let order = evaluation_order(&uses).map_err(|cycle| {
        let names: Vec<&str> = cycle
            .iter()
            .chain(&cycle[..1])
            .map(|&k| parsed.indicators[k].name.as_str())
            .collect();
        let message = format!("指标之间循环引用：{}。", names.join(" → "));
        placed(at_formula(message), &locations[cycle[0]], str::to_string)
    })?;
    for i in order {
        evaluator
            .indicator(i)
            .map_err(|e| placed(e, &locations[i], str::to_string))?;
    }
    let mut list = Vec::new();
    for (i, definition) in parsed.indicators.iter().enumerate() {
        let value = evaluator
            .indicator(i)
            .map_err(|e| placed(e, &locations[i], str::to_string))?;
        let inputs = evaluator.inputs(&expressions[i]);
        list.push(judge(
            definition,
            locations[i].clone(),
            value,
            inputs,
            &parsed.wording,
        )?);
    }
    let mut broken = Vec::new();
    for identity in &parsed.identities {
        broken.extend(check_identity(
            identity.location.clone(),
            &identity.text,
            &mut evaluator,
        )?);
    }
    Ok(Indicators {
        list,
        wording: parsed.wording.clone(),
        broken,
    })
}

fn check_names(
    expr: &Expr,
    location: &Location,
    known: &dyn Fn(&str) -> bool,
    data: &Data,
    index: &HashMap<&str, usize>,
) -> Result<()> {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Name(name, offset) if !known(name) => {
                let candidates = data
                    .fields
                    .keys()
                    .map(String::as_str)
                    .chain(index.keys().copied());
                let hint = crate::diag::suggest::closest(name, candidates);
                return Err(Error::invalid(
                    code::INDICATOR,
                    shift(location, *offset),
                    format!("公式引用了不存在的字段或指标“{name}”。{hint}"),
                ));
            }
            Expr::Negate(inner) => stack.push(inner),
            Expr::Binary(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Expr::Call(_, args) => stack.extend(args),
            _ => {}
        }
    }
    Ok(())
}

/// The indicators in an order where each follows every one it `uses`, or a cycle among them
/// (each using the next, the last the first). A depth-first walk with its own stack: a chain
/// of a hundred thousand indicators needs no deeper call stack than a chain of two.
fn evaluation_order(uses: &[Vec<usize>]) -> std::result::Result<Vec<usize>, Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unseen,
        OnPath,
        Ordered,
    }
    let mut mark = vec![Mark::Unseen; uses.len()];
    let mut order = Vec::with_capacity(uses.len());
    for root in 0..uses.len() {
        if mark[root] != Mark::Unseen {
            continue;
        }
        mark[root] = Mark::OnPath;
        // Each indicator on the path with the number of its uses already followed.
        let mut path = vec![(root, 0)];
        while let Some((i, followed)) = path.last_mut() {
            let i = *i;
            let Some(&j) = uses[i].get(*followed) else {
                mark[i] = Mark::Ordered;
                order.push(i);
                path.pop();
                continue;
            };
            *followed += 1;
            match mark[j] {
                Mark::Unseen => {
                    mark[j] = Mark::OnPath;
                    path.push((j, 0));
                }
                Mark::OnPath => {
                    let start = path.iter().position(|&(k, _)| k == j).unwrap_or(0);
                    return Err(path[start..].iter().map(|&(k, _)| k).collect());
                }
                Mark::Ordered => {}
            }
        }
    }
    Ok(order)
}

struct Evaluator<'a> {
    data: &'a Data,
    definitions: &'a [Definition],
    expressions: &'a [Expr],
    /// Where each indicator's formula stands.
    locations: &'a [Location],
    index: &'a HashMap<&'a str, usize>,
    values: Vec<Option<Value>>,
    stack: Vec<usize>,
}

impl Evaluator<'_> {
    fn indicator(&mut self, i: usize) -> std::result::Result<Value, Diagnostic> {
        if let Some(value) = &self.values[i] {
            return Ok(value.clone());
        }
        self.stack.push(i);
        let result = formula::eval(&self.expressions[i], self);
        self.stack.pop();
        let value = result?;
        let unit = &self.definitions[i].unit;
        if let Value::Quantity { unit: got, .. } = &value {
            let expected = match unit.as_deref() {
                Some("%") | None => None,
                Some(u) => Some(u.to_string()),
            };
            if unit.is_some() && *got != expected {
                return Err(at_formula(format!(
                    "公式结果的单位是“{}”，但指标的单位是“{}”。比率的分子分母要用同一单位。",
                    got.as_deref().unwrap_or("无单位"),
                    unit.as_deref().unwrap_or("无单位")
                )));
            }
        }
        if let (Some("%"), Value::Quantity { value: ratio, .. }) = (unit.as_deref(), &value)
            && ratio.checked_mul(Decimal::ONE_HUNDRED).is_none()
        {
            return Err(at_formula(format!(
                "指标值过大，无法写成百分比（{ratio} 倍）。请检查公式的分母和 data.yaml 中的数字。"
            )));
        }
        self.values[i] = Some(value.clone());
        Ok(value)
    }
}

impl Evaluator<'_> {
    /// The figures a formula used, each once, as the writer sees them.
    fn inputs(&mut self, expr: &Expr) -> Vec<Input> {
        let mut inputs: Vec<Input> = Vec::new();
        for name in expr.names() {
            if inputs.iter().any(|input| input.name == name) {
                continue;
            }
            let display = match self.data.fields.get(name) {
                Some(Datum::Quantity(q)) => {
                    format!("{}{}", q.display, q.unit.as_deref().unwrap_or(""))
                }
                Some(Datum::Missing) => "未提供".into(),
                Some(Datum::Text(text)) => text.clone(),
                None => match self.index.get(name).map(|&i| (i, self.indicator(i))) {
                    Some((i, Ok(Value::Quantity { value, .. }))) => {
                        let definition = &self.definitions[i];
                        format_value(
                            value,
                            definition.unit.as_deref() == Some("%"),
                            definition.decimals,
                        )
                    }
                    _ => "不适用".into(),
                },
            };
            inputs.push(Input {
                name: name.to_string(),
                display,
            });
        }
        inputs
    }
}

impl Env for Evaluator<'_> {
    fn lookup(&mut self, name: &str) -> std::result::Result<Value, Diagnostic> {
        match self.data.fields.get(name) {
            Some(Datum::Quantity(q)) => Ok(Value::Quantity {
                value: q.value,
                unit: q.unit.clone(),
            }),
            Some(Datum::Missing) => Ok(Value::NotApplicable(format!("{name} 未提供"))),
            // The value is what is wrong: the error points at it in data.yaml.
            Some(Datum::Text(text)) => {
                let user = match self.stack.last() {
                    Some(&i) => format!(
                        "指标“{}”的公式（{}）",
                        self.definitions[i].name, self.locations[i]
                    ),
                    None => "校验式".to_string(),
                };
                let message = format!("“{name}”的值“{text}”不是数值，不能参与{user}的计算");
                let fix = "数值写成数字加单位，例如 12345.60 万元";
                Err(match self.data.locate(name) {
                    Some(at) => Diagnostic::error(code::DATA, at.clone(), message)
                        .with_length(text.chars().count())
                        .with_fix(fix),
                    None => at_formula(format!("{message}。{fix}。")),
                })
            }
            None => match self.index.get(name) {
                Some(&i) => self.indicator(i),
                None => Err(at_formula(format!("不存在的字段或指标“{name}”。"))),
            },
        }
    }
}

fn judge(
    definition: &Definition,
    location: Location,
    value: Value,
    inputs: Vec<Input>,
    wording: &Wording,
) -> Result<Indicator> {
    let target = definition
        .target
        .as_deref()
        .map(|text| {
            parse_target(text).ok_or_else(|| {
                Error::invalid(
                    code::INDICATOR,
                    location.clone(),
                    format!("目标“{text}”看不懂。请写成 ≤ 100%、≥ 95% 或 = 100% 这样的形式。"),
                )
            })
        })
        .transpose()?;
    let (outcome, unit) = match value {
        Value::Quantity { value, unit } => (Outcome::Value(value), unit),
        Value::NotApplicable(reason) => (Outcome::NotApplicable(reason), None),
    };
    if let (Some(target), Outcome::Value(_)) = (&target, &outcome)
        && target.unit != unit
    {
        return Err(Error::invalid(
            code::INDICATOR,
            location,
            format!(
                "目标的单位“{}”与指标的单位“{}”不一致。",
                target.unit.as_deref().unwrap_or("无单位"),
                unit.as_deref().unwrap_or("无单位")
            ),
        ));
    }
    let verdict = match (&outcome, &target) {
        (Outcome::NotApplicable(_), _) => Verdict::NotApplicable,
        (Outcome::Value(_), None) => Verdict::Unjudged,
        (Outcome::Value(value), Some(target)) => {
            let met = match target.comparison {
                Comparison::AtMost => *value <= target.value,
                Comparison::AtLeast => *value >= target.value,
                Comparison::Equal => *value == target.value,
            };
            if met { Verdict::Met } else { Verdict::NotMet }
        }
    };
    let verdict_text = match verdict {
        Verdict::Met => definition
            .met
            .clone()
            .unwrap_or_else(|| wording.met.clone()),
        Verdict::NotMet => definition
            .not_met
            .clone()
            .unwrap_or_else(|| wording.not_met.clone()),
        Verdict::NotApplicable => definition
            .not_applicable
            .clone()
            .unwrap_or_else(|| wording.not_applicable.clone()),
        Verdict::Unjudged => String::new(),
    };
    Ok(Indicator {
        definition: definition.clone(),
        location,
        outcome,
        unit,
        target,
        verdict,
        inputs,
        verdict_text,
    })
}

/// "≤ 100%", "<= 100%", "≥95%", "= 100%", "≤ 33 人".
pub fn parse_target(text: &str) -> Option<Target> {
    let text = text.trim();
    let (comparison, rest) = [
        ("≤", Comparison::AtMost),
        ("<=", Comparison::AtMost),
        ("≥", Comparison::AtLeast),
        (">=", Comparison::AtLeast),
        ("=", Comparison::Equal),
        ("＝", Comparison::Equal),
    ]
    .into_iter()
    .find_map(|(prefix, c)| text.strip_prefix(prefix).map(|rest| (c, rest)))?;
    let quantity = data::parse_quantity(rest)?;
    Some(Target {
        comparison,
        value: quantity.value,
        unit: quantity.unit,
        display: rest.trim().to_string(),
    })
}

/// "A + B = C": both sides are computed exactly; the identity if they differ.
fn check_identity(
    location: Location,
    identity: &str,
    evaluator: &mut Evaluator<'_>,
) -> Result<Option<BrokenIdentity>> {
    let Some((left, right)) = identity.split_once(['=', '＝']) else {
        return Err(Error::invalid(
            code::INDICATOR,
            location,
            "校验式要写成“左边 = 右边”。",
        ));
    };
    let side = |text: &str, offset: usize, evaluator: &mut Evaluator<'_>| -> Result<Value> {
        let start = shift(&location, offset);
        let expr = formula::parse(text)
            .map_err(|e| placed(e, &start, |m| format!("校验式有误：{m}。")))?;
        formula::eval(&expr, evaluator).map_err(|e| placed(e, &start, str::to_string))
    };
    let left_value = side(left, 0, evaluator)?;
    let right_value = side(right, left.chars().count() + 1, evaluator)?;
    // A side with a figure not provided yet (`~`) cannot be checked until it is filled in.
    let unknown = |v: &Value| matches!(v, Value::NotApplicable(_));
    if unknown(&left_value) || unknown(&right_value) || left_value == right_value {
        return Ok(None);
    }
    let show = |v: &Value| match v {
        Value::Quantity { value, unit } => format!("{value}{}", unit.as_deref().unwrap_or("")),
        Value::NotApplicable(reason) => reason.clone(),
    };
    Ok(Some(BrokenIdentity {
        location,
        text: identity.trim().to_string(),
        left: (left.trim().to_string(), show(&left_value)),
        right: (right.trim().to_string(), show(&right_value)),
    }))
}

/// An error about a whole formula, placed at its start by [`placed`].
fn at_formula(message: String) -> Diagnostic {
    Diagnostic::error(code::INDICATOR, Location::new("", 1, 1), message)
}

/// A formula's diagnostic put where the formula stands (`start`), its message as `say` puts it.
fn placed(diagnostic: Diagnostic, start: &Location, say: impl Fn(&str) -> String) -> Error {
    let mut diagnostic = diagnostic.placed_at(start);
    diagnostic.message = say(&diagnostic.message);
    Error::Report(Box::new(diagnostic))
}

fn shift(location: &Location, chars: usize) -> Location {
    Location::new(&location.file, location.line, location.column + chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chain_is_ordered_and_a_long_cycle_found_without_recursion() {
        let n = 100_000;
        // Each indicator uses the next; the last uses nothing, or the first.
        let mut uses: Vec<Vec<usize>> = (1..n).map(|next| vec![next]).collect();
        uses.push(Vec::new());
        let order: Vec<usize> = (0..n).rev().collect();
        assert_eq!(evaluation_order(&uses), Ok(order));
        uses[n - 1].push(0);
        assert_eq!(evaluation_order(&uses), Err((0..n).collect()));
    }

    #[test]
    fn display_rounds_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(format_value(d("2.665"), false, 2), "2.67");
        assert_eq!(format_value(d("1.005"), false, 2), "1.01");
        assert_eq!(format_value(d("-1.005"), false, 2), "-1.01");
        assert_eq!(format_value(d("0.02665"), true, 2), "2.67%");
        assert_eq!(format_value(d("456"), false, 2), "456.00");
        assert_eq!(format_value(d("-0.001"), false, 2), "0.00");
    }

    #[test]
    fn targets() {
        let t = parse_target("≤ 100%").unwrap();
        assert_eq!(
            (t.comparison, t.value, t.display.as_str()),
            (Comparison::AtMost, Decimal::ONE, "100%")
        );
        assert_eq!(
            parse_target(">=95%").unwrap().value,
            "0.95".parse().unwrap()
        );
        assert_eq!(parse_target("= 33 人").unwrap().unit.as_deref(), Some("人"));
        assert!(parse_target("大约 100%").is_none());
    }
}
