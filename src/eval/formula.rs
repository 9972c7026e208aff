//! Formulas over data fields and other indicators: + − × ÷, parentheses, abs/min/max.
//! Exact decimal arithmetic; a zero denominator makes the result not applicable.

use rust_decimal::Decimal;

use crate::diag::Location;
use crate::diag::{Diagnostic, code};
use crate::input::data::Unit;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(Decimal),
    /// A data field or indicator, with its character offset in the formula.
    Name(String, usize),
    Negate(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Abs,
    Min,
    Max,
}

/// An error in a formula, placed relative to it (no file, line 1, the column counted from
/// its first character): the caller places it with [`Diagnostic::placed_at`].
fn error_at(offset: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code::INDICATOR, Location::new("", 1, offset + 1), message)
}

/// An error about the whole formula (a unit mismatch, an overflow).
fn failed(message: impl Into<String>) -> Diagnostic {
    error_at(0, message)
}

/// The value of a formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Quantity {
        value: Decimal,
        unit: Unit,
    },
    /// A denominator was zero or an input was not provided; says which.
    NotApplicable(String),
}

/// Where names get their values.
pub trait Env {
    fn lookup(&mut self, name: &str) -> Result<Value, Diagnostic>;
}

impl Expr {
    /// Every name the formula refers to, in order.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    /// Every name the formula refers to with its character offset in the formula, in order.
    pub fn names_at(&self) -> Vec<(&str, usize)> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        let mut at = Vec::new();
        self.collect(&mut at);
        out.extend(at.into_iter().map(|(name, _)| name));
    }

    fn collect<'a>(&'a self, out: &mut Vec<(&'a str, usize)>) {
        match self {
            Expr::Number(_) => {}
            Expr::Name(name, offset) => out.push((name, *offset)),
            Expr::Negate(e) => e.collect(out),
            Expr::Binary(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
    }
}

/// Real formulas have a dozen tokens. The parser and the evaluator recurse once per nesting
/// level and per operator, so a bound here keeps a pathological formula off the stack's end.
const MAX_TOKENS: usize = 200;

pub fn parse(text: &str) -> Result<Expr, Diagnostic> {
    let tokens = tokenize(text)?;
    if let Some((offset, _)) = tokens.get(MAX_TOKENS) {
        return Err(error_at(
            *offset,
            format!("公式过长：最多 {MAX_TOKENS} 个数、名称、运算符和括号；请把它拆成几个指标"),
        ));
    }
    let mut parser = Parser {
        tokens,
        position: 0,
        end: text.chars().count(),
    };
    let expr = parser.expression()?;
    match parser.tokens.get(parser.position) {
        None => Ok(expr),
        Some((offset, token)) => Err(error_at(*offset, format!("多余的“{}”", token.text()))),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(Decimal, String),
    Name(String),
    Op(Op),
    Open,
    Close,
    Comma,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Number(_, text) | Token::Name(text) => text.clone(),
            Token::Op(Op::Add) => "+".into(),
            Token::Op(Op::Subtract) => "-".into(),
            Token::Op(Op::Multiply) => "×".into(),
            Token::Op(Op::Divide) => "÷".into(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
        }
    }
}

fn operator(c: char) -> Option<Token> {
    Some(match c {
        '+' | '＋' => Token::Op(Op::Add),
        '-' | '−' | '－' => Token::Op(Op::Subtract),
        '*' | '×' | '＊' => Token::Op(Op::Multiply),
        '/' | '÷' | '／' => Token::Op(Op::Divide),
        '(' | '（' => Token::Open,
        ')' | '）' => Token::Close,
        ',' | '，' => Token::Comma,
        _ => return None,
    })
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, Diagnostic> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '\u{3000}' {
            i += 1;
        } else if let Some(token) = operator(c) {
            tokens.push((i, token));
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            let mut value = Decimal::from_str_exact(&number)
                .map_err(|_| error_at(start, format!("“{number}”不是数字")))?;
            let mut written = number;
            if i < chars.len() && matches!(chars[i], '%' | '％') {
                value /= Decimal::ONE_HUNDRED;
                written.push('%');
                i += 1;
            }
            tokens.push((start, Token::Number(value, written)));
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && operator(chars[i]).is_none()
                && chars[i] != '\u{3000}'
            {
                i += 1;
            }
            tokens.push((start, Token::Name(chars[start..i].iter().collect())));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    position: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.position).map_or(self.end, |(o, _)| *o)
    }

    fn expression(&mut self) -> Result<Expr, Diagnostic> {
        let mut left = self.term()?;
        while let Some(Token::Op(op @ (Op::Add | Op::Subtract))) = self.peek() {
            let op = *op;
            self.position += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, Diagnostic> {
        let mut left = self.factor()?;
        while let Some(Token::Op(op @ (Op::Multiply | Op::Divide))) = self.peek() {
            let op = *op;
            self.position += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, Diagnostic> {
        let offset = self.offset();
        let Some((_, token)) = self.tokens.get(self.position).cloned() else {
            return Err(error_at(offset, "公式不完整，缺少一个值"));
        };
        self.position += 1;
        match token {
            Token::Number(value, _) => Ok(Expr::Number(value)),
            Token::Op(Op::Subtract) => Ok(Expr::Negate(Box::new(self.factor()?))),
            Token::Open => {
                let inner = self.expression()?;
                self.close(offset)?;
                Ok(inner)
            }
            Token::Name(name) => {
                let function = match name.as_str() {
                    "abs" | "绝对值" => Some(Function::Abs),
                    "min" | "最小值" => Some(Function::Min),
                    "max" | "最大值" => Some(Function::Max),
                    _ => None,
                };
                match function {
                    Some(function) if self.peek() == Some(&Token::Open) => {
                        self.position += 1;
                        let mut args = vec![self.expression()?];
                        while self.peek() == Some(&Token::Comma) {
                            self.position += 1;
                            args.push(self.expression()?);
                        }
                        self.close(offset)?;
                        if function == Function::Abs && args.len() != 1 {
                            return Err(error_at(offset, "abs 只接受一个参数"));
                        }
                        Ok(Expr::Call(function, args))
                    }
                    _ => Ok(Expr::Name(name, offset)),
                }
            }
            other => Err(error_at(
                offset,
                format!("这里应是一个值，却是“{}”", other.text()),
            )),
        }
    }

    fn close(&mut self, open: usize) -> Result<(), Diagnostic> {
        if self.peek() == Some(&Token::Close) {
            self.position += 1;
            Ok(())
        } else {
            Err(error_at(open, "括号没有闭合"))
        }
    }
}

fn unit_name(unit: &Unit) -> &str {
    unit.as_deref().unwrap_or("无单位")
}

fn overflow() -> Diagnostic {
    failed("数值超出可计算的范围")
}

pub fn eval(expr: &Expr, env: &mut dyn Env) -> Result<Value, Diagnostic> {
    match expr {
        Expr::Number(value) => Ok(Value::Quantity {
            value: *value,
            unit: None,
        }),
        Expr::Name(name, _) => env.lookup(name),
        Expr::Negate(inner) => Ok(match eval(inner, env)? {
            Value::Quantity { value, unit } => Value::Quantity {
                value: -value,
                unit,
            },
            na => na,
        }),
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a, env)?, eval(b, env)?);
            let (Value::Quantity { value: x, unit: ux }, Value::Quantity { value: y, unit: uy }) =
                (&a, &b)
            else {
                return Ok(if matches!(a, Value::NotApplicable(_)) {
                    a
                } else {
                    b
                });
            };
            binary(*op, (*x, ux), (*y, uy))
        }
        Expr::Call(function, args) => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                match eval(arg, env)? {
                    Value::Quantity { value, unit } => values.push((value, unit)),
                    na => return Ok(na),
                }
            }
            let (first, rest) = values.split_first().ok_or_else(|| failed("函数缺少参数"))?;
            if let Some((_, unit)) = rest.iter().find(|(_, u)| u != &first.1) {
                return Err(failed(format!(
                    "单位不一致：{} 与 {}",
                    unit_name(&first.1),
                    unit_name(unit)
                )));
            }
            let value = match function {
                Function::Abs => first.0.abs(),
                Function::Min => values.iter().map(|v| v.0).min().unwrap_or(first.0),
                Function::Max => values.iter().map(|v| v.0).max().unwrap_or(first.0),
            };
            Ok(Value::Quantity {
                value,
                unit: first.1.clone(),
            })
        }
    }
}

