//! `gongwen check`: every rule fires on the defect and stays silent on the nearest correct
//! text; the seed as submitted yields its defects; the clean sample yields none.

mod common;

use std::path::Path;

use common::{gongwen, stderr};

const DATA: &str = "公用经费:\n  预算数: 240.63 万元\n  实际支出: 210.18 万元\n会议费:\n  预算数: 0 万元\n  实际支出: 0 万元\n人员:\n  在职人数: 33 人\n督办:\n  回复率: 100%\n";
const INDICATORS: &str = "指标:\n  - 名称: 公用经费控制率\n    公式: 公用经费.实际支出 / 公用经费.预算数\n    单位: \"%\"\n    目标: ≤ 100%\n  - 名称: 会议费控制率\n    公式: 会议费.实际支出 / 会议费.预算数\n    单位: \"%\"\n    目标: ≤ 100%\n    不适用: 未编制会议费预算\n";

/// Diagnostics (rule, line) of `gongwen check` on a one-section report.
fn check_text(section: &str, extra: &[(&str, &str)]) -> (bool, Vec<(String, u64)>) {
    let dir = common::report(&[("a.md", section)]);
    std::fs::write(dir.path().join("data.yaml"), DATA).unwrap();
    std::fs::write(dir.path().join("indicators.yaml"), INDICATORS).unwrap();
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    check_dir(dir.path())
}

