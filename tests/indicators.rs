//! Numbers come from data: indicators computed exactly, filled into the prose, verdicts by rule.

mod common;

use std::path::Path;

use common::{gongwen, stderr};

/// The rows of `gongwen indicators --json`.
fn json(dir: &Path) -> serde_json::Value {
    let output = gongwen(&["indicators", dir.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    out["指标"].clone()
}

fn field<'a>(rows: &'a serde_json::Value, name: &str, key: &str) -> &'a str {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|row| row["名称"] == name)
        .unwrap_or_else(|| panic!("no indicator {name}"))[key]
        .as_str()
        .unwrap_or_default()
}

#[test]
fn the_sample_values_come_out_exactly() {
    let rows = json(&common::repo().join("content"));
    for (name, value, verdict) in [
        ("公用经费控制率", "87.35%", "达到"),
        ("三公经费控制率", "75.47%", "达到"),
        ("预算调整率", "8.02%", "未达到"),
        ("预算执行率", "90.54%", "未达到"),
        ("结转结余率", "9.46%", "未达到"),
        ("政府采购执行率", "88.78%", "未达到"),
        ("事前绩效评估完成率", "100%", "达到"),
    ] {
        assert_eq!(field(&rows, name, "值"), value, "{name}");
        assert_eq!(field(&rows, name, "判定"), verdict, "{name}");
    }
    for name in ["会议费控制率", "非税收入预算完成率"] {
        assert_eq!(field(&rows, name, "判定"), "不适用", "{name}");
        assert_eq!(field(&rows, name, "不适用原因"), "分母为零", "{name}");
        assert!(
            !field(&rows, name, "值").contains('%'),
            "{name} shows a percentage"
        );
    }
    assert_eq!(field(&rows, "公用经费控制率", "结论"), "达到了年初目标");
    assert_eq!(field(&rows, "预算调整率", "结论"), "未达到年初目标");
}

#[test]
fn the_sample_prose_shows_computed_values_and_verdicts() {
    let (_dir, docx) = common::build(&common::repo().join("content"));
    let text: Vec<String> = docx.paragraphs().into_iter().map(|(_, t)| t).collect();
    let all = text.join("\n");
    for sentence in [
        "实际支出210.18万元，则公用经费控制率为87.35%，达到了年初目标。",
        "“三公”经费控制率为75.47%，达到了年初目标。",
        "较年初预算数调减了270.40万元，预算调整率为8.02%，未达到年初目标。",
        "预算执行率为90.54%",
        "结转结余率为9.46%（1－预算执行率90.54%），未达到年初目标。",
        "政府采购执行率为88.78%，未达到年初目标。",
        "2023年单位未编制会议费预算，且未发生会议费支出，该指标不适用。",
        "2023年单位未编制非税收入预算，也未发生非税收入，该指标不适用。",
        "2023年度鄂州葛店经济技术开发区党工委管委会办公室整体绩效自评结果",
    ] {
        assert!(all.contains(sentence), "missing: {sentence}");
    }
    assert!(
        !all.contains("{{") && !all.contains("{%"),
        "a placeholder was left"
    );
    assert!(!all.contains("未到了") && !all.contains("210,18"));
}

#[test]
fn no_derived_number_is_typed_in_the_sample_prose() {
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            for typed in ["%", "达到了年初目标", "未达到年初目标", "万元，"] {
                let literal = text
                    .lines()
                    .any(|line| strip_placeholders(line).contains(typed) && typed != "万元，");
                assert!(!literal, "{}: typed “{typed}”", path.display());
            }
        }
    }
}