fn binary(
    op: Op,
    (x, ux): (Decimal, &Unit),
    (y, uy): (Decimal, &Unit),
) -> Result<Value, Diagnostic> {
    let mismatch = || {
        failed(format!(
            "单位不一致：{} 与 {}，请统一单位后再计算",
            unit_name(ux),
            unit_name(uy)
        ))
    };
    let (value, unit) = match op {
        Op::Add | Op::Subtract => {
            if ux != uy {
                return Err(mismatch());
            }
            let value = if op == Op::Add {
                x.checked_add(y)
            } else {
                x.checked_sub(y)
            };
            (value.ok_or_else(overflow)?, ux.clone())
        }
        Op::Multiply => {
            let unit = match (ux, uy) {
                (None, u) | (u, None) => u.clone(),
                _ => return Err(mismatch()),
            };
            (x.checked_mul(y).ok_or_else(overflow)?, unit)
        }
        Op::Divide => {
            if y.is_zero() {
                return Ok(Value::NotApplicable("分母为零".into()));
            }
            let unit = match (ux, uy) {
                (a, b) if a == b => None,
                (u, None) => u.clone(),
                _ => return Err(mismatch()),
            };
            (x.checked_div(y).ok_or_else(overflow)?, unit)
        }
    };
    Ok(Value::Quantity { value, unit })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, Value>);

    impl Env for Map {
        fn lookup(&mut self, name: &str) -> Result<Value, Diagnostic> {
            self.0
                .get(name)
                .cloned()
                .ok_or_else(|| failed(format!("unknown {name}")))
        }
    }

    fn wan(v: &str) -> Value {
        Value::Quantity {
            value: v.parse().unwrap(),
            unit: Some("万元".into()),
        }
    }

    fn run(formula: &str, env: &mut Map) -> Result<Value, String> {
        eval(&parse(formula).map_err(|e| e.message)?, env).map_err(|e| e.message)
    }

    fn offset(formula: &str) -> usize {
        parse(formula).unwrap_err().location.column - 1
    }

    #[test]
    fn precedence_parentheses_and_units() {
        let mut env = Map(HashMap::from([
            ("甲", wan("3369.82")),
            ("乙", wan("3099.42")),
        ]));
        assert_eq!(
            run("(甲 - 乙) / 甲", &mut env).unwrap(),
            Value::Quantity {
                value: "270.40".parse::<Decimal>().unwrap() / "3369.82".parse::<Decimal>().unwrap(),
                unit: None,
            }
        );
        assert_eq!(run("abs(乙 - 甲)", &mut env).unwrap(), wan("270.40"));
        assert_eq!(
            run("1 + 2 × 3", &mut env).unwrap(),
            Value::Quantity {
                value: 7.into(),
                unit: None
            }
        );
        assert_eq!(
            run("-(2 - 5)", &mut env).unwrap(),
            Value::Quantity {
                value: 3.into(),
                unit: None
            }
        );
        assert_eq!(
            run("50%", &mut env).unwrap(),
            Value::Quantity {
                value: "0.5".parse().unwrap(),
                unit: None
            }
        );
    }

    #[test]
    fn zero_denominator_is_not_applicable() {
        let mut env = Map(HashMap::from([("零", wan("0")), ("甲", wan("5"))]));
        assert!(matches!(
            run("零 / 零", &mut env).unwrap(),
            Value::NotApplicable(_)
        ));
        assert!(matches!(
            run("甲 / 零 + 1", &mut env).unwrap(),
            Value::NotApplicable(_)
        ));
    }

    #[test]
    fn unit_mismatch_is_an_error() {
        let yuan = Value::Quantity {
            value: 5.into(),
            unit: Some("元".into()),
        };
        let mut env = Map(HashMap::from([("甲", wan("5")), ("乙", yuan)]));
        assert!(run("甲 + 乙", &mut env).unwrap_err().contains("单位不一致"));
        assert!(run("甲 / 乙", &mut env).unwrap_err().contains("单位不一致"));
    }

    #[test]
    fn syntax_errors_have_offsets() {
        assert_eq!(offset("甲 / (乙 - 丙"), 4);
        assert_eq!(offset("甲 / "), 4);
        assert_eq!(offset("甲 乙"), 2);
        assert!(parse("1.2.3").is_err());
    }

    #[test]
    fn long_formulas_are_refused_not_overflowed() {
        let chain = format!("1{}", " + 1".repeat(100_000));
        let err = parse(&chain).unwrap_err();
        assert!(err.message.contains("公式过长"), "{}", err.message);
        let nested = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(offset(&nested), MAX_TOKENS);
        let within = format!("1{}", " + 1".repeat(MAX_TOKENS / 2 - 1));
        assert!(parse(&within).is_ok());
    }

    #[test]
    fn large_values_overflow_cleanly() {
        let big = Value::Quantity {
            value: Decimal::MAX,
            unit: None,
        };
        let mut env = Map(HashMap::from([("大", big)]));
        assert!(run("大 × 大", &mut env).unwrap_err().contains("范围"));
        assert!(run("大 + 大", &mut env).unwrap_err().contains("范围"));
    }
}