fn check_dir(dir: &Path) -> (bool, Vec<(String, u64)>) {
    let output = gongwen(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    let found = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (output.status.success(), found)
}

fn rules_of(section: &str) -> Vec<String> {
    check_text(section, &[])
        .1
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

/// (rule, text that has the defect, the nearest correct text)
const CASES: &[(&str, &str, &str)] = &[
    (
        "S001",
        "# 题\n\n（一）成立小组\n",
        "# 题\n\n## 成立小组\n\n## 开展自评\n",
    ),
    (
        "S002",
        "# 一\n\n### 三\n\n### 四\n",
        "# 一\n\n## 二\n\n### 三\n\n### 四\n\n## 五\n",
    ),
    (
        "S003",
        "# 一\n\n## 甲\n\n# 二\n",
        "# 一\n\n## 甲\n\n## 乙\n",
    ),
    (
        "S004",
        "# 改进措施\n\n## 改进措施\n\n## 结合情况\n",
        "# 改进措施\n\n## 具体措施\n\n## 结合情况\n",
    ),
    (
        "S005",
        "# 一\n\n## 甲。\n\n## 乙\n\n## 丙\n",
        "# 一\n\n## 甲\n\n## 乙\n\n## 丙\n",
    ),
    ("S006", "（一）甲\n\n（三）乙\n", "（一）甲\n\n（二）乙\n"),
    (
        "N001",
        "# 题\n\n## 公用经费控制率\n\n控制率为87.3%。\n",
        "# 题\n\n## 公用经费控制率\n\n控制率为{{ 公用经费控制率 }}。\n",
    ),
    (
        "N001",
        "# 题\n\n实际支出210.18万元。\n",
        "# 题\n\n实际支出{{ 公用经费.实际支出 }}万元，共3人。\n",
    ),
    (
        "N002",
        "# 题\n\n公用经费控制率为87.53%。\n",
        "# 题\n\n公用经费控制率为{{ 公用经费控制率 }}。\n",
    ),
    (
        "N002",
        "# 题\n\n## 公用经费控制率\n\n实际支出{{ 公用经费.实际支出 }}万元，控制率为87.53%。\n",
        "# 题\n\n## 公用经费控制率\n\n实际支出{{ 公用经费.实际支出 }}万元，控制率在100%以内，总控制率为87.53%。\n",
    ),
    (
        "N002",
        "# 题\n\n## 公用经费控制率\n\n2023年公用经费控制率为92.10%。\n",
        "# 题\n\n## 公用经费控制率\n\n2022年公用经费控制率为92.10%，上年控制率为92.10%。\n",
    ),
    (
        "N003",
        "# 题\n\n实际支出210,18万元。\n",
        "# 题\n\n实际支出1,210,180元。\n",
    ),
    (
        "N003",
        "# 题\n\n实际支出802..11万元。\n",
        "# 题\n\n截至2023.12.31，实际支出802.11万元，系统升级到V2.0.1版。\n",
    ),
    (
        "N003",
        "# 题\n\n实际支出1,702,36万元，又支出12.3.4万元。\n",
        "# 题\n\n实际支出1,702,360元，又支出12.34万元。\n",
    ),
    (
        "N004",
        "# 题\n\n公用经费控制率为{{ 公用经费控制率 }}，未达到年初目标。\n",
        "# 题\n\n公用经费控制率为{{ 公用经费控制率 }}，达到了年初目标。\n",
    ),
    (
        "N004",
        "# 题\n\n## 公用经费控制率\n\n控制率为{{ 公用经费控制率 }}，未完成年初目标。\n",
        "# 题\n\n## 公用经费控制率\n\n控制率为{{ 公用经费控制率 }}，完成了年初目标。为达到年初目标，加强管理。\n",
    ),
    (
        "N006",
        "# 题\n\n单位在职人员47人。\n",
        "# 题\n\n单位在职人员{{ 人员.在职人数 }}人，2022年在职人员30人，招录在职人员约40人，本科学历在职人员25人。\n",
    ),
    (
        "N006",
        "# 题\n\n督办件回复率98%。\n",
        "# 题\n\n督办件回复率{{ 督办.回复率 }}，回复率不低于95%，督办件回复率100.0%。\n",
    ),
    (
        "N002",
        "# 题\n\n## 公用经费控制率\n\n控制率为87.4%。\n",
        "# 题\n\n## 公用经费控制率\n\n控制率为87.3%，约为87%。\n",
    ),
    (
        "N007",
        "# 题\n\n会议室改造支出12000元。\n\n## 乙\n\n会议室改造支出1.5万元。\n",
        "# 题\n\n会议室改造支出12000元。\n\n## 乙\n\n会议室改造支出1.2万元，档案整理支出1.5万元。\n",
    ),
    (
        "N008",
        "# 题\n\n承办建议提案共17件，其中人大建议2件、政协提案14件。\n",
        "# 题\n\n承办建议提案共17件（不含重复交办），其中人大建议2件、政协提案15件，已办结17件。\n",
    ),
    (
        "N008",
        "# 题\n\n收集问题共133个，其中已解决103个、正在解决20个。\n",
        "# 题\n\n整改共历时5个月，其中准备2个月、实施2个月；收集问题共133个，其中已解决103个、正在解决30个。\n",
    ),
    (
        "W001",
        "# 题\n\n截止2023年底，完成任务。\n",
        "# 题\n\n截至2023年底，报名截止日期前完成。\n",
    ),
    (
        "W002",
        "# 题\n\n今年以来完成任务。\n",
        "# 题\n\n2023年完成任务。\n",
    ),
    (
        "W004",
        "# 题\n\n通过全局干部的共同努力。\n",
        "# 题\n\n通过全体干部的共同努力，增强全局观念。\n",
    ),
    (
        "T001",
        "# 题\n\n鄂葛财发【2024】3号文。\n",
        "# 题\n\n鄂葛财发〔2024〕3号文。\n",
    ),
    (
        "T002",
        "# 题\n\n服务保障;高标准推进.\n",
        "# 题\n\n服务保障；高标准推进，版本1.0。\n",
    ),
    (
        "T003",
        "# 题\n\n1、收集信息。\n",
        "# 题\n\n第1、2季度收集信息。\n",
    ),
    (
        "T004",
        "# 题\n\n\u{3000}\u{3000}正文。\n",
        "# 题\n\n正文。\n\n1. 甲\n    1. 乙\n",
    ),
    (
        "T005",
        "# 题\n\n[bookmark: _GoBack]正文。\n",
        "# 题\n\n正文。\n",
    ),
    (
        "T006",
        "# 题\n\n强“链”新城----葛店。\n",
        "# 题\n\n强“链”新城——葛店。\n",
    ),
    (
        "T007",
        "# 题\n\n在职人员１２人。\n",
        "# 题\n\n在职人员12人（含借调）。\n",
    ),
    (
        "T008",
        "# 题\n\n按照“三办三服务\"要求推进。\n",
        "# 题\n\n按照“三办三服务”要求推进；1）建章立制，2）督促落实。\n",
    ),
    (
        "T008",
        "# 题\n\n参照《政府会计制度的规定（见附件。\n",
        "# 题\n\n参照《政府会计制度》的规定（见附件）。\n",
    ),
    (
        "T008",
        "# 题\n\n会议强调：“要狠抓落实。\n\n## 乙\n\n正文。\n",
        "# 题\n\n会议强调：“要狠抓落实。\n\n“要加强督办，\n确保见效。”\n",
    ),
    (
        "T009",
        "# 题\n\n[]{#_Toc16734 .anchor}{{ 年度 }}年部门自评情况{.underline}。\n",
        "# 题\n\n部门自评情况，集合{甲，乙}。\n",
    ),
    (
        "T010",
        "# 题\n\n部门自评情况\\\n如下。\n",
        "# 题\n\n部门自评情况\n如下，路径C:\\\\temp。\n",
    ),
    (
        "T011",
        "# 题\n\n部门<u>自评</u>情况如下。\n",
        "# 题\n\n部门自评情况如下，误差<5%，见<http://czj.example.cn>。<!-- 备注 -->\n",
    ),
    (
        "T012",
        "# 题\n\n部门自评情况[^1]如下。\n\n[^2]: 说明。\n",
        "# 题\n\n部门自评情况[^1]如下。\n\n[^1]: 说明。\n",
    ),
    (
        "W005",
        "# 题\n\n完善的的制度，做好了了工作。\n",
        "# 题\n\n的的确确完善了制度，为了了解情况，目的的实现，不了了之。\n",
    ),
    (
        "W005",
        "# 题\n\n加强加强管理，，落实责任。\n",
        "# 题\n\n实实在在加强管理，一个一个落实，层层把关。\n",
    ),
    (
        "W005",
        "# 题\n\n说明：\n加强加强管理。\n",
        "# 题\n\n<!-- 说明：\n加强加强管理 -->\n正文。\n",
    ),
    (
        "W006",
        "# 题\n\n根据《关于做好2022年度绩效自评工作的通知》开展自评。\n",
        "# 题\n\n根据《关于做好2023年度绩效自评工作的通知》，针对2022年度绩效自评发现的问题整改。\n",
    ),
    (
        "W006",
        "# 题\n\n对本部门2022年度整体绩效情况开展自评。\n",
        "# 题\n\n对本部门2023年度整体绩效情况开展自评，科学设定2024年度整体绩效目标，按《关于编制2024年度部门预算的通知》要求编报。\n",
    ),
    (
        "R001",
        "# 题\n\n单位按照要求对纳入评估范围的预算项目进行了绩效评估。\n\n单位按照要求对纳入评估范围的预算项目进行了绩效评估。\n",
        "# 题\n\n单位按照要求对纳入评估范围的预算项目进行了绩效评估。\n\n单位设定的绩效目标与部门职责相符，指标明确、可衡量。\n",
    ),
    (
        "R002",
        "# 题\n\n坚持学习。二是加强督办，三是提升质量。\n",
        "# 题\n\n一是坚持学习。二是加强督办，三是提升质量。\n",
    ),
    (
        "R002",
        "# 题\n\n一是坚持学习。\n\n三是提升质量。\n",
        "# 题\n\n一是坚持学习。\n\n二是加强督办，三是严格考核。\n\n四是提升质量。\n\n一是另一组。\n",
    ),
    (
        "D002",
        "# 题\n\n## 会议费控制率\n\n控制率在100%以内，达到了年初目标。\n\n## 其他\n",
        "# 题\n\n## 会议费控制率\n\n{{ 会议费控制率.结论 }}（年初目标为100%）。\n\n## 其他\n",
    ),
];

#[test]
fn every_rule_fires_on_its_defect() {
    for (rule, wrong, _) in CASES {
        let found = rules_of(wrong);
        assert!(
            found.iter().any(|r| r == rule),
            "{rule} did not fire on {wrong:?}: {found:?}"
        );
    }
}

#[test]
fn every_rule_stays_silent_on_the_correct_text() {
    for (rule, _, right) in CASES {
        let found = rules_of(right);
        assert!(
            !found.iter().any(|r| r == rule),
            "{rule} fired on {right:?}: {found:?}"
        );
    }
}

#[test]
fn unit_name_variants_come_from_a_word_list_the_report_extends() {
    let wording = (
        "wording.yaml",
        "单位别称:\n  - { 别称: 葛店管委会党工委, 全称: 葛店经开区党工委办公室 }\n",
    );
    let (_, found) = check_text("# 题\n\n葛店管委会党工委成立了自评小组。\n", &[wording]);
    assert!(found.iter().any(|(r, _)| r == "W003"), "{found:?}");
    let (_, found) = check_text(
        "# 题\n\n葛店经开区党工委办公室成立了自评小组。\n",
        &[wording],
    );
    assert!(!found.iter().any(|(r, _)| r == "W003"), "{found:?}");
}

/// Found wherever it stands among characters of any width (ASCII digits before it made the
/// search for the right form start inside a character: a panic), and not where the
/// occurrence is part of the right form, from the built-in list or a report's own.
#[test]
fn a_wrong_word_is_found_after_any_characters_and_not_inside_its_right_form() {
    let (_, found) = check_text("# 题\n\n到到到1未到了年初目标。\n", &[]);
    assert!(found.iter().any(|(r, _)| r == "W001"), "{found:?}");
    let wording = ("wording.yaml", "替换:\n  - { 错: 预算, 对: 部门预算 }\n");
    let (_, found) = check_text("# 题\n\n年1部门预算执行到位，预算执行到位。\n", &[wording]);
    let w001 = found.iter().filter(|(r, _)| r == "W001").count();
    assert_eq!(w001, 1, "{found:?}");
}

/// The 自评表's texts in data.yaml (年度总体目标, 实际完成情况, each 偏差原因) are prose the check
/// reads like a section's, each finding at its line and column in data.yaml, a block's lines
/// at theirs; the levels under 定性 are not prose.
#[test]
fn the_table_texts_in_data_yaml_are_checked_at_their_columns() {
    let dir = common::report(&[("a.md", "# 题\n\n正文。\n")]);
    let data = format!(
        "{DATA}自评表:\n  实际完成情况: 公用经费控制率为80.00%。\n  偏差原因:\n    公用经费控制率: |\n      部分项目延期,资金未支出。\n  定性:\n    工作计划健全性: 达成 95%\n"
    );
    std::fs::write(dir.path().join("data.yaml"), data).unwrap();
    std::fs::write(dir.path().join("indicators.yaml"), INDICATORS).unwrap();
    let output = gongwen(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String, u64, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap_or_default();
            (
                r["rule"].as_str().unwrap().to_string(),
                file.rsplit(['/', '\\']).next().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let at = |rule: &str, line, column| {
        found.contains(&(rule.to_string(), "data.yaml".to_string(), line, column))
    };
    assert!(at("N002", 12, 19), "{found:?}");
    assert!(at("T002", 15, 13), "{found:?}");
    assert!(!found.iter().any(|f| f.2 == 17), "{found:?}");
}

#[test]
fn unit_name_variants_are_derived_from_the_unit() {
    let dir = common::report(&[(
        "a.md",
        "# 题\n\n鄂州财政局成立了自评小组。\n\n鄂州市财政局、市财政局和区财政局分工负责。\n",
    )]);
    let yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    std::fs::write(
        dir.path().join("report.yaml"),
        yaml.replace("单位: 测试单位", "单位: 湖北省鄂州市财政局"),
    )
    .unwrap();
    let (_, found) = check_dir(dir.path());
    let w003: Vec<_> = found.iter().filter(|(r, _)| r == "W003").collect();
    assert_eq!(w003, [&("W003".to_string(), 3)], "{found:?}");
}

#[test]
fn typed_verdicts_are_read_in_the_report_s_own_wording() {
    let own = INDICATORS.replace(
        "指标:",
        "结论: { 达到: 实现年度绩效目标, 未达到: 未实现年度绩效目标, 不适用: 本年度不涉及 }\n指标:",
    );
    let rules = |text: &str| -> Vec<String> {
        check_text(text, &[("indicators.yaml", &own)])
            .1
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    };
    let wrong = "# 题\n\n## 公用经费控制率\n\n控制率为{{ 公用经费控制率 }}，未实现年度绩效目标。\n";
    assert!(rules(wrong).contains(&"N004".to_string()));
    let right = "# 题\n\n## 公用经费控制率\n\n控制率为{{ 公用经费控制率 }}，实现年度绩效目标。\n";
    assert!(!rules(right).contains(&"N004".to_string()));
}

#[test]
fn a_broken_identity_is_reported_as_d001() {
    let dir = common::report(&[("a.md", "# 题\n\n正文。\n")]);
    std::fs::write(
        dir.path().join("data.yaml"),
        "甲: 1 万元\n乙: 2 万元\n丙: 4 万元\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("indicators.yaml"),
        "校验:\n  - 甲 + 乙 = 丙\n",
    )
    .unwrap();
    let (ok, found) = check_dir(dir.path());
    assert!(!ok);
    assert_eq!(found, [("D001".to_string(), 2)]);
    std::fs::write(
        dir.path().join("data.yaml"),
        "甲: 1 万元\n乙: 2 万元\n丙: 3 万元\n",
    )
    .unwrap();
    assert_eq!(check_dir(dir.path()), (true, Vec::new()));
}

#[test]
fn rules_can_be_switched_off_per_report_and_per_line() {
    let wrong = "# 题\n\n服务保障;高标准推进。\n";
    assert!(rules_of(wrong).contains(&"T002".to_string()));
    let dir = common::report(&[("a.md", wrong)]);
    let yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    std::fs::write(
        dir.path().join("report.yaml"),
        format!("{yaml}检查:\n  关闭: [T002]\n"),
    )
    .unwrap();
    assert_eq!(check_dir(dir.path()), (true, Vec::new()));
    let inline =
        "# 题\n\n<!-- gongwen-allow: T002 -->\n服务保障;高标准推进。\n\n服务保障;另一处。\n";
    let (_, found) = check_text(inline, &[]);
    assert_eq!(
        found,
        [("T002".to_string(), 6)],
        "only the line without the switch"
    );
}

#[test]
fn errors_fail_warnings_pass_unless_denied() {
    let (ok, _) = check_text("# 题\n\n实际支出210,18万元。\n", &[]);
    assert!(!ok, "an error must fail");
    let dir = common::report(&[("a.md", "# 题\n\n今年以来完成任务。\n")]);
    assert!(
        gongwen(&["check", dir.path().to_str().unwrap()])
            .status
            .success()
    );
    let denied = gongwen(&["check", dir.path().to_str().unwrap(), "--deny", "warnings"]);
    assert!(!denied.status.success());
    let text = String::from_utf8_lossy(&denied.stdout);
    assert!(
        text.contains("warning[W002]") && text.contains("a.md:3:1") && text.contains("^^^^"),
        "{text}"
    );
    assert!(text.contains("检查完成：0 个错误，1 个警告。"), "{text}");
}

#[test]
fn every_rule_is_listed_with_its_id() {
    let output = gongwen(&["check", "--list"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for (rule, _, _) in CASES {
        assert!(text.contains(rule), "{rule} not listed");
    }
    for rule in ["W003", "D001"] {
        assert!(text.contains(rule), "{rule} not listed");
    }
}

#[test]
fn the_clean_sample_has_no_diagnostics() {
    let (ok, found) = check_dir(&common::repo().join("content"));
    assert!(ok);
    assert_eq!(found, Vec::new());
}

/// The defects of the report as it was submitted, by seed line (seed.md line = 2k − 5).
const SEED_DEFECTS: &[(u64, &str, &str)] = &[
    (4, "S002", "“1、 基本情况” is level 1 typed as level 3"),
    (4, "T003", "“1、” as a marker"),
    (5, "T004", "trailing space"),
    (5, "N001", "budget figures typed by hand"),
    (6, "S005", "“完成的工作目标。” ends in punctuation"),
    (7, "T002", "half-width “;” and “.” between Chinese"),
    (8, "S006", "“二、” follows a level-3 “2.”"),
    (9, "T001", "【2024】 for 〔2024〕"),
    (11, "T004", "spaces as indent"),
    (25, "T004", "spaces as indent"),
    (25, "S003", "（1）公用经费控制率 alone under 1."),
    (26, "N003", "210,18"),
    (26, "N001", "87.35% typed"),
    (28, "S003", "（1）在职人员控制率 alone under 2."),
    (29, "W001", "截止 for 截至"),
    (29, "D002", "控制率在100%以内 without 编制数"),
    (32, "D002", "控制率在100%以内 for 0/0"),
    (33, "W001", "三公经费变动率 computes a 控制率"),
    (34, "W001", "三公经费 without quotes"),
    (34, "N001", "75.47% typed"),
    (48, "T004", "trailing space"),
    (50, "N001", "8.02% typed"),
    (53, "N001", "90.54% typed"),
    (55, "N001", "9.46% typed"),
    (57, "W001", "未到了"),
    (64, "R001", "绩效目标合理性 repeats 事前绩效评估"),
    (83, "S006", "（3） for （三）"),
    (85, "R002", "enumeration starts at 二是"),
    (85, "W002", "今年"),
    (86, "T005", "[bookmark: _GoBack]"),
    (86, "R002", "enumeration starts at 二是"),
    (86, "W002", "今年以来"),
    (87, "R002", "enumeration starts at 二是"),
    (87, "W002", "今年"),
    (88, "W001", "检测 for 监测"),
    (
        92,
        "S006",
        "（1） under （4） restarts: （4） should be （四）",
    ),
    (93, "W002", "今年 / 截至目前"),
    (93, "T006", "---- for ——"),
    (94, "S005", "“统战工作在全市有地位。” ends in punctuation"),
    (101, "S006", "（1） under （5）: （5） should be （五）"),
    (102, "R002", "enumeration starts at 二是"),
    (103, "S006", "（6） for （六）"),
    (106, "T004", "spaces as indent"),
    (106, "D002", "满意度达到了年初目标 without a measured value"),
    (108, "D002", "满意度达到了年初目标 without a measured value"),
    (110, "S002", "“1、主要成效” is level 2 typed as level 3"),
    (112, "S002", "（1） directly under （一）"),
    (
        117,
        "S005",
        "“积极发声，提高主流媒体关注度” lacks the siblings' 。",
    ),
    (123, "S006", "“2.存在的突出问题和原因” is level 2"),
    (124, "T004", "spaces as indent"),
    (124, "W004", "全局 in an office"),
    (130, "S004", "（一）下一步拟改进措施 repeats 五、"),
    (
        132,
        "S005",
        "“拟与预算安排相结合情况。” ends in punctuation",
    ),
];

#[test]
fn the_seed_as_submitted_yields_a_diagnostic_for_each_defect() {
    let (ok, found) = check_dir(&common::repo().join("tests/fixtures/seed-verbatim"));
    assert!(!ok, "the seed has errors");
    let mut missing = Vec::new();
    for (seed_line, rule, what) in SEED_DEFECTS {
        let line = 2 * seed_line - 5;
        if !found.iter().any(|(r, l)| r == rule && *l == line) {
            missing.push(format!(
                "seed line {seed_line} (seed.md:{line}) {rule}: {what}"
            ));
        }
    }
    assert!(missing.is_empty(), "not caught:\n{}", missing.join("\n"));
    // Every hand-typed heading number is reported too: 84 of them.
    let typed = found.iter().filter(|(r, _)| r == "S001").count();
    assert!(typed >= 80, "{typed} typed numbers");
}

/// A one-section report with the check's data, for building.
fn report_with(section: &str) -> tempfile::TempDir {
    let dir = common::report(&[("a.md", section)]);
    std::fs::write(dir.path().join("data.yaml"), DATA).unwrap();
    std::fs::write(dir.path().join("indicators.yaml"), INDICATORS).unwrap();
    dir
}

#[test]
fn build_runs_the_check_and_stops_on_its_errors() {
    let dir = report_with("# 题\n\n实际支出210,18万元。\n");
    let out = dir.path().join("out.docx");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", dir.path().to_str().unwrap(), "-o"];
        args.push(out.to_str().unwrap());
        args.extend(extra);
        gongwen(&args)
    };
    let output = build(&[]);
    let said = stderr(&output);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains("error[N003]") && said.contains("a.md:3:5") && said.contains("^^^^^^"),
        "{said}"
    );
    assert!(!out.exists(), "a check error must leave nothing written");
    assert!(!dir.path().join("out-自评表.docx").exists());

    let skipped = build(&["--no-check"]);
    assert!(skipped.status.success(), "{}", stderr(&skipped));
    assert!(out.exists());
}

#[test]
fn build_prints_the_checks_warnings_and_writes() {
    let dir = report_with("# 题\n\n今年以来完成任务。\n");
    let out = dir.path().join("out.docx");
    let output = gongwen(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("warning[W002]") && said.contains("a.md:3:1"),
        "{said}"
    );
    assert!(out.exists());
}

#[test]
fn build_errors_print_like_check_findings() {
    let dir = report_with("# 题\n\n{{ 不存在 }}\n");
    let output = gongwen(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        "/dev/null/x.docx",
    ]);
    let said = stderr(&output);
    assert!(!output.status.success());
    assert!(
        said.starts_with("error[E005]: 未知的占位符“不存在”"),
        "{said}"
    );
    assert!(
        said.contains("  --> ") && said.contains("a.md:3:4"),
        "{said}"
    );
    assert!(said.contains("3 | {{ 不存在 }}"), "{said}");
    let json = gongwen(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows[0]["rule"], "E005");
    assert_eq!(
        (rows[0]["line"].as_u64(), rows[0]["column"].as_u64()),
        (Some(3), Some(4))
    );
}

/// (rule, line, column) of each diagnostic of `gongwen check --format json`.
fn positions(dir: &Path) -> Vec<(String, u64, u64)> {
    let output = gongwen(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |key: &str| r[key].as_u64().unwrap();
            (
                r["rule"].as_str().unwrap().to_string(),
                n("line"),
                n("column"),
            )
        })
        .collect()
}

/// The check on `section` gives one D002, on `line` (0-based in the section) at the column
/// where `typed` stands in it.
fn assert_d002_where_typed(section: &str, line: usize, typed: &str) {
    let dir = report_with(section);
    let text = section.lines().nth(line).unwrap();
    let column = text[..text.find(typed).unwrap()].chars().count() as u64 + 1;
    assert_eq!(
        positions(dir.path()),
        [("D002".to_string(), line as u64 + 1, column)]
    );
}

#[test]
fn a_finding_in_filled_prose_names_the_markdown_line_and_column() {
    // The paragraph's second line, after placeholders whose values are shorter than they.
    let section = "# 会议费控制率\n\n会议费情况如下。\n预算{{ 会议费.预算数 }}万元，支出{{ 会议费.实际支出 }}万元，控制率在100%以内。\n";
    assert_d002_where_typed(section, 3, "100%以内");
}

#[test]
fn a_finding_in_a_filled_value_points_at_its_placeholder() {
    let section =
        "# 会议费控制率\n\n**说明**：公用经费控制率为{{ 公用经费控制率 }}，会议费不适用。\n";
    assert_d002_where_typed(section, 2, "{{");
}

#[test]
fn a_second_clean_report_has_no_diagnostics() {
    // Another unit and year, its own indicators and 结论 wording, written apart from content/.
    let (ok, found) = check_dir(&common::repo().join("tests/fixtures/xiling-2024"));
    assert!(ok);
    assert_eq!(found, Vec::new());
}

/// The defects typed into a copy of xiling-2024: (file prefix, line, column, rule, what).
const XILING_DEFECTS: &[(&str, u64, u64, &str, &str)] = &[
    (
        "01",
        9,
        1,
        "W003",
        "西陵农业农村局: the place without its level 区",
    ),
    ("01", 9, 142, "T007", "１个 in full-width digits"),
    ("01", 13, 1, "W001", "截止 before a date"),
    ("01", 13, 25, "N001", "编制45人 typed, as in data.yaml"),
    (
        "01",
        13,
        58,
        "N006",
        "年末实际在职人员47人, data.yaml says 41",
    ),
    ("01", 17, 117, "N003", "1128..52"),
    ("01", 17, 150, "N003", "1,118,84"),
    (
        "01",
        17,
        197,
        "T010",
        "a \\ line break at the end of the line",
    ),
    (
        "02",
        7,
        12,
        "W006",
        "the 2023年度 notice cited in a report on 2024",
    ),
    ("02", 7, 34, "T008", "（西财绩〔2025〕2号 never closed"),
    ("02", 11, 1, "T009", "[]{#_Toc16734 .anchor}"),
    ("02", 11, 99, "T009", "{.underline}"),
    ("03", 11, 111, "W005", "压减了了"),
    (
        "03",
        19,
        61,
        "N002",
        "控制率为82.71% under “三公”经费控制率, computed 82.17%",
    ),
    (
        "03",
        29,
        63,
        "N004",
        "达到了年初目标 for a 预算调整率 that is not met",
    ),
    (
        "03",
        33,
        48,
        "N002",
        "执行率为96.29% under 预算执行率, computed 96.92%",
    ),
    (
        "03",
        43,
        65,
        "N004",
        "the report's own 实现年度绩效目标 for a 项目完成率 not met",
    ),
    ("03", 51, 98, "W005", "的的"),
    (
        "04",
        10,
        53,
        "T008",
        "“西陵柑橘\" closed by a straight quote",
    ),
    ("04", 11, 29, "W005", "整改整改"),
    ("04", 12, 30, "N008", "共26件，其中来信8件、来访17件"),
    ("05", 9, 1, "W005", "加强加强"),
    ("05", 13, 69, "N007", "48.5万元 here, 486000元 in part four"),
];

#[test]
fn the_defective_copy_yields_exactly_its_defects() {
    let dir = common::repo().join("tests/fixtures/xiling-2024-defects");
    let output = gongwen(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert!(!output.status.success(), "it has errors");
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64, u64, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = Path::new(r["file"].as_str().unwrap());
            let name = file.file_name().unwrap().to_string_lossy();
            (
                name.chars().take(2).collect(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, String)> = XILING_DEFECTS
        .iter()
        .map(|(f, l, c, r, _)| (f.to_string(), *l, *c, r.to_string()))
        .collect();
    let missing: Vec<_> = XILING_DEFECTS
        .iter()
        .zip(&expected)
        .filter(|(_, e)| !found.contains(e))
        .map(|(d, _)| format!("{d:?}"))
        .collect();
    let extra: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not caught:\n{}\nnot a typed defect: {extra:?}",
        missing.join("\n")
    );
}

#[test]
fn numbers_past_any_amount_are_checked_without_overflow() {
    let huge = "9".repeat(28);
    let section = format!(
        "# 题\n\n金额{huge}亿元，共{huge}件，其中甲{huge}件、乙9件；实际支出{huge}元，实际支出{huge}万元。\n"
    );
    let data = format!("{DATA}甲:\n  金额: {huge} 万元\n");
    let (_, found) = check_text(&section, &[("data.yaml", &data)]);
    assert!(
        !found
            .iter()
            .any(|(r, _)| ["N006", "N007", "N008"].contains(&r.as_str())),
        "{found:?}"
    );
}
