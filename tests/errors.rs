//! Bad input: a clear message with file:line:col, a non-zero exit, and nothing lost.

mod common;

use std::path::Path;

use common::{gongwen, report, stderr};

/// Runs a build of `dir` into `out` and returns (success, stderr).
fn build_into(dir: &Path, out: &Path) -> (bool, String) {
    let output = gongwen(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "panic: {message}");
    (output.status.success(), message)
}

/// A bad report must fail, say `expected` (location and words), and write nothing.
fn assert_fails(sections: &[(&str, &str)], expected: &[&str]) {
    let dir = report(sections);
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(!ok, "build succeeded");
    for part in expected {
        assert!(message.contains(part), "message lacks {part:?}: {message}");
    }
    assert!(!out.exists(), "an output was written");
}

#[test]
fn malformed_front_matter_names_file_line_and_column() {
    assert_fails(
        &[("a.md", "---\norder: 1\nauthor: [王\n---\n\n# 标题\n")],
        &["a.md:3:", "YAML"],
    );
}

#[test]
fn front_matter_of_the_wrong_type_points_at_the_value() {
    assert_fails(
        &[("a.md", "---\norder: 第一\n---\n# 标题\n")],
        &["a.md:2:8", "order"],
    );
}

#[test]
fn unclosed_front_matter_is_an_error_not_body_text() {
    assert_fails(
        &[("a.md", "---\norder: 1\n\n# 标题\n")],
        &["a.md:1:1", "---"],
    );
}

#[test]
fn unknown_front_matter_key_lists_the_allowed_keys() {
    assert_fails(
        &[("a.md", "---\norder: 1\ntitel: 基本情况\n---\n# 标题\n")],
        &["a.md:3:1", "titel", "order", "author"],
    );
}

#[test]
fn malformed_report_yaml_names_its_line() {
    let dir = report(&[("a.md", "# 标题\n")]);
    std::fs::write(dir.path().join("report.yaml"), "标题: 测试\n  单位: x\n").unwrap();
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(!ok);
    assert!(message.contains("report.yaml:2:"), "{message}");
    assert!(!out.exists());
}

#[test]
fn report_yaml_missing_a_key_says_which() {
    let dir = report(&[("a.md", "# 标题\n")]);
    std::fs::write(
        dir.path().join("report.yaml"),
        "标题: 测试\n单位: x\n样式: gbt9704\n",
    )
    .unwrap();
    let (ok, message) = build_into(dir.path(), &dir.path().join("out.docx"));
    assert!(!ok);
    assert!(message.contains("缺少必填的键 `年度`"), "{message}");
}

#[test]
fn a_wrong_style_name_is_located_and_lists_the_builtin_styles() {
    let dir = report(&[("a.md", "# 标题\n")]);
    std::fs::write(
        dir.path().join("report.yaml"),
        "标题: 测试\n单位: x\n年度: 2023\n样式: gb9704\n",
    )
    .unwrap();
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(!ok);
    assert!(message.contains("--> "), "{message}");
    assert!(message.contains("report.yaml:4:5\n"), "{message}");
    assert!(
        message.contains("error[E008]: 没有名为“gb9704”的内置样式"),
        "{message}"
    );
    assert!(message.contains("内置样式：gbt9704"), "{message}");
    assert!(!out.exists());

    // The same name on the command line is a usage error naming the option.
    let output = gongwen(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--style",
        "gb9704",
    ]);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(
        message.starts_with("error[E009]: --style gb9704: 没有名为“gb9704”的内置样式"),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn non_utf8_file_is_named() {
    let dir = report(&[]);
    std::fs::write(dir.path().join("gbk.md"), b"# \xbb\xf9\xb1\xbe\n").unwrap();
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(!ok);
    assert!(message.contains("gbk.md:1:3"), "{message}");
    assert!(message.contains("UTF-8"), "{message}");
    assert!(!out.exists());
}

#[test]
fn missing_report_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, message) = build_into(&dir.path().join("nowhere"), &dir.path().join("o.docx"));
    assert!(!ok);
    assert!(
        message.contains("nowhere") && message.contains("不存在"),
        "{message}"
    );
}

