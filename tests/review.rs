//! Review workflow: byte-identical builds, a readable diff, tracked changes that round-trip,
//! and the text of any .docx for git.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{W, gongwen, stderr};

fn build_with_env(out: &Path, env: &[(&str, &str)]) -> Vec<u8> {
    let output = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["build", "content", "-o", out.to_str().unwrap()])
            .current_dir(common::repo())
            .envs(env.iter().copied()),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read(out).unwrap()
}

#[test]
fn two_builds_in_separate_processes_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = build_with_env(
        &dir.path().join("a.docx"),
        &[("TZ", "UTC"), ("LANG", "C"), ("LC_ALL", "C")],
    );
    let b = build_with_env(
        &dir.path().join("sub-b.docx"),
        &[
            ("TZ", "Asia/Shanghai"),
            ("LANG", "zh_CN.UTF-8"),
            ("LC_ALL", "zh_CN.UTF-8"),
            ("SOURCE_DATE_EPOCH", "1"),
        ],
    );
    assert!(a == b, "the two builds differ");
}

/// The zip crate's `time` feature would stamp entries with the clock: every entry must carry
/// the fixed 1980-01-01 date, whatever a dependency enables.
#[test]
fn zip_entries_carry_no_clock_time() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build_with_env(&dir.path().join("a.docx"), &[]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let stamp = entry.last_modified().expect("a date");
        assert_eq!(
            (stamp.year(), stamp.month(), stamp.day()),
            (1980, 1, 1),
            "{}",
            entry.name()
        );
    }
    let tree = Command::new(env!("CARGO"))
        .args(["tree", "-e", "features", "-i", "zip", "--offline"])
        .current_dir(common::repo())
        .output();
    if let Some(tree) = tree.ok().filter(|t| t.status.success()) {
        let text = String::from_utf8_lossy(&tree.stdout);
        assert!(
            !text.contains("zip feature \"time\""),
            "a dependency enables zip's time feature:\n{text}"
        );
    }
}

/// A copy of the sample whose 决算支出 (and 项目支出, so the identity holds) changed.
fn changed_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("new");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replace("决算支出: 2806.19 万元", "决算支出: 2906.19 万元")
            .replace("项目支出: 1473.15 万元", "项目支出: 1573.15 万元")
            .replace(
                "本次部门整体绩效评价情况较好",
                "本次部门整体绩效评价情况良好",
            );
        std::fs::write(copy.join(path.file_name().unwrap()), text).unwrap();
    }
    copy
}

#[test]
fn diff_shows_the_changed_sentences_and_indicator_rows() {
    let dir = tempfile::tempdir().unwrap();
    let new = changed_copy(dir.path());
    let output = gongwen(&["diff", "content", new.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("预算执行数[-2806.19-]{+2906.19+}万元，预算执行率为[-90.54%-]{+93.77%+}"),
        "{text}"
    );
    assert!(text.contains("评价情况[-较-]{+良+}好"), "{text}");
    assert!(
        text.contains("| 预算执行率 | 90.54% | 93.77% | 未达到年初目标 | 未达到年初目标 |"),
        "{text}"
    );
    assert!(text.contains("| 结转结余率 | 9.46% | 6.23% |"), "{text}");
    assert!(
        !text.contains("公用经费控制率 |"),
        "an unchanged indicator is listed"
    );
    let same = gongwen(&["diff", "content", "content"]);
    assert!(String::from_utf8_lossy(&same.stdout).contains("相同"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {}", stderr(&status));
}

#[test]
fn diff_reads_git_revisions_without_touching_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    for sub in ["content", "styles"] {
        std::fs::create_dir(repo.join(sub)).unwrap();
        for entry in std::fs::read_dir(common::repo().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, repo.join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "v1"]);
    let data = repo.join("content/data.yaml");
    let edited = std::fs::read_to_string(&data)
        .unwrap()
        .replace("实际支出: 210.18 万元", "实际支出: 220.18 万元");
    std::fs::write(&data, &edited).unwrap();
    let output = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("diff")
            .current_dir(repo),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("[-210.18-]{+220.18+}"), "{text}");
    assert!(
        text.contains("| 公用经费控制率 | 87.35% | 91.50% |"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(&data).unwrap(),
        edited,
        "the working tree changed"
    );
    let bad = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["diff", "no-such-rev"])
            .current_dir(repo),
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("no-such-rev"), "{}", stderr(&bad));
}

