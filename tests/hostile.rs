//! Hostile input: every file a writer (or an attacker) can hand gongwen ends in a located
//! error in Chinese or a valid .docx; never a panic, a hang, unbounded memory or a file that
//! Word cannot open.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Package, repo, report};

/// What a run of gongwen left: exit code, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs gongwen with a time limit: a run still going after `limit` is killed and the test
/// fails (a hang is a bug, not a slow machine).
fn gongwen_within(args: &[&str], limit: Duration) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    command.args(args).current_dir(repo());
    let Some(output) = common::run_within(&mut command, limit) else {
        panic!("gongwen {args:?} still running after {limit:?}");
    };
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != 101,
        "gongwen {args:?} panicked: {}",
        run.stderr
    );
    run
}

fn gongwen(args: &[&str]) -> Run {
    gongwen_within(args, Duration::from_secs(60))
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Builds `dir` to DIR/out.docx: the run and the output path.
fn build(dir: &Path) -> (Run, std::path::PathBuf) {
    let out = dir.join("out.docx");
    (gongwen(&["build", path(dir), "-o", path(&out)]), out)
}

/// The build failed with a message containing every one of `expected` and wrote nothing.
fn assert_build_fails(dir: &Path, expected: &[&str]) -> String {
    let (run, out) = build(dir);
    assert_ne!(run.code, 0, "build succeeded: {}", run.stdout);
    for part in expected {
        assert!(
            run.stderr.contains(part),
            "message lacks {part:?}: {}",
            run.stderr
        );
    }
    assert!(!out.exists(), "an output was written");
    run.stderr
}

/// Every XML part of the .docx at `out` parses.
fn assert_parts_parse(out: &Path) -> Package {
    let package = Package::open(out);
    for (name, text) in &package.parts {
        let is_xml = name.ends_with(".xml") || name.ends_with(".rels");
        if let (true, Err(err)) = (is_xml, roxmltree::Document::parse(text)) {
            panic!("{name} is not well-formed: {err}");
        }
    }
    package
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn body_text(package: &Package) -> String {
    package
        .paragraphs()
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("\n")
}

// Case 1: a percentage that overflows the exact decimal.

#[test]
fn an_overflowing_percentage_is_a_located_error_in_every_command() {
    let dir = report(&[("a.md", "# 情况\n\n比率为{{ 比 }}。\n")]);
    write(
        dir.path(),
        "data.yaml",
        "甲: 1 万元\n乙: 0.0000000000000000000000000001 万元\n",
    );
    write(
        dir.path(),
        "indicators.yaml",
        "指标:\n  - 名称: 比\n    公式: 甲 / 乙\n    单位: \"%\"\n",
    );
    let d = path(dir.path());
    for args in [
        vec!["build", d, "-o", "/nonexistent/x.docx"],
        vec!["check", d],
        vec!["indicators", d],
        vec!["markdown", d],
    ] {
        let run = gongwen(&args);
        assert_ne!(run.code, 0, "{args:?}");
        // check reports on stdout, the others on stderr.
        let said = run.stdout + &run.stderr;
        assert!(
            said.contains("indicators.yaml:3:") && said.contains("过大"),
            "{args:?}: {said}"
        );
    }
}

/// Any value of any YAML file may end up in a cell of the 自评表's .xlsx, which holds at most
/// 32,767 characters: a longer one is an error at the line it was typed, before anything is
/// written, in every file (not the spreadsheet library's English message about its cell).
#[test]
fn a_value_too_long_for_a_spreadsheet_cell_is_a_located_error() {
    let long = "很长的目标".repeat(8_000);
    for (file, text, at) in [
        (
            "data.yaml",
            format!("收入: 1 万元\n目标: {long}\n"),
            "data.yaml:2:5",
        ),
        (
            "indicators.yaml",
            format!("指标:\n  - 名称: 比\n    公式: 收入\n    说明: \"{long}\"\n"),
            "indicators.yaml:4:9",
        ),
    ] {
        let dir = report(&[("a.md", "# 情况\n\n收入{{ 收入 }}。\n")]);
        write(dir.path(), "data.yaml", "收入: 1 万元\n");
        write(dir.path(), file, &text);
        let said = assert_build_fails(dir.path(), &[at, "40000 个字", "上限"]);
        assert!(!said.contains("Excel's limit"), "{said}");
    }
}

// Case 2: characters XML forbids never reach a part.

#[test]
fn characters_xml_forbids_are_dropped_from_every_part() {
    let bad = "\u{FFFE}\u{FFFF}\u{1}\u{B}";
    let dir = report(&[(
        "a.md",
        &format!("# 情况{bad}\n\n正文{bad}{{{{ 甲 }}}}[^1]。\n\n[^1]: 脚注{bad}\n"),
    )]);
    // YAML itself refuses them raw; escaped they reach the value.
    write(
        dir.path(),
        "data.yaml",
        "甲: \"值\\uFFFE\\uFFFF\\x01\\x0B\"\n",
    );
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    let style = std::fs::read_to_string(repo().join("styles/gbt9704.yaml"))
        .unwrap()
        .replace("language: zh-CN", "language: \"zh-CN\\x01\\uFFFE\"");
    assert!(style.contains("\\x01"), "the style file names its language");
    write(dir.path(), "style.yaml", &style);
    let report_yaml = report_yaml
        .replace("标题: 测试报告", "标题: \"测试\\uFFFF报告\\x02\"")
        .lines()
        .map(|line| {
            if line.starts_with("样式:") {
                "样式: style.yaml"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(dir.path(), "report.yaml", &report_yaml);
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let package = assert_parts_parse(&out);
    let text = body_text(&package);
    assert!(text.contains("测试报告"), "{text}");
    assert!(text.contains("正文值"), "{text}");
    assert!(package.part("word/footnotes.xml").contains("脚注"));
    assert!(
        package
            .part("word/styles.xml")
            .contains("w:eastAsia=\"zh-CN\"")
    );

    // A redline whose author carries them.
    let redline = dir.path().join("r.docx");
    let run = gongwen(&[
        "redline",
        d(&dir),
        d(&dir),
        "-o",
        path(&redline),
        "--author",
        &format!("审核人{bad}"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_parts_parse(&redline);
}

fn d(dir: &tempfile::TempDir) -> &str {
    path(dir.path())
}

// Case 3: the check is about linear in the report's size.

#[test]
fn the_check_of_a_large_section_finishes_in_time() {
    // 10,000 distinct paragraphs of 40 characters: a pairwise comparison takes many minutes
    // in a debug build; the limit leaves room for a loaded machine.
    let mut seed = 12345u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    let mut text = String::from("# 情况\n\n");
    for _ in 0..10_000 {
        let paragraph: String = (0..40)
            .map(|_| char::from_u32(0x4E00 + next() % 3000).unwrap())
            .collect();
        text.push_str(&paragraph);
        text.push_str("\n\n");
    }
    // Two copies that the check must still find.
    text.push_str("这是一段会被重复的文字，单位按照要求认真开展了绩效自评工作。\n\n");
    text.push_str("这是一段会被重复的文字，单位按照要求认真开展了绩效自评工作！\n\n");
    let dir = report(&[("a.md", &text)]);
    let run = gongwen_within(&["check", d(&dir)], Duration::from_secs(120));
    assert!(run.stdout.contains("R001"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("R001").count(), 1, "{}", run.stdout);
}

/// A paragraph is one line: each of thousands of findings in a long one carries and shows a
/// window around its place, never the whole line (which made a check of 20,000 findings take
/// minutes and gigabytes), and each still at its own column.
#[test]
fn many_findings_in_one_long_paragraph_each_show_a_window_of_it() {
    let unit = "我们做了工作,取得成效。";
    let count = 20_000;
    let dir = report(&[("a.md", &format!("# 情况\n\n{}\n", unit.repeat(count)))]);
    let run = gongwen_within(&["check", d(&dir)], Duration::from_secs(300));
    assert_eq!(run.stdout.matches("warning[T002]").count(), count);
    let width = unit.chars().count();
    for i in [0, count / 2, count - 1] {
        let at = format!("a.md:3:{}\n", i * width + 7);
        assert!(run.stdout.contains(&at), "no finding at {at}");
    }
    let longest = run.stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 160, "a line of {longest} characters was shown");
}

#[test]
fn the_check_of_many_near_copies_of_a_paragraph_finishes_in_time() {
    // 20,000 copies differing only in a number, as an imported report's repeated items: each
    // is alike with the first, and finding that must not mean gathering every earlier copy
    // (quadratic: minutes in a debug build).
    let mut text = String::from("# 情况\n\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "进一步加强预算编制的科学性和准确性，提高第{i}项预算执行的均衡性和有效性。\n\n"
        ));
    }
    let dir = report(&[("a.md", &text)]);
    let run = gongwen_within(&["check", d(&dir)], Duration::from_secs(120));
    assert_eq!(run.stdout.matches("warning[R001]").count(), 19_999);
    assert!(
        run.stdout.contains("a.md:3:1 的段落相似"),
        "{}",
        &run.stdout[..2000]
    );
}

// Case 4: no input silently dropped or silently added.

#[cfg(unix)]
#[test]
fn a_symlinked_section_is_built_and_a_fifo_is_a_located_error() {
    let dir = report(&[("01-a.md", "# 甲\n\n甲的正文。\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "b.md", "# 乙\n\n乙的正文。\n");
    std::os::unix::fs::symlink(elsewhere.path().join("b.md"), dir.path().join("02-b.md")).unwrap();
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(body_text(&Package::open(&out)).contains("乙的正文"));
    std::fs::remove_file(&out).unwrap();

    mkfifo(&dir.path().join("03-c.md"));
    assert_build_fails(dir.path(), &["03-c.md", "不是普通文件"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_data_file_is_an_error_not_a_hang() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    mkfifo(&dir.path().join("data.yaml"));
    assert_build_fails(dir.path(), &["data.yaml", "不是普通文件"]);
}

#[test]
fn a_draft_in_a_subfolder_is_not_built_and_is_named_in_a_warning() {
    let dir = report(&[("01-基本情况.md", "# 基本情况\n\n新稿。\n")]);
    std::fs::create_dir(dir.path().join("旧稿")).unwrap();
    write(
        &dir.path().join("旧稿"),
        "01-基本情况.md",
        "# 基本情况\n\n旧稿的内容。\n",
    );
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!body_text(&Package::open(&out)).contains("旧稿的内容"));
    assert!(
        run.stderr.contains(
            &Path::new("旧稿")
                .join("01-基本情况.md")
                .display()
                .to_string()
        ) && run.stderr.contains("不是章节"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
fn mkfifo(at: &Path) {
    let status = Command::new("mkfifo").arg(at).status().expect("mkfifo");
    assert!(status.success());
}

// Case 6: a value filled into prose never creates Markdown structure.

#[test]
fn data_is_text_in_the_prose() {
    let dir = report(&[(
        "a.md",
        "# 情况\n\n项目名称：{{ 名称 }}。\n\n{{ 名称 }}\n\n# 问题\n\n{{ 未知 }}\n",
    )]);
    write(
        dir.path(),
        "data.yaml",
        "名称: \"甲\\n\\n# 乙 *丙* [^1] <b>丁</b>\\n1. 戊\"\n",
    );
    let run = gongwen(&["build", d(&dir), "-o", "/nonexistent/x.docx"]);
    // The error after the value still points at the writer's line 9.
    assert!(run.stderr.contains("a.md:9:"), "{}", run.stderr);

    write(
        dir.path(),
        "a.md",
        "# 情况\n\n项目名称：{{ 名称 }}。\n\n{{ 名称 }}\n\n# 问题\n\n正文。\n",
    );
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let package = Package::open(&out);
    let paragraphs = package.paragraphs();
    let headings: Vec<&str> = paragraphs
        .iter()
        .filter(|(style, _)| style.starts_with("Heading"))
        .map(|(_, text)| text.as_str())
        .collect();
    assert_eq!(headings, ["一、情况", "二、问题"]);
    let text = body_text(&package);
    assert!(
        text.contains("项目名称：甲 # 乙 *丙* [^1] <b>丁</b> 1. 戊。"),
        "{text}"
    );
}

// Case 7: reads are bounded.

#[cfg(unix)]
#[test]
fn a_device_as_style_or_data_is_refused_at_once() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    let with_style = |style: &str| {
        report_yaml
            .lines()
            .map(|l| {
                if l.starts_with("样式:") {
                    style.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    write(dir.path(), "report.yaml", &with_style("样式: /dev/zero"));
    assert_build_fails(dir.path(), &["/dev/zero", "不是普通文件"]);

    write(
        dir.path(),
        "report.yaml",
        &with_style(&format!(
            "样式: {}",
            repo().join("styles/gbt9704.yaml").display()
        )),
    );
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("data.yaml")).unwrap();
    assert_build_fails(dir.path(), &["data.yaml", "不是普通文件"]);
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.docx");
    // Sparse: 2 GB that take no disk and would take seconds and gigabytes to read.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let imported = dir.path().join("imported");
    for args in [
        vec!["textconv", path(&big)],
        vec!["import", path(&big), "-o", path(&imported)],
    ] {
        let run = gongwen_within(&args, Duration::from_secs(30));
        assert_ne!(run.code, 0);
        assert!(
            run.stderr.contains("big.docx") && run.stderr.contains("超过"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(!imported.exists());

    let report_dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    std::fs::File::create(report_dir.path().join("b.md"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let started = Instant::now();
    assert_build_fails(report_dir.path(), &["b.md", "超过"]);
    assert!(started.elapsed() < Duration::from_secs(30));
}

// Case 8: messages in Chinese at the writer's line, and nothing leaked.

#[test]
fn a_style_path_to_a_private_file_does_not_print_it() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let secret = dir.path().join("secret.txt");
    write(
        dir.path(),
        "secret.txt",
        "root:$6$SECRETHASH:19000:0:99999:7:::\n",
    );
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("样式:") {
                format!("样式: {}", secret.display())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(dir.path(), "report.yaml", &report_yaml);
    let message = assert_build_fails(dir.path(), &["secret.txt"]);
    assert!(!message.contains("SECRETHASH"), "{message}");
}

#[test]
fn an_alias_bomb_is_refused_in_chinese_at_its_line() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (i, name) in "bcdefghij".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    write(dir.path(), "data.yaml", &bomb);
    let message = assert_build_fails(dir.path(), &["data.yaml:", "别名"]);
    assert!(!message.contains("repetition limit"), "{message}");
    assert!(!message.contains("data.yaml:1:"), "{message}");
}

#[test]
fn bad_indentation_is_explained_in_chinese() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    write(dir.path(), "data.yaml", "甲:\n  乙: 1 万元\n 丙: 2 万元\n");
    let message = assert_build_fails(dir.path(), &["data.yaml:3:", "缩进"]);
    let english = message
        .split("YAML 错误：")
        .nth(1)
        .and_then(|said| said.lines().next())
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_lowercase)
        .count();
    assert!(english < 5, "{message}");
}

#[test]
fn dates_are_validated() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    write(
        dir.path(),
        "report.yaml",
        &report_yaml.replace("日期: 2024-01-02", "日期: 2024-13-45"),
    );
    assert_build_fails(
        dir.path(),
        &["error[E008]: 日期“2024-13-45”不存在", "report.yaml:6:"],
    );

    // Without 日期 the file's date is the documented default, 1 January after 年度.
    write(
        dir.path(),
        "report.yaml",
        &report_yaml.replace("日期: 2024-01-02\n", ""),
    );
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("日期"), "{}", run.stderr);
    let core = Package::open(&out).part("docProps/core.xml").to_string();
    assert!(core.contains("2024-01-01T00:00:00Z"), "{core}");
    assert!(!core.contains("1970"), "{core}");

    write(dir.path(), "report.yaml", &report_yaml);
    for date in ["yesterday", "2024-02-30"] {
        let run = gongwen(&[
            "redline",
            d(&dir),
            d(&dir),
            "-o",
            path(&dir.path().join("r.docx")),
            "--date",
            date,
        ]);
        assert_ne!(run.code, 0, "{date}");
        // A command-line value: a usage error naming the option, as every error is printed.
        assert!(
            run.stderr
                .starts_with(&format!("error[E009]: --date: 日期“{date}”"))
                && run.stderr.contains("YYYY-MM-DD"),
            "{}",
            run.stderr
        );
        assert!(!dir.path().join("r.docx").exists());
    }
}

#[test]
fn a_number_with_thousands_separators_is_an_error_at_its_data_line() {
    let dir = report(&[("a.md", "# 甲\n\n支出{{ 率 }}。\n")]);
    write(
        dir.path(),
        "data.yaml",
        "预算: 20000 万元\n支出:\n  合计: 12,345.60 万元\n",
    );
    write(
        dir.path(),
        "indicators.yaml",
        "指标:\n  - 名称: 率\n    公式: 支出.合计 / 预算\n    单位: \"%\"\n",
    );
    assert_build_fails(
        dir.path(),
        &["data.yaml:3:", "去掉千分位逗号：12345.60 万元"],
    );
}

#[test]
fn a_decimal_beyond_exactness_is_an_error_not_rounded() {
    let dir = report(&[("a.md", "# 甲\n\n{{ 甲 }}\n")]);
    write(
        dir.path(),
        "data.yaml",
        "甲: 1.234567890123456789012345678901234567890 万元\n",
    );
    assert_build_fails(dir.path(), &["data.yaml:1:", "位"]);
}

#[test]
fn numbering_beyond_its_range_is_an_error() {
    let mut text = String::new();
    for _ in 0..10_000 {
        text.push_str("# 标题\n\n");
    }
    let dir = report(&[("a.md", &text)]);
    assert_build_fails(dir.path(), &["a.md:19999:", "9999"]);
}

#[test]
fn deep_list_nesting_names_a_real_level() {
    let mut text = String::from("# 甲\n\n");
    for depth in 0..300 {
        text.push_str(&"   ".repeat(depth));
        text.push_str("1. 项\n");
    }
    let dir = report(&[("a.md", &text)]);
    let message = assert_build_fails(dir.path(), &["a.md:"]);
    assert!(!message.contains("255"), "{message}");
}

// Every section and data file of a real report, given each kind of awkward file.

/// content/ copied into a temporary directory, its style named by an absolute path.
#[cfg(unix)]
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo().join("content")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let style = repo().join("styles/gbt9704.yaml");
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml"))
        .unwrap()
        .replace("../styles/gbt9704.yaml", path(&style));
    write(dir.path(), "report.yaml", &report_yaml);
    dir
}

#[cfg(unix)]
#[test]
fn awkward_files_give_a_located_error_or_a_correct_build() {
    use std::os::unix::fs::PermissionsExt;

    let kinds = [
        "symlink",
        "fifo",
        "directory",
        "unreadable",
        "empty",
        "dev-zero",
    ];
    let names = [
        "01-基本情况.md",
        "05-下一步拟改进措施.md",
        "data.yaml",
        "indicators.yaml",
        "report.yaml",
    ];
    for name in names {
        for kind in kinds {
            let dir = sample_copy();
            let target = dir.path().join(name);
            let original = std::fs::read(&target).unwrap();
            let elsewhere = tempfile::tempdir().unwrap();
            std::fs::remove_file(&target).unwrap();
            match kind {
                "symlink" => {
                    let real = elsewhere.path().join(name);
                    std::fs::write(&real, &original).unwrap();
                    std::os::unix::fs::symlink(&real, &target).unwrap();
                }
                "fifo" => mkfifo(&target),
                "directory" => std::fs::create_dir(&target).unwrap(),
                "unreadable" => {
                    std::fs::write(&target, &original).unwrap();
                    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o000))
                        .unwrap();
                }
                "empty" => std::fs::write(&target, "").unwrap(),
                "dev-zero" => std::os::unix::fs::symlink("/dev/zero", &target).unwrap(),
                _ => unreachable!(),
            }
            let out = elsewhere.path().join("out.docx");
            let run = gongwen_within(
                &["build", path(dir.path()), "-o", path(&out)],
                Duration::from_secs(60),
            );
            let case = format!("{name} as {kind}");
            if run.code == 0 {
                assert!(
                    matches!(kind, "symlink" | "unreadable" | "empty"),
                    "{case} built"
                );
                assert_parts_parse(&out);
            } else {
                assert!(!out.exists(), "{case}: failed but wrote a file");
                // The file itself, or (an empty data.yaml) the line that needs what it lacked.
                let located = run.stderr.contains(&format!("{}:", path(&target)))
                    || (kind == "empty" && run.stderr.contains(path(dir.path())));
                assert!(located, "{case}: the error is not located: {}", run.stderr);
                if matches!(kind, "fifo" | "directory" | "dev-zero") {
                    assert!(
                        run.stderr.contains("不是普通文件"),
                        "{case}: {}",
                        run.stderr
                    );
                }
                assert!(kind != "symlink", "{case}: {}", run.stderr);
            }
        }
    }
}

#[test]
fn a_text_value_in_a_formula_names_its_data_line() {
    let dir = report(&[("a.md", "# 甲\n\n{{ 率 }}\n")]);
    write(
        dir.path(),
        "data.yaml",
        "预算: 100 万元\n支出:\n  合计: 约九十万元\n",
    );
    write(
        dir.path(),
        "indicators.yaml",
        "指标:\n  - 名称: 率\n    公式: 支出.合计 / 预算\n    单位: \"%\"\n",
    );
    assert_build_fails(
        dir.path(),
        &["indicators.yaml:3:", "data.yaml:3:", "不是数值"],
    );
}

// No recursion on a depth the writer controls: each nesting is an error at the line and
// column where it passes its limit, or is followed without the call stack.

/// A report with `a.md`, `data.yaml` and `indicators.yaml` as given.
fn report_with(data: &str, indicators: &str) -> tempfile::TempDir {
    let dir = report(&[("a.md", "# 甲\n\n{{ 指标0 }}\n")]);
    write(dir.path(), "data.yaml", data);
    write(dir.path(), "indicators.yaml", indicators);
    dir
}

#[test]
fn deep_yaml_nesting_is_a_located_error_before_the_library_reads_it() {
    let depth = 100_000;
    let flow_list = format!("x: {}\n", "[".repeat(depth));
    let flow_map = format!("x: {}\n", "{a: ".repeat(depth));
    for (file, text) in [("data.yaml", &flow_list), ("report.yaml", &flow_map)] {
        let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
        let text = match file {
            "report.yaml" => std::fs::read_to_string(dir.path().join(file)).unwrap() + text,
            _ => text.clone(),
        };
        write(dir.path(), file, &text);
        let line = text.lines().count();
        // Said by the pre-scan, before the library's scan (quadratic in the depth) runs.
        assert_build_fails(dir.path(), &[&format!("{file}:{line}:"), "嵌套超过"]);
    }
}

/// Nested aliases in a file of a few lines would make millions of values: the build refuses
/// them before they fill the memory. Natively on x86_64 Linux, where `ulimit -v` bounds the
/// program itself (under an emulator it would bound the emulator).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn nested_aliases_are_refused_within_a_small_memory() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let mut bomb = String::from("z0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
    for i in 1..12 {
        let aliases = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("z{i}: &a{i} [{aliases}]\n"));
    }
    write(dir.path(), "data.yaml", &bomb);
    let out = dir.path().join("out.docx");
    let output = common::run(
        Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 600000 && exec "$0" build "$1" -o "$2""#)
            .arg(env!("CARGO_BIN_EXE_gongwen"))
            .arg(dir.path())
            .arg(&out),
    );
    let message = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("万字的上限"), "{message}");
    assert!(!out.exists());
}

#[test]
fn aliases_cannot_multiply_a_file_past_its_size_budget() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let aliases = vec!["*a"; 2000].join(", ");
    let data = format!(
        "甲: 1 万元\n大: &a \"{}\"\n多: [{aliases}]\n",
        "字".repeat(30_000)
    );
    assert!(data.len() < 1 << 20);
    write(dir.path(), "data.yaml", &data);
    assert_build_fails(dir.path(), &["data.yaml:3:", "别名", "万字的上限"]);
}

#[test]
fn a_long_chain_or_cycle_of_indicators_is_evaluated_or_refused_without_recursion() {
    // A thousand overflowed the stack; eval::indicators' own test walks a hundred thousand.
    let n = 5_000;
    let chain = |last: &str| {
        let mut text = String::from("指标:\n");
        for i in 0..n {
            let formula = if i + 1 < n {
                format!("指标{} + 1", i + 1)
            } else {
                last.to_string()
            };
            text.push_str(&format!("  - 名称: 指标{i}\n    公式: {formula}\n"));
        }
        text
    };
    let dir = report_with("x: 1\n", &chain("指标0"));
    let message = assert_build_fails(dir.path(), &["indicators.yaml:3:", "循环引用"]);
    assert!(message.contains("指标0 → 指标1 → 指标2"), "{message}");

    let dir = report_with("x: 1\n", &chain("x"));
    let (run, out) = build(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(body_text(&assert_parts_parse(&out)).contains(&n.to_string()));
}

#[test]
fn deep_formula_nesting_is_a_located_error() {
    // Deep, and within the length of one value.
    let depth = 10_000;
    for formula in [
        format!("{}x{}", "(".repeat(depth), ")".repeat(depth)),
        format!("{}x", "-".repeat(depth)),
    ] {
        let dir = report_with(
            "x: 1\n",
            &format!("指标:\n  - 名称: 指标0\n    公式: {formula}\n"),
        );
        assert_build_fails(dir.path(), &["indicators.yaml:3:", "公式过长"]);
    }
}

// Every error at the line and column where the writer typed its cause.

#[test]
fn yaml_the_library_cannot_place_is_located_where_it_was_typed() {
    let cases = [
        ("甲: 1 万元\n乙: 2\u{0} 万元\n", "data.yaml:2:5", "控制字符"),
        ("甲: 1 万元\n~: 5 万元\n", "data.yaml:2:1", "键是空的"),
        ("甲: 1 万元\n{a: 1}: 2\n", "data.yaml:2:1", "键是一组"),
        ("甲: 1 万元\n[a, b]: 2\n", "data.yaml:2:1", "列表"),
    ];
    for (data, at, said) in cases {
        let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
        write(dir.path(), "data.yaml", data);
        assert_build_fails(dir.path(), &[at, said]);
    }
}

// Budgets on everything read: a .docx part that unpacks within its byte limit but holds
// millions of elements is refused (by its bytes or its elements, whichever limit the reader
// has), naming the file and the part.

#[test]
fn a_docx_of_millions_of_empty_paragraphs_is_refused_within_a_budget() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    write!(
        zip,
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>"#,
        "<w:p/>".repeat(3_000_000)
    )
    .unwrap();
    let bomb = dir.path().join("空段.docx");
    std::fs::write(&bomb, zip.finish().unwrap().into_inner()).unwrap();
    let imported = dir.path().join("imported");
    for args in [
        vec!["textconv", path(&bomb)],
        vec!["fonts", path(&bomb)],
        vec!["import", path(&bomb), "-o", path(&imported)],
    ] {
        let run = gongwen_within(&args, Duration::from_secs(600));
        assert_ne!(run.code, 0);
        assert!(
            run.stderr.contains("空段.docx:1:1")
                && run.stderr.contains("word/document.xml")
                && run.stderr.contains("不是一份报告"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(!imported.exists());
}

/// A part that is not XML is said in Chinese, with where in the part, by every command that
/// reads a .docx (not the XML library's English).
#[test]
fn a_docx_whose_xml_is_broken_is_said_in_chinese_by_every_reader() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    for (i, (xml, said)) in [
        (format!("<w:document {w}><w:body><w:p>"), "在结尾处中断"),
        (
            format!("<w:document {w}><w:body>\n<w:p></w:r></w:body></w:document>"),
            "第 2 行第 6 列结束标记与开始标记不配对",
        ),
        (
            format!("<w:document {w}><w:body><w:p>&bogus;</w:p></w:body></w:document>"),
            "无法识别的实体引用",
        ),
        (
            format!("<!DOCTYPE x [<!ENTITY a \"b\">]><w:document {w}/>"),
            "文档类型声明",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        let docx = dir.path().join(format!("坏{i}.docx"));
        std::fs::write(&docx, zip.finish().unwrap().into_inner()).unwrap();
        let imported = dir.path().join(format!("imported{i}"));
        for args in [
            vec!["textconv", path(&docx)],
            vec!["fonts", path(&docx)],
            vec!["import", path(&docx), "-o", path(&imported)],
        ] {
            let run = gongwen(&args);
            assert_ne!(run.code, 0, "{args:?}");
            assert!(
                run.stderr.contains(&format!("坏{i}.docx:1:1"))
                    && run.stderr.contains("word/document.xml 不是合法的 XML：")
                    && run.stderr.contains(said),
                "{args:?}: {}",
                run.stderr
            );
        }
        assert!(!imported.exists());
    }
}

#[test]
fn near_copies_among_paragraphs_of_common_bigrams_are_found_against_the_earliest() {
    // Prose over a few dozen characters: even each paragraph's rarest bigrams are shared
    // with hundreds of others, the shape whose candidate search is bounded. Copies of the
    // first and of the 300th paragraph, each with one character changed, are still found.
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    let paragraphs: Vec<String> = (0..2_000)
        .map(|_| {
            (0..60)
                .map(|_| char::from_u32(0x4E00 + next() % 40).unwrap())
                .collect()
        })
        .collect();
    let mut text = String::from("# 情况\n\n");
    for paragraph in &paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    for original in [&paragraphs[0], &paragraphs[300]] {
        let copy: String = original
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 30 { '改' } else { c })
            .collect();
        text.push_str(&copy);
        text.push_str("\n\n");
    }
    let dir = report(&[("a.md", &text)]);
    let run = gongwen_within(&["check", d(&dir)], Duration::from_secs(600));
    let found: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("的段落相似") || l.contains("的段落相同"))
        .collect();
    assert_eq!(found.len(), 2, "{}", run.stdout);
    assert!(found[0].contains("a.md:3:1 的段落相似"), "{}", run.stdout);
    assert!(found[1].contains("a.md:603:1 的段落相似"), "{}", run.stdout);
}

// Answers that are right or an error.

#[test]
fn a_data_group_in_a_placeholder_is_an_error_listing_its_fields() {
    let dir = report(&[("a.md", "# 甲\n\n预算为{{ 预算 }}。\n")]);
    write(
        dir.path(),
        "data.yaml",
        "预算:\n  年初: 1 万元\n  调整后: 2 万元\n",
    );
    let message = assert_build_fails(
        dir.path(),
        &["a.md:3:7", "一组数据", "{{ 预算.年初 }}、{{ 预算.调整后 }}"],
    );
    assert!(!message.contains("{'"), "{message}");
}

#[test]
fn a_name_another_value_has_is_an_error_at_its_line() {
    let indicator = |name: &str| format!("指标:\n  - 名称: {name}\n    公式: x\n");
    let cases = [
        (
            "x: 1\n年度: 2020\n",
            indicator("率"),
            "data.yaml:2:",
            "report.yaml 的年度",
        ),
        (
            "x: 1\n下一年度: 2020\n",
            indicator("率"),
            "data.yaml:2:",
            "report.yaml 的下一年度",
        ),
        (
            "x: 1\n",
            indicator("单位"),
            "indicators.yaml:3:",
            "report.yaml 的单位",
        ),
        (
            "x: 1\n率: 2\n",
            indicator("率"),
            "indicators.yaml:3:",
            "data.yaml 的“率”",
        ),
    ];
    for (data, indicators, at, earlier) in cases {
        let dir = report_with(data, &indicators);
        write(dir.path(), "a.md", "# 甲\n\n正文。\n");
        assert_build_fails(dir.path(), &[at, "重复", earlier, "换一个名称"]);
    }
}

#[test]
fn a_style_value_out_of_its_range_is_an_error_at_the_value() {
    let builtin = std::fs::read_to_string(repo().join("styles/gbt9704.yaml")).unwrap();
    let cases = [
        (
            "  size_pt: 16\n",
            "  size_pt: -16\n",
            "字号（磅）应是 1 到 1638 之间的数",
        ),
        (
            "margin_left_mm: 28 ",
            "margin_left_mm: -5 ",
            "页边距（毫米）应是 0 到 500 之间的数",
        ),
        (
            "line_pitch_pt: 28.95",
            "line_pitch_pt: 1e300",
            "行距（磅）应是 1 到 1584 之间的数",
        ),
        (
            "margin_right_mm: 26 ",
            "margin_right_mm: 190 ",
            "左右页边距之和应小于纸张宽度",
        ),
    ];
    for (from, to, said) in cases {
        let at = builtin.find(from).unwrap();
        let line = builtin[..at].matches('\n').count() + 1;
        let line_start = builtin[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = at - line_start + to.find(':').unwrap() + 3;
        let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
        write(dir.path(), "my.yaml", &builtin.replacen(from, to, 1));
        let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
        let report_yaml: String = report_yaml
            .lines()
            .map(|l| {
                if l.starts_with("样式:") {
                    "样式: my.yaml\n".to_string()
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        write(dir.path(), "report.yaml", &report_yaml);
        assert_build_fails(dir.path(), &[&format!("my.yaml:{line}:{column}"), said]);
    }
}

#[test]
fn an_integer_beyond_its_field_is_said_as_out_of_range() {
    let dir = report(&[(
        "a.md",
        "---\norder: 99999999999999999999\n---\n# 甲\n\n正文。\n",
    )]);
    let message = assert_build_fails(dir.path(), &["a.md:2:", "这个值超出了范围"]);
    assert!(!message.contains("expected"), "{message}");
}

#[test]
fn an_error_in_the_title_is_at_its_line_and_column_in_report_yaml() {
    let dir = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml"))
        .unwrap()
        .replace("标题: 测试报告", "标题: \"{{ 年度 }}年{{ 不存在 }}\"");
    write(dir.path(), "report.yaml", &report_yaml);
    // 标题 is line 2; its quote is column 5, 不存在 column 18.
    assert_build_fails(dir.path(), &["report.yaml:2:18", "不存在"]);
}