#[test]
fn empty_report_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, message) = build_into(dir.path(), &dir.path().join("o.docx"));
    assert!(!ok);
    assert!(message.contains("report.yaml"), "{message}");
    let dir = report(&[]);
    let (ok, message) = build_into(dir.path(), &dir.path().join("o.docx"));
    assert!(!ok);
    assert!(message.contains(".md"), "{message}");
}

#[test]
fn heading_level_five_is_an_error_with_its_location() {
    assert_fails(
        &[("a.md", "# 一\n\n## 二\n\n### 三\n\n#### 四\n\n##### 五\n")],
        &["a.md:9:1", "第 5 级"],
    );
}

#[test]
fn a_list_nested_past_level_four_is_an_error() {
    assert_fails(
        &[("a.md", "# 一\n\n## 二\n\n### 三\n\n1. 甲\n    1. 乙\n")],
        &["a.md:8:", "第 5 级"],
    );
}

#[test]
fn unwritable_output_is_an_error_and_an_existing_file_is_untouched() {
    let dir = report(&[("a.md", "# 标题\n\n正文。\n")]);
    // A directory where the file should go: the rename fails, the directory stays.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "keep").unwrap();
    let (ok, message) = build_into(dir.path(), &target);
    assert!(!ok);
    assert!(
        message.contains("taken") && message.contains("无法写入"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).unwrap(),
        "keep"
    );
    // A path that cannot be created at all (even for root).
    let (ok, message) = build_into(dir.path(), Path::new("/proc/gongwen/out.docx"));
    assert!(!ok);
    assert!(message.contains("/proc/gongwen/out.docx"), "{message}");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let dir = report(&[("a.md", "# 标题\n\n正文。\n")]);
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(ok, "{message}");
    let before = std::fs::read(&out).unwrap();
    std::fs::write(dir.path().join("b.md"), "##### 太深\n").unwrap();
    let (ok, _) = build_into(dir.path(), &out);
    assert!(!ok);
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn a_heading_numbered_by_hand_gets_one_number_and_a_warning() {
    let dir = report(&[(
        "a.md",
        "# 一、基本情况\n\n## （3） 履职效能\n\n### 1、 范围\n\n正文。\n",
    )]);
    let out = dir.path().join("out.docx");
    let (ok, message) = build_into(dir.path(), &out);
    assert!(ok, "{message}");
    assert!(
        message.contains("a.md:1:1") && message.contains("“一、”"),
        "{message}"
    );
    assert!(
        message.contains("a.md:3:1") && message.contains("“（3）”"),
        "{message}"
    );
    let texts: Vec<String> = common::Package::open(&out)
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(texts.contains(&"一、基本情况".to_string()), "{texts:?}");
    assert!(texts.contains(&"（一）履职效能".to_string()), "{texts:?}");
    assert!(texts.contains(&"1.范围".to_string()), "{texts:?}");
}

#[test]
fn odd_markdown_never_panics() {
    let inputs = [
        "",
        "---\n---\n",
        "# \n",
        "#\n",
        "| a |\n|---|\n",
        "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n",
        "脚注[^x]\n",
        "脚注[^x]\n\n[^x]: 说明\n\n[^y]: 没有引用\n",
        "> 引用\n> # 标题\n",
        "```\ncode\n```\n",
        "<div>html</div>\n",
        "1. \n2. \n",
        "- a\n  1. b\n",
        "\u{0}\u{1}控制字符\u{7}\n",
        "**粗体*斜体**不配对*\n",
        "[链接](http://x)与<!-- 注释 -->\n",
        "# 一、\n",
        "正文\\\n换行\n",
        "~~删除~~ $x$\n",
    ];
    for (i, input) in inputs.iter().enumerate() {
        let dir = report(&[("a.md", input)]);
        let (_, message) = build_into(dir.path(), &dir.path().join(format!("{i}.docx")));
        assert!(!message.contains("panicked"), "input {i}: {message}");
    }
}

#[test]
fn pathological_formulas_and_placeholders_are_errors_not_crashes() {
    // Longer than the token limit, shorter than the limit of any one value.
    let formula = format!("1{}", " + 1".repeat(5_000));
    let indicators = format!("指标:\n  - 名称: 甲率\n    公式: {formula}\n    单位: \"%\"\n");
    assert_fails(
        &[
            ("indicators.yaml", &indicators),
            ("a.md", "# 标题\n\n正文\n"),
        ],
        &["indicators.yaml:3:", "公式过长"],
    );
    let placeholder = format!("# 标题\n\n正文{{{{ {}年度 }}}}\n", "-".repeat(100_000));
    assert_fails(&[("a.md", &placeholder)], &["a.md:3:5", "占位符过长"]);
}

#[test]
fn a_wrong_command_line_is_told_in_chinese_with_what_was_meant() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["build", "--jobz", "2"],
            &[
                "error[E009]",
                "不认识的参数“--jobz”",
                "是不是要写 --jobs？",
                "用法：gongwen build",
            ],
        ),
        (&["bild"], &["没有子命令“bild”", "是不是要写 build？"]),
        (
            &["check", "--format", "xml"],
            &["--format <FORMAT> 的值“xml”不可用", "human、json"],
        ),
        (
            &["build", "--jobs", "两个"],
            &["--jobs <JOBS> 的值“两个”须是不小于 0 的整数"],
        ),
        (
            &["generate", "x", "--copies", "99999999999999999999999"],
            &["的值“99999999999999999999999”太大"],
        ),
        (&["new"], &["缺少参数 <DIR>", "用法：gongwen new <DIR>"]),
    ];
    for (args, expected) in cases {
        let output = gongwen(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        for part in expected {
            assert!(
                message.contains(part),
                "{args:?}: lacks {part:?}: {message}"
            );
        }
        assert!(
            !message.contains("error: "),
            "{args:?}: clap's English: {message}"
        );
    }
}