/// A git repository with a copy of the sample committed, then 实际支出 edited in the working
/// tree; returns the temporary folder that holds it (the repository is its `repo`).
fn committed_and_edited() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    for sub in ["content", "styles"] {
        std::fs::create_dir_all(repo.join(sub)).unwrap();
        for entry in std::fs::read_dir(common::repo().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, repo.join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    let data = repo.join("content/data.yaml");
    let edited = std::fs::read_to_string(&data)
        .unwrap()
        .replace("实际支出: 210.18 万元", "实际支出: 220.18 万元");
    std::fs::write(&data, edited).unwrap();
    dir
}

/// HEAD against the working tree finds the one edit however `--report` is spelled and
/// wherever gongwen runs; `redline` from HEAD tracks it.
#[test]
fn review_commands_resolve_the_report_in_the_repository_whatever_the_spelling() {
    let dir = committed_and_edited();
    let top = dir.path();
    let repo = top.join("repo");
    let content = repo.join("content");
    let absolute = content.to_str().unwrap().to_string();
    let mut spellings: Vec<(PathBuf, String)> = vec![
        (repo.clone(), "content".into()),
        (repo.clone(), absolute.clone()),
        (repo.clone(), "./styles/../content".into()),
        (content.clone(), ".".into()),
        (content.clone(), absolute.clone()),
        (repo.join("styles"), "../content".into()),
        (top.to_path_buf(), "repo/content".into()),
        (top.to_path_buf(), absolute.clone()),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&repo, top.join("alias")).unwrap();
        std::os::unix::fs::symlink("content", repo.join("link")).unwrap();
        spellings.push((top.to_path_buf(), "alias/content".into()));
        spellings.push((top.join("alias"), "content".into()));
        spellings.push((top.join("alias/content"), ".".into()));
        spellings.push((repo.clone(), "link".into()));
    }
    for (cwd, report) in &spellings {
        let output = common::run(
            Command::new(env!("CARGO_BIN_EXE_gongwen"))
                .args(["diff", "HEAD", "--report", report])
                .current_dir(cwd)
                .env("GIT_CEILING_DIRECTORIES", top.parent().unwrap()),
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let context = format!(
            "in {}, --report {report}: {}{text}",
            cwd.display(),
            stderr(&output)
        );
        assert!(output.status.success(), "{context}");
        assert!(text.contains("[-210.18-]{+220.18+}"), "{context}");
        assert!(text.contains("--- HEAD:content\n"), "{context}");
    }
    let redline = top.join("修订稿.docx");
    let output = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["redline", "HEAD", "--report", &absolute, "-o"])
            .arg(&redline)
            .current_dir(&content),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let xml = document_xml(&redline);
    assert!(
        xml.contains("<w:del ") && xml.contains("<w:ins "),
        "no tracked changes"
    );
}

/// The body text of a redline with every change accepted, or every change rejected.
fn resolve(xml: &str, accept: bool) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let (dropped, kept) = if accept {
        ("del", "ins")
    } else {
        ("ins", "del")
    };
    let _ = kept;
    let inside =
        |n: roxmltree::Node<'_, '_>, name: &str| n.ancestors().any(|a| a.has_tag_name((W, name)));
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")) && !inside(*n, "tbl"))
        .filter(|p| {
            // A paragraph whose mark was inserted (deleted) goes away when rejected (accepted).
            let mark = p
                .children()
                .find(|c| c.has_tag_name((W, "pPr")))
                .and_then(|ppr| ppr.children().find(|c| c.has_tag_name((W, "rPr"))));
            !mark.is_some_and(|rpr| rpr.children().any(|c| c.has_tag_name((W, dropped))))
        })
        .map(|p| {
            p.descendants()
                .filter(|n| {
                    (n.has_tag_name((W, "t")) || (!accept && n.has_tag_name((W, "delText"))))
                        && !inside(*n, dropped)
                })
                .filter_map(|n| n.text())
                .collect()
        })
        .collect()
}

