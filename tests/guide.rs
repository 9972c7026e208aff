//! The writers' guide (docs/guide/) says what the program does, because its program-made parts
//! come from the program: the rule table from `gongwen check --list`, the command reference
//! from each subcommand's `--help`, and the output under every `$ gongwen …` line of a
//! ```console block, which is run on a copy of the sample. A rule, a subcommand or a style
//! added to the program makes these tests fail, naming what the guide lacks;
//! `GONGWEN_BLESS=1 cargo test --test guide` writes the program's text into the guide.

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const GUIDE: &str = "docs/guide";
const BLESS: &str = "GONGWEN_BLESS";
const END: &str = "<!-- end generated -->";
/// An empty folder in each example's workspace, where gongwen looks for this computer's fonts.
const NO_FONTS: &str = "单位字体包";

/// Pages another engineer owns (the font profiles'): SUMMARY.md lists them, these tests leave
/// their text to its author.
const WRITTEN_ELSEWHERE: &[&str] = &["fonts.md"];

/// Blessing rewrites pages that other tests of this file read at the same time.
static PAGES: Mutex<()> = Mutex::new(());

fn bless() -> bool {
    std::env::var_os(BLESS).is_some()
}

fn guide() -> PathBuf {
    common::repo().join(GUIDE)
}

/// Every Markdown page of the guide, as (path under docs/guide, text), in name order.
fn pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(guide())
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("read docs/guide"))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| {
            let rel = entry.path().strip_prefix(guide()).unwrap();
            let name = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(entry.path()).unwrap();
            (name, text.replace("\r\n", "\n"))
        })
        .collect();
    pages.retain(|(name, _)| !WRITTEN_ELSEWHERE.contains(&name.as_str()));
    pages
}

/// Compares each page with what `regenerate` makes of it; under GONGWEN_BLESS writes the
/// new text instead. Fails with every difference, each naming its page.
fn compare(what: &str, regenerate: impl Fn(&str, &str) -> Result<String, String>) {
    let _guard = PAGES.lock().unwrap_or_else(|poison| poison.into_inner());
    let mut problems = Vec::new();
    for (name, text) in pages() {
        match regenerate(&name, &text) {
            Ok(new) if new == text => {}
            Ok(new) if bless() => std::fs::write(guide().join(&name), new).unwrap(),
            Ok(new) => problems.push(format!(
                "{GUIDE}/{name}: {what} differs from the program's:\n{}",
                first_difference(&text, &new)
            )),
            Err(problem) => problems.push(format!("{GUIDE}/{name}: {problem}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\n(run `{BLESS}=1 cargo test --test guide` to write the program's text into the guide)",
        problems.join("\n\n")
    );
}

fn first_difference(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let at = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(at)
            .take(6)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "  at line {}\n  the guide says:\n{}\n  the program says:\n{}",
        at + 1,
        show(&old),
        show(&new)
    )
}

/// Runs gongwen in `dir` with stdout and stderr in one file, so its messages stay in the
/// order a terminal shows them; the program is killed after ten minutes.
fn run_in(dir: &Path, args: &[&str]) -> String {
    let mut log = tempfile::tempfile().unwrap();
    // The fonts this computer has are looked for in an empty folder of the workspace (its
    // name is what the fonts examples print), so that the examples print the same on every
    // machine: what a writer without the official fonts sees.
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .current_dir(dir)
        .env("GONGWEN_FONTS_DIR", NO_FONTS)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .expect("start gongwen");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("gongwen {args:?} still running after 600 s: killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut output = String::new();
    log.seek(SeekFrom::Start(0)).unwrap();
    log.read_to_string(&mut output)
        .expect("gongwen prints UTF-8");
    output
}

/// The program's text between `<!-- generated: NAME … -->` and `<!-- end generated -->`.
fn replace_region(text: &str, name: &str, body: &str) -> Option<String> {
    let open = format!("<!-- generated: {name} ");
    let start = text.find(&open)?;
    let inner = start + text[start..].find("-->")? + "-->".len();
    let end = inner + text[inner..].find(END)?;
    Some(format!(
        "{}\n\n{}\n\n{}",
        &text[..inner],
        body.trim_end(),
        &text[end..]
    ))
}

/// Fails unless exactly one page holds the region `name`.
fn region_is_somewhere(name: &str) {
    let open = format!("<!-- generated: {name} ");
    let holders: Vec<String> = pages()
        .into_iter()
        .filter(|(_, text)| text.contains(&open))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        holders.len(),
        1,
        "one page of {GUIDE} should hold `{open}… -->` … `{END}`, found in {holders:?}"
    );
}

/// (code, severity, what it looks for), one per line of `gongwen check --list`.
fn rules() -> Vec<(String, String, String)> {
    run_in(&common::repo(), &["check", "--list"])
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (code, severity) = (fields.next()?, fields.next()?);
            let what = line[line.find(severity)? + severity.len()..].trim();
            Some((code.to_string(), severity.to_string(), what.to_string()))
        })
        .collect()
}