/// The line without `{{ … }}` and `{% … %}`: what the writer typed literally.
fn strip_placeholders(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(['{']) {
        let close = match rest[start + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find(close)
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// A report with the given data, indicators and one section.
fn report(data: &str, indicators: &str, section: &str) -> tempfile::TempDir {
    let dir = common::report(&[("a.md", section)]);
    std::fs::write(dir.path().join("data.yaml"), data).unwrap();
    std::fs::write(dir.path().join("indicators.yaml"), indicators).unwrap();
    dir
}

fn build_text(dir: &Path) -> Result<String, String> {
    let out = dir.join("out.docx");
    let output = gongwen(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    if !output.status.success() {
        assert!(!out.exists());
        return Err(stderr(&output));
    }
    let docx = common::Package::open(&out);
    Ok(docx
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n"))
}

const RATE: &str = "指标:\n  - 名称: 比率\n    公式: 甲.实际 / 甲.预算\n    单位: \"%\"\n    目标: ≥ 95%\n    不适用: 未编制预算，也未发生支出\n";

#[test]
fn rounding_is_half_away_from_zero_at_display() {
    for (actual, budget, shown) in [
        ("2.665", "100", "2.67%"),
        ("1.005", "100", "1.01%"),
        ("94.995", "100", "95.00%"),
    ] {
        let data = format!("甲:\n  实际: {actual} 万元\n  预算: {budget} 万元\n");
        let dir = report(&data, RATE, "# 题\n\n比率为{{ 比率 }}，{{ 比率.结论 }}。\n");
        let text = build_text(dir.path()).unwrap();
        assert!(text.contains(&format!("比率为{shown}")), "{actual}: {text}");
        // Compared on the exact value: 94.995% shows as 95.00% but misses ≥ 95%.
        if actual == "94.995" {
            assert!(text.contains("未达到年初目标"), "{text}");
        }
    }
}

#[test]
fn met_and_target_placeholders_read_as_words() {
    let section = "# 题\n\n是否达到：{{ 比率.达到 }}；目标{{ 比率.目标 }}，目标值{{ 比率.目标值 }}；{% if 比率.达到 %}已达标{% else %}未达标{% endif %}。\n";
    for (actual, met, condition) in [
        ("96", "是", "已达标"),
        ("94", "否", "未达标"),
        ("0", "未编制预算，也未发生支出", "未达标"),
    ] {
        let budget = if actual == "0" { "0" } else { "100" };
        let data = format!("甲:\n  实际: {actual} 万元\n  预算: {budget} 万元\n");
        let text = build_text(report(&data, RATE, section).path()).unwrap();
        let expected = format!("是否达到：{met}；目标不低于95%，目标值95%；{condition}。");
        assert!(text.contains(&expected), "{actual}: {text}");
    }
    let at_most = RATE.replace("≥ 95%", "≤ 100%");
    let data = "甲:\n  实际: 5 万元\n  预算: 10 万元\n";
    let text = build_text(report(data, &at_most, "# 题\n\n{{ 比率.目标 }}\n").path()).unwrap();
    assert!(text.contains("不超过100%"), "{text}");
}

#[test]
fn large_amounts_keep_every_digit() {
    let data = "甲:\n  实际: 12345678901234567890.12 万元\n  预算: 0.01 万元\n  另: 1 万元\n";
    let indicators = "指标:\n  - 名称: 合计\n    公式: 甲.实际 + 甲.另\n    单位: 万元\n";
    let dir = report(
        data,
        indicators,
        "# 题\n\n实际{{ 甲.实际 }}，合计{{ 合计 }}。\n",
    );
    let text = build_text(dir.path()).unwrap();
    assert!(
        text.contains("实际12345678901234567890.12，合计12345678901234567891.12。"),
        "{text}"
    );
}

#[test]
fn zero_denominators_are_not_applicable_with_their_wording() {
    for (actual, budget) in [("0", "0"), ("5", "0")] {
        let data = format!("甲:\n  实际: {actual} 万元\n  预算: {budget} 万元\n");
        let section =
            "# 题\n\n{% if 比率.适用 %}比率为{{ 比率 }}{% else %}{{ 比率.结论 }}{% endif %}。\n";
        let text = build_text(report(&data, RATE, section).path()).unwrap();
        assert!(text.contains("未编制预算，也未发生支出。"), "{text}");
        assert!(!text.contains('%'), "{text}");
    }
}

#[test]
fn an_indicator_may_refer_to_another() {
    let indicators = format!("{RATE}  - 名称: 余率\n    公式: 1 - 比率\n    单位: \"%\"\n");
    let data = "甲:\n  实际: 2806.19 万元\n  预算: 3099.42 万元\n";
    let text =
        build_text(report(data, &indicators, "# 题\n\n{{ 比率 }}，{{ 余率 }}\n").path()).unwrap();
    assert!(text.contains("90.54%，9.46%"), "{text}");
}

fn assert_error(data: &str, indicators: &str, section: &str, expected: &[&str]) {
    let dir = report(data, indicators, section);
    let message = build_text(dir.path()).unwrap_err();
    assert!(!message.contains("panicked"), "{message}");
    for part in expected {
        assert!(message.contains(part), "lacks {part:?}: {message}");
    }
}

#[test]
fn a_figure_not_filled_in_is_named_as_such_and_its_identities_wait_for_it() {
    let indicators = format!("{RATE}校验:\n  - 甲.实际 + 甲.另 = 甲.预算\n");
    let data = "甲:\n  实际: 5 万元\n  另: ~\n  预算: 10 万元\n";
    let text = build_text(report(data, &indicators, "# 题\n\n{{ 比率 }}\n").path()).unwrap();
    assert!(text.contains("50.00%"), "{text}");
    assert_error(
        data,
        &indicators,
        "# 题\n\n另有{{ 甲.另 }}万元。\n",
        &["a.md:3:6", "“甲.另”在 data.yaml 中还没有填写（~）"],
    );
}

#[test]
fn a_cycle_between_indicators_is_an_error() {
    let indicators =
        "指标:\n  - 名称: 甲率\n    公式: 乙率 + 1\n  - 名称: 乙率\n    公式: 甲率 × 2\n";
    assert_error(
        "x: 1\n",
        indicators,
        "# 题\n",
        &["indicators.yaml:3:", "循环引用", "甲率 → 乙率 → 甲率"],
    );
}

#[test]
fn an_unknown_field_is_an_error_at_its_column_with_suggestions() {
    let indicators = "指标:\n  - 名称: 比率\n    公式: 甲.实际 / 甲.预箅\n";
    assert_error(
        "甲:\n  实际: 1 万元\n  预算: 2 万元\n",
        indicators,
        "# 题\n",
        &["indicators.yaml:3:16", "甲.预箅", "甲.预算"],
    );
}

#[test]
fn a_formula_syntax_error_is_located() {
    let indicators = "指标:\n  - 名称: 比率\n    公式: (甲.实际 / 甲.预算\n";
    assert_error(
        "甲:\n  实际: 1\n  预算: 2\n",
        indicators,
        "# 题\n",
        &["indicators.yaml:3:", "括号"],
    );
}

#[test]
fn a_broken_identity_shows_both_sides() {
    let data =
        "预算:\n  基本支出: 1333.04 万元\n  项目支出: 1473.15 万元\n  决算支出: 2806.20 万元\n";
    let indicators = "校验:\n  - 预算.基本支出 + 预算.项目支出 = 预算.决算支出\n";
    assert_error(
        data,
        indicators,
        "# 题\n",
        &["indicators.yaml:2:", "2806.19万元", "2806.20万元"],
    );
}

#[test]
fn an_unknown_placeholder_names_its_line_and_the_closest_names() {
    assert_error(
        "甲:\n  实际: 1 万元\n  预算: 2 万元\n",
        RATE,
        "# 题\n\n第一段。\n\n执行率为{{ 必率 }}。\n",
        &["a.md:5:", "必率", "最接近的名称", "比率"],
    );
}

#[test]
fn a_unit_mismatch_is_an_error() {
    let data = "甲:\n  实际: 1000 元\n  预算: 2 万元\n";
    assert_error(
        data,
        RATE,
        "# 题\n",
        &["indicators.yaml:3:", "单位不一致", "元", "万元"],
    );
}

#[test]
fn text_where_a_number_is_needed_is_an_error() {
    let data = "甲:\n  实际: 210,18 万元\n  预算: 2 万元\n";
    assert_error(
        data,
        RATE,
        "# 题\n",
        &["data.yaml:2:7", "210,18", "不是数值"],
    );
}

#[test]
fn changing_one_figure_changes_every_place_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, content.join(path.file_name().unwrap())).unwrap();
    }
    let before = build_text(&content).unwrap();
    let data = std::fs::read_to_string(content.join("data.yaml")).unwrap();
    // 决算支出 2806.19 → 2906.19 (and 项目支出 with it, so the declared identity still holds).
    let data = data
        .replace("决算支出: 2806.19 万元", "决算支出: 2906.19 万元")
        .replace("项目支出: 1473.15 万元", "项目支出: 1573.15 万元");
    std::fs::write(content.join("data.yaml"), data).unwrap();
    let after = build_text(&content).unwrap();
    assert_eq!(
        before.matches("2806.19").count(),
        2,
        "the sample shows 决算支出 twice"
    );
    assert_eq!(after.matches("2806.19").count(), 0);
    assert_eq!(after.matches("2906.19").count(), 2);
    assert_eq!(after.matches("1573.15").count(), 1);
    // 2906.19 / 3099.42 = 93.77%; 结转结余率 follows from it.
    assert!(after.contains("预算执行率为93.77%"), "{after}");
    assert!(
        after.contains("结转结余率为6.23%（1－预算执行率93.77%）"),
        "{after}"
    );
    assert!(!after.contains("90.54%") && !after.contains("9.46%"));
}

#[test]
fn an_error_about_a_data_value_names_where_it_was_typed_in_data_yaml() {
    // A figure written as text, used by a formula: the value is wrong, not the formula.
    let data = "甲:\n  预算: 2 万元\n  实际: \"约 1 万元\"\n";
    assert_error(
        data,
        RATE,
        "# 题\n",
        &[
            "error[E003]",
            "data.yaml:3:8",
            "“甲.实际”的值“约 1 万元”不是数值",
        ],
    );
    // Thousands separators, at the value's column, underlined whole.
    let data = "甲:\n  预算: 2 万元\n  实际:   12,345.60 万元\n";
    assert_error(
        data,
        RATE,
        "# 题\n",
        &[
            "data.yaml:3:9",
            "去掉千分位逗号：12345.60 万元",
            " ^^^^^^^^^^^^^^\n",
        ],
    );
}

#[test]
fn each_formula_is_placed_at_its_own_line_not_where_its_text_first_appears() {
    // The same formula twice, the second with an unknown name: the old text search found
    // the first.
    let indicators = "指标:\n  - 名称: 甲率\n    公式: 甲.实际 / 甲.预算\n  - 名称: 乙率\n    公式: 甲.实际 / 甲.预算 + 丁\n";
    assert_error(
        "甲:\n  实际: 1\n  预算: 2\n",
        indicators,
        "# 题\n",
        &["indicators.yaml:5:23", "“丁”"],
    );
}