fn document_xml(path: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn body_lines(path: &Path) -> Vec<String> {
    common::paragraphs(&document_xml(path))
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

#[test]
fn redline_round_trips_to_new_and_old() {
    let dir = tempfile::tempdir().unwrap();
    let new = changed_copy(dir.path());
    // NEW also loses a paragraph and gains one, so whole-paragraph changes are exercised.
    let section = new.join("05-下一步拟改进措施.md");
    let text = std::fs::read_to_string(&section).unwrap();
    let text = text.replace("科学编制预算、合理分配预算资金，减少资金结余，加强人才培训学习，完善部门整体绩效目标，提高部门和单位整体绩效水平。\n", "")
        + "\n下一年度将建立绩效目标动态调整机制，按季度跟踪预算执行情况。\n";
    std::fs::write(&section, text).unwrap();
    let redline = dir.path().join("修订稿.docx");
    let output = gongwen(&[
        "redline",
        "content",
        new.to_str().unwrap(),
        "-o",
        redline.to_str().unwrap(),
        "--author",
        "审核人",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let xml = document_xml(&redline);
    assert!(
        xml.contains("<w:ins ") && xml.contains("<w:del "),
        "no tracked changes"
    );
    assert!(xml.contains("w:author=\"审核人\""));
    let ids: Vec<&str> = xml
        .match_indices("<w:ins w:id=\"")
        .chain(xml.match_indices("<w:del w:id=\""))
        .map(|(at, m)| xml[at + m.len()..].split('"').next().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "revision ids repeat: {ids:?}");

    let build = |dir: &Path, name: &str| {
        let out = tempfile::tempdir().unwrap().keep().join(name);
        let output = gongwen(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        body_lines(&out)
    };
    assert_eq!(
        resolve(&xml, true),
        build(&new, "new.docx"),
        "accept all ≠ NEW"
    );
    assert_eq!(
        resolve(&xml, false),
        build(&common::repo().join("content"), "old.docx"),
        "reject all ≠ OLD"
    );
}

#[test]
fn textconv_prints_the_text_of_our_docx() {
    let (dir, _) = common::build(&common::repo().join("content"));
    let ours = dir.path().join("out.docx");
    let output = gongwen(&["textconv", ours.to_str().unwrap()]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("附件3\n\n"), "{text}");
    assert!(text.contains("\n一、基本情况\n") && text.contains("预算执行率为90.54%"));
    let bad = gongwen(&["textconv", "Cargo.toml"]);
    assert!(!bad.status.success() && stderr(&bad).contains("Cargo.toml"));
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn textconv_prints_the_text_of_a_libreoffice_docx() {
    common::require_renderer();
    let (dir, _) = common::build(&common::repo().join("content"));
    let ours = dir.path().join("out.docx");
    let converted = dir.path().join("lo");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&converted)
        .arg(&ours)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
    let output = gongwen(&["textconv", converted.join("out.docx").to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("一、基本情况") && text.contains("预算执行率为90.54%"),
        "{text}"
    );
}

/// What a reader sees of a package with every change accepted (or rejected): each
/// paragraph's text, table cells included, with each footnote's text where it is cited.
fn resolved(path: &Path, accept: bool) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut xml = String::new();
        if let Ok(mut entry) = archive.by_name(name) {
            entry.read_to_string(&mut xml).unwrap();
        }
        xml
    };
    let (document, footnotes) = (part("word/document.xml"), part("word/footnotes.xml"));
    let dropped = if accept { "del" } else { "ins" };
    let inside =
        |n: roxmltree::Node<'_, '_>, name: &str| n.ancestors().any(|a| a.has_tag_name((W, name)));
    let marked = |n: Option<roxmltree::Node<'_, '_>>| {
        n.is_some_and(|n| n.children().any(|c| c.has_tag_name((W, dropped))))
    };
    let text = |p: roxmltree::Node<'_, '_>, notes: &dyn Fn(&str) -> String| -> String {
        p.descendants()
            .filter(|n| !inside(*n, dropped))
            .filter_map(|n| match n.tag_name().name() {
                "t" => n.text().map(str::to_string),
                "delText" if !accept => n.text().map(str::to_string),
                "footnoteReference" => Some(format!(
                    "〔注：{}〕",
                    notes(n.attribute((W, "id")).unwrap())
                )),
                _ => None,
            })
            .collect()
    };
    let notes_doc = roxmltree::Document::parse(if footnotes.is_empty() {
        "<w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"
    } else {
        &footnotes
    })
    .unwrap();
    let note = |id: &str| -> String {
        let footnote = notes_doc
            .descendants()
            .find(|n| n.has_tag_name((W, "footnote")) && n.attribute((W, "id")) == Some(id))
            .unwrap_or_else(|| panic!("no footnote {id}"));
        text(footnote, &|_| String::new())
    };
    let doc = roxmltree::Document::parse(&document).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|p| {
            let row = p.ancestors().find(|a| a.has_tag_name((W, "tr")));
            let row_mark = row.and_then(|r| r.children().find(|c| c.has_tag_name((W, "trPr"))));
            let mark = p
                .children()
                .find(|c| c.has_tag_name((W, "pPr")))
                .and_then(|ppr| ppr.children().find(|c| c.has_tag_name((W, "rPr"))));
            !marked(row_mark) && !marked(mark)
        })
        .map(|p| text(p, &note))
        .collect()
}

/// Builds OLD and NEW and their redline; accepting every change must give NEW, rejecting
/// every change OLD, footnotes and table cells included.
fn assert_round_trip(old: &str, new: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let (old_dir, new_dir) = (
        common::report(&[("a.md", old)]),
        common::report(&[("a.md", new)]),
    );
    let build = |dir: &Path, name: &str| {
        let path = out.path().join(name);
        let output = gongwen(&["build", dir.to_str().unwrap(), "-o", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        resolved(&path, true)
    };
    let redline = out.path().join("修订稿.docx");
    let output = gongwen(&[
        "redline",
        old_dir.path().to_str().unwrap(),
        new_dir.path().to_str().unwrap(),
        "-o",
        redline.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        resolved(&redline, true),
        build(new_dir.path(), "new.docx"),
        "accept all ≠ NEW"
    );
    assert_eq!(
        resolved(&redline, false),
        build(old_dir.path(), "old.docx"),
        "reject all ≠ OLD"
    );
    document_xml(&redline)
}

const TABLE_REPORT: &str = "# 基本情况\n\n正文一段，有脚注[^1]。\n\n表1 支出情况\n\n单位：万元\n\n| 项目 | 预算数 | 实际支出 |\n|---|---:|---:|\n| 基本支出 | 1200.5 | 1100.25 |\n| 项目支出 | 300 | 280.1 |\n\n另一段正文。\n\n[^1]: 原有的脚注。\n";

#[test]
fn redline_tracks_a_table_row_added_a_cell_changed_and_a_footnote_added() {
    let new = TABLE_REPORT
        .replace(
            "| 300 | 280.1 |",
            "| 300 | 290.1 |\n| 其他支出 | 10 | 9.5 |",
        )
        .replace("另一段正文。", "另一段正文，新增脚注[^2]。")
        + "[^2]: 新增的脚注。\n";
    let xml = assert_round_trip(TABLE_REPORT, &new);
    assert!(
        xml.contains("<w:trPr><w:cantSplit /><w:ins "),
        "no tracked row: {xml}"
    );
    assert!(
        xml.contains("<w:footnoteReference w:id=\"2\" /></w:r></w:ins>"),
        "{xml}"
    );
}

#[test]
fn diff_outside_git_says_so_and_identical_versions_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        common::run(
            Command::new(env!("CARGO_BIN_EXE_gongwen"))
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap()),
        )
    };
    let content = common::repo().join("content");
    let content = content.to_str().unwrap();
    let output = run(&["diff", "HEAD", content]);
    assert!(!output.status.success());
    let message = common::stderr(&output);
    assert!(message.contains("不在 git 仓库中"), "{message}");
    let same = run(&["diff", content, content]);
    assert!(same.status.success(), "{}", common::stderr(&same));
    let said = String::from_utf8_lossy(&same.stdout);
    assert!(
        said.contains(&format!("{content} 与 {content} 的正文和指标相同")),
        "{said}"
    );
}

#[test]
fn redline_round_trips_tables_and_footnotes_that_come_go_or_change_shape() {
    // A footnote removed and one reworded; a column added (no tracked form: the table is
    // replaced); a whole table added; rows removed.
    let new = TABLE_REPORT
        .replace("有脚注[^1]", "没有脚注")
        .replace("[^1]: 原有的脚注。\n", "")
        .replace(
            "| 项目 | 预算数 | 实际支出 |\n|---|---:|---:|",
            "| 项目 | 预算数 | 实际支出 | 备注 |\n|---|---:|---:|---|",
        )
        .replace("| 1100.25 |", "| 1100.25 | 无 |")
        .replace("| 280.1 |", "| 280.1 | 无 |")
        + "\n| 指标 | 值 |\n|---|---|\n| 预算执行率 | 90.54% |\n";
    assert_round_trip(TABLE_REPORT, &new);
    let reworded = TABLE_REPORT.replace("原有的脚注。", "改写的脚注。");
    let rows_removed = TABLE_REPORT.replace("| 项目支出 | 300 | 280.1 |\n", "");
    assert_round_trip(&reworded, &rows_removed);
    assert_round_trip(TABLE_REPORT, &reworded);
}

#[test]
fn help_on_help_is_help() {
    for args in [&["help", "--help"][..], &["help", "watch"], &["--help"]] {
        let output = common::gongwen(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            common::stderr(&output)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("用法：gongwen"));
    }
    let listed = String::from_utf8_lossy(&common::gongwen(&["--help"]).stdout).into_owned();
    for command in ["new", "watch", "style", "generate"] {
        assert!(listed.contains(&format!("  {command} ")), "{listed}");
    }
}

/// Every help is in Chinese, clap's own words too: headings, the help and version flags,
/// defaults and possible values.
#[test]
fn help_is_in_chinese() {
    let mut commands: Vec<Vec<&str>> = vec![vec!["--help"]];
    for command in [
        "new",
        "build",
        "watch",
        "check",
        "diff",
        "redline",
        "import",
        "textconv",
        "markdown",
        "indicators",
        "style",
        "generate",
        "help",
    ] {
        commands.push(vec![command, "--help"]);
    }
    for args in commands {
        let output = common::gongwen(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let help = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(help.contains("用法：gongwen"), "{args:?}:\n{help}");
        assert!(
            help.contains("-h, --help") && help.contains("显示这份说明"),
            "{help}"
        );
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print ",
            "[default:",
            "[possible values:",
        ] {
            assert!(
                !help.contains(english),
                "{args:?} says {english:?}:\n{help}"
            );
        }
        // What is left in Latin letters: names of files, formats and programs, and the
        // argument names themselves; no English sentence.
        let words = help
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 2);
        for word in words {
            assert!(
                !["the", "and", "for", "with", "this", "default"].contains(&word),
                "{args:?} says {word:?}:\n{help}"
            );
        }
    }
    let check = String::from_utf8_lossy(&common::gongwen(&["check", "--help"]).stdout).into_owned();
    assert!(
        check.contains("（默认：human；可选：human、json）"),
        "{check}"
    );
    let version = common::gongwen(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("gongwen {}\n", env!("CARGO_PKG_VERSION"))
    );
}