/// `text` as Markdown prints it: the rules' descriptions quote the very `<u>`, `[^1]` and
/// `\` they look for, which Markdown would otherwise take as markup.
fn escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\<>[]|*_`".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn severity_in_chinese(severity: &str) -> &str {
    match severity {
        "error" => "错误",
        "warning" => "警告",
        other => other,
    }
}

#[test]
fn the_rule_table_is_check_list() {
    region_is_somewhere("rules");
    let mut table = String::from("| 规则 | 级别 | 它找什么 |\n|---|---|---|\n");
    for (code, severity, what) in rules() {
        table += &format!(
            "| {code} | {} | {} |\n",
            severity_in_chinese(&severity),
            escaped(&what)
        );
    }
    compare("the rule table", |_, text| {
        Ok(replace_region(text, "rules", &table).unwrap_or_else(|| text.to_string()))
    });
}

/// Each rule the program lists has its own section, headed by its code and what it looks for.
#[test]
fn every_rule_has_its_section() {
    let check = std::fs::read_to_string(guide().join("check.md")).expect("docs/guide/check.md");
    let headings: BTreeSet<&str> = check
        .lines()
        .filter(|line| line.starts_with("### "))
        .collect();
    let missing: Vec<String> = rules()
        .into_iter()
        .map(|(code, _, what)| format!("### {code} {}", escaped(&what)))
        .filter(|heading| !headings.contains(heading.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{GUIDE}/check.md has no section for these rules of `gongwen check --list` \
         (add one each: 它找什么、例子、怎样改、怎样关掉):\n{}",
        missing.join("\n")
    );
}

/// A diagnostic shown in the guide is one the program prints, word for word, on the fixture
/// its `-->` line names.
#[test]
fn every_diagnostic_shown_is_printed_on_its_fixture() {
    let mut problems = Vec::new();
    let mut shown = 0;
    for (name, text) in pages() {
        for block in fenced_blocks(&text) {
            let first = block.lines.first().map(String::as_str).unwrap_or_default();
            if !(first.starts_with("warning[") || first.starts_with("error[")) {
                continue;
            }
            shown += 1;
            let Some(file) = block
                .lines
                .iter()
                .find_map(|line| line.trim().strip_prefix("--> "))
            else {
                problems.push(format!(
                    "{name}:{}: the diagnostic names no file (`--> `)",
                    block.line
                ));
                continue;
            };
            let path = file.split(':').next().unwrap();
            let dir = Path::new(path)
                .parent()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // The guide writes paths as they read on Linux; Windows joins a file to the
            // fixture's folder with a backslash (wherever the path stands in a message).
            let output = run_in(&common::repo(), &["check", &dir]).replace(
                &format!("{dir}{}", std::path::MAIN_SEPARATOR),
                &format!("{dir}/"),
            );
            if !output.contains(&(block.lines.join("\n") + "\n")) {
                problems.push(format!(
                    "{name}:{}: `gongwen check {dir}` does not print\n{}\nIt prints:\n{output}",
                    block.line,
                    block.lines.join("\n")
                ));
            }
        }
    }
    assert!(shown > 0, "the guide shows no diagnostic");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The subcommands `gongwen --help` lists, without `help`.
fn subcommands() -> Vec<String> {
    let help = run_in(&common::repo(), &["--help"]);
    help.lines()
        .skip_while(|line| !line.starts_with("子命令"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_command_reference_is_each_help() {
    region_is_somewhere("commands");
    let repo = common::repo();
    let mut reference = format!("```text\n{}```\n", run_in(&repo, &["--help"]));
    for name in subcommands() {
        reference += &format!(
            "\n## gongwen {name}\n\n```text\n{}```\n",
            run_in(&repo, &[&name, "--help"])
        );
    }
    compare("the command reference", |_, text| {
        let Some(new) = replace_region(text, "commands", &reference) else {
            return Ok(text.to_string());
        };
        let missing: Vec<String> = subcommands()
            .into_iter()
            .filter(|name| !text.contains(&format!("\n## gongwen {name}\n")))
            .map(|name| format!("`## gongwen {name}`"))
            .collect();
        if missing.is_empty() || bless() {
            Ok(new)
        } else {
            Err(format!(
                "the command reference has no section {}",
                missing.join(", ")
            ))
        }
    });
}

struct Block {
    /// The line of the opening fence, counted from 1.
    line: usize,
    info: String,
    lines: Vec<String>,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    line: index + 1,
                    info: info.trim().to_string(),
                    lines: Vec::new(),
                })
            }
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some(block), None) => block.lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    blocks
}

