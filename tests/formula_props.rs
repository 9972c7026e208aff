//! The formula evaluator against an independent reference: exact rationals in i128.

use std::collections::HashMap;

use gongwen::diag::Diagnostic;
use gongwen::diag::Location;
use gongwen::eval::formula::{self, Env, Value};
use gongwen::eval::indicators::format_value;
use proptest::prelude::*;
use rust_decimal::Decimal;

struct Fields(HashMap<&'static str, Decimal>);

impl Env for Fields {
    fn lookup(&mut self, name: &str) -> Result<Value, Diagnostic> {
        self.0
            .get(name)
            .map(|v| Value::Quantity {
                value: *v,
                unit: Some("万元".into()),
            })
            .ok_or_else(|| Diagnostic::error("E004", Location::new("", 1, 1), name))
    }
}

/// n/d as a percentage with two decimals, rounded half away from zero, by integer arithmetic.
fn reference_percent(n: i128, d: i128) -> String {
    let scaled = n * 10_000;
    let (q, r) = (scaled / d, scaled % d);
    let q = if 2 * r.abs() >= d.abs() {
        q + scaled.signum() * d.signum()
    } else {
        q
    };
    let sign = if q < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}%", q.abs() / 100, q.abs() % 100)
}

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

proptest! {
    #[test]
    fn ratio_of_sums_matches_exact_rationals(a in -10_000_000_000i64..10_000_000_000, b in 0i64..10_000_000_000, c in 1i64..10_000_000_000) {
        let mut env = Fields(HashMap::from([("甲", cents(a)), ("乙", cents(b)), ("丙", cents(c))]));
        let expr = formula::parse("(甲 + 乙) / 丙").unwrap();
        let Value::Quantity { value, unit } = formula::eval(&expr, &mut env).unwrap() else {
            panic!("not applicable");
        };
        prop_assert_eq!(unit, None);
        let expected = reference_percent(i128::from(a) + i128::from(b), i128::from(c));
        let shown = format_value(value, true, 2);
        // -0.00% and 0.00% are the same figure.
        prop_assert_eq!(shown.trim_start_matches('-'), expected.trim_start_matches('-'));
    }

    #[test]
    fn sums_and_products_are_exact(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000) {
        let mut env = Fields(HashMap::from([("甲", cents(a)), ("乙", cents(b))]));
        let expr = formula::parse("甲 - 乙 × 2 + abs(乙)").unwrap();
        let Value::Quantity { value, .. } = formula::eval(&expr, &mut env).unwrap() else {
            panic!("not applicable");
        };
        let expected = i128::from(a) - 2 * i128::from(b) + i128::from(b).abs();
        prop_assert_eq!(value, Decimal::from_i128_with_scale(expected, 2));
    }

    #[test]
    fn zero_denominator_is_never_a_number(a in -1_000_000i64..1_000_000) {
        let mut env = Fields(HashMap::from([("甲", cents(a)), ("零", Decimal::ZERO)]));
        let expr = formula::parse("甲 / 零").unwrap();
        prop_assert!(matches!(formula::eval(&expr, &mut env).unwrap(), Value::NotApplicable(_)));
    }

    #[test]
    fn any_formula_text_parses_or_errors_without_panic(text in "\\PC{0,40}") {
        let _ = formula::parse(&text);
    }
}