#[test]
fn yaml_slips_a_writer_makes_are_named_where_they_are() {
    let section = ("a.md", "# 标题\n\n经费{{ 经费.预算数 }}万元。\n");
    // A Tab in the indentation: libyaml says a character "cannot start any token".
    assert_fails(
        &[section, ("data.yaml", "经费:\n\t预算数: 240.63 万元\n")],
        &["data.yaml:2:1", "制表符（Tab）缩进", "换成空格"],
    );
    // A full-width colon after a key, on the line libyaml stops at or, past a blank line,
    // on the one before it.
    assert_fails(
        &[
            section,
            (
                "data.yaml",
                "经费:\n  预算数：240.63 万元\n  实际支出: 1 万元\n",
            ),
        ],
        &["data.yaml:2:6", "全角冒号“：”", "半角冒号"],
    );
    assert_fails(
        &[
            section,
            (
                "data.yaml",
                "经费:\n  预算数: 240.63 万元\n  实际支出：1 万元\n\n人员:\n  在职: 3 人\n",
            ),
        ],
        &["data.yaml:3:7", "全角冒号“：”"],
    );
    // The colon slip on a group's only key is valid YAML: the group's value is one text.
    assert_fails(
        &[
            section,
            (
                "data.yaml",
                "经费:\n  预算数：240.63 万元\n\n人员:\n  在职: 3 人\n",
            ),
        ],
        &["data.yaml:2:3", "用了全角冒号", "预算数: 240.63 万元"],
    );
    // A data.yaml that is not “名称: 值” at the top gave no data and no word.
    assert_fails(
        &[section, ("data.yaml", "- 经费\n- 240.63 万元\n")],
        &["data.yaml:1:1", "最外层应是“名称: 值”"],
    );
    // A key written twice: the second would silently replace the first.
    assert_fails(
        &[
            section,
            (
                "data.yaml",
                "经费:\n  预算数: 240.63 万元\n  预算数: 250 万元\n",
            ),
        ],
        &["data.yaml:3:", "“经费.预算数”写了两次"],
    );
}

#[test]
fn an_unfinished_condition_after_text_is_named_at_its_column() {
    // The column counts what the writer typed, not the markers the filling puts in.
    assert_fails(
        &[("a.md", "# 标题\n\n{{ 单位 }}\n第二段{% if 单位 %}无\n")],
        &["a.md:4:4", "没有写完，缺少 }}、%} 或 {% endif %}"],
    );
}