/// A directory as a writer's example needs it: the sample, the style files, the fixtures and
/// an empty folder of fonts.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(NO_FONTS)).unwrap();
    for part in ["content", "styles", "tests/fixtures"] {
        let from = common::repo().join(part);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir
                .path()
                .join(part)
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    dir
}

/// The command of a `$ gongwen …` line, or why the test cannot run it as typed.
fn command_line(line: &str) -> Result<Vec<String>, String> {
    let command = line.strip_prefix("$ ").unwrap_or(line);
    if command.contains(['|', '>', '<', '&', ';', '"', '\'', '`', '$', '*']) {
        return Err(format!(
            "`{line}`: an example runs gongwen alone, without quotes or shell syntax"
        ));
    }
    Ok(command.split_whitespace().map(str::to_string).collect())
}

/// The page with the output under each `$ gongwen …` line of its ```console blocks as the
/// program prints it. A page's examples run one after another, as a reader follows them, in
/// one fresh copy of the sample; the copy's own path is left out of what they print.
fn run_examples(name: &str, text: &str) -> Result<String, String> {
    let dir = workspace();
    let root = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
    let mut problems = Vec::new();
    let mut outputs = Vec::new();
    for block in fenced_blocks(text) {
        // A ```text block shows what a program prints (help texts name `gongwen …` too); any
        // other block that shows a command must be one the test runs.
        let runs = block.lines.iter().any(|line| {
            line.starts_with("$ gongwen") || (block.info != "text" && line.starts_with("gongwen "))
        });
        if !runs {
            continue;
        }
        if block.info != "console" {
            problems.push(format!(
                "{name}:{}: a gongwen command is shown in a ```{} block: write it as ```console, \
                 `$ gongwen …` and what it prints",
                block.line, block.info
            ));
            continue;
        }
        let mut new = Vec::new();
        for line in block.lines.iter().filter(|line| line.starts_with("$ ")) {
            match command_line(line) {
                Ok(args) if args.first().is_some_and(|program| program == "gongwen") => {
                    let args: Vec<&str> = args[1..].iter().map(String::as_str).collect();
                    let output = run_in(dir.path(), &args)
                        .replace(&root, "")
                        .replace('\\', "/");
                    new.push(line.clone());
                    new.extend(output.lines().map(str::to_string));
                }
                Ok(_) => problems.push(format!(
                    "{name}:{}: `{line}`: only gongwen runs in an example",
                    block.line
                )),
                Err(problem) => problems.push(format!("{name}:{}: {problem}", block.line)),
            }
        }
        outputs.push((block, new));
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let mut out: Vec<String> = text.lines().map(str::to_string).collect();
    // From the last block up, so that the line numbers of the earlier ones stay right.
    for (block, new) in outputs.into_iter().rev() {
        out.splice(block.line..block.line + block.lines.len(), new);
    }
    Ok(out.join("\n") + "\n")
}

#[test]
fn every_example_prints_what_the_guide_shows() {
    let examples: usize = pages()
        .iter()
        .map(|(_, text)| {
            fenced_blocks(text)
                .iter()
                .filter(|block| block.info == "console")
                .count()
        })
        .sum();
    assert!(examples > 0, "the guide has no ```console example");
    compare("an example's output", run_examples);
}

/// SUMMARY.md lists every page, and every page it lists is there.
#[test]
fn the_summary_lists_every_page() {
    let summary =
        std::fs::read_to_string(guide().join("SUMMARY.md")).expect("docs/guide/SUMMARY.md");
    let linked: BTreeSet<String> = summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_string)
        .collect();
    let pages: BTreeSet<String> = pages()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "SUMMARY.md")
        .collect();
    let unlisted: Vec<&String> = pages.difference(&linked).collect();
    let absent: Vec<&String> = linked
        .difference(&pages)
        .filter(|link| !WRITTEN_ELSEWHERE.contains(&link.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "pages SUMMARY.md does not list: {unlisted:?}"
    );
    assert!(
        absent.is_empty(),
        "SUMMARY.md lists pages that are not there: {absent:?}"
    );
}

/// A picture or page a page links to is there (relative links, as any git host follows them).
#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    for (name, text) in pages() {
        let dir = guide().join(&name).parent().unwrap().to_path_buf();
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            let path = target.split('#').next().unwrap();
            if path.is_empty() || path.contains("://") || WRITTEN_ELSEWHERE.contains(&path) {
                continue;
            }
            if !dir.join(path).exists() {
                broken.push(format!("{name}: {target}"));
            }
        }
    }
    assert!(broken.is_empty(), "links to nothing: {broken:?}");
}
