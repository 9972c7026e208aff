//! The command line as an attacker types it: random subcommands with random arguments drawn
//! from the paths a writer has at hand (the report's own files under several spellings, its
//! folder, its build/, folders that do not exist) and the options each command takes. Whatever
//! the combination: no panic, no hang, an exit code of 0, 1 or 2, and every file of the
//! report byte for byte as it was, with nothing new among its sources.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use proptest::prelude::*;

/// Paths relative to the working folder, which holds the report `报告/` (a copy of the
/// sample) and the sample built to `报告.docx`.
const PATHS: [&str; 19] = [
    "报告",
    "./报告",
    "报告/",
    "报告/../报告",
    "报告/data.yaml",
    "报告/report.yaml",
    "报告/indicators.yaml",
    "报告/01-基本情况.md",
    "./报告/./data.yaml",
    "报告/build/../data.yaml",
    "报告/build",
    "报告/build/新.docx",
    "报告/新.md",
    "报告/新.yaml",
    "报告.docx",
    "新报告",
    "没有/这个/目录/x.docx",
    ".",
    "",
];

const SUBCOMMANDS: [&str; 12] = [
    "build",
    "check",
    "redline",
    "import",
    "markdown",
    "indicators",
    "style",
    "fonts",
    "generate",
    "new",
    "textconv",
    "diff",
];

const OPTIONS: [&str; 12] = [
    "-o",
    "--output",
    "-j",
    "1",
    "--no-check",
    "--json",
    "--format",
    "json",
    "--dump",
    "--figures",
    "--style",
    "windows",
];

#[derive(Debug, Clone)]
enum Word {
    Path(usize),
    Option(usize),
}

fn word() -> impl Strategy<Value = Word> {
    prop_oneof![
        3 => (0..PATHS.len()).prop_map(Word::Path),
        2 => (0..OPTIONS.len()).prop_map(Word::Option),
    ]
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files.insert(
                entry.path().to_path_buf(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn no_command_line_panics_hangs_or_touches_a_source(
        subcommand in 0..SUBCOMMANDS.len(),
        target in prop::option::of(0..PATHS.len()),
        output in prop::option::of(0..PATHS.len()),
        words in prop::collection::vec(word(), 0..4),
    ) {
        let root = tempfile::tempdir().unwrap();
        let report = root.path().join("报告");
        copy_dir(&common::repo().join("content"), &report);
        std::fs::write(root.path().join("报告.docx"), docx()).unwrap();
        let before = snapshot(&report);
        // Mostly the shape a writer types (COMMAND PATH -o PATH), then anything.
        let mut args = vec![SUBCOMMANDS[subcommand].to_string()];
        args.extend(target.map(|i| PATHS[i].to_string()));
        if let Some(i) = output {
            args.extend(["-o".to_string(), PATHS[i].to_string()]);
        }
        args.extend(words.iter().map(|w| match w {
            Word::Path(i) => PATHS[*i].to_string(),
            Word::Option(i) => OPTIONS[*i].to_string(),
        }));
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongwen"));
        command.args(&args).current_dir(root.path());
        let output = common::run_within(&mut command, Duration::from_secs(120));
        let Some(output) = output else {
            panic!("gongwen {args:?} still running after two minutes");
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert!(!stderr.contains("panicked"), "gongwen {:?}: {}", args, stderr);
        let code = output.status.code();
        prop_assert!(matches!(code, Some(0..=2)), "gongwen {:?}: exit {:?}: {}", args, code, stderr);
        let after = snapshot(&report);
        for (path, bytes) in &before {
            prop_assert!(
                after.get(path) == Some(bytes),
                "gongwen {:?} changed or removed {}",
                args,
                path.display()
            );
        }
        for path in after.keys().filter(|p| !before.contains_key(*p)) {
            let in_build = path.starts_with(report.join("build"));
            let source_kind = gongwen::input::source::is_source_kind(path);
            prop_assert!(
                in_build || !source_kind,
                "gongwen {:?} wrote {} among the report's sources",
                args,
                path.display()
            );
        }
    }
}

/// The sample built once, for the commands that read a .docx.
fn docx() -> Vec<u8> {
    static BUILT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("sample.docx");
            let output = common::gongwen(&["build", "content", "-o", out.to_str().unwrap()]);
            assert!(output.status.success(), "{}", common::stderr(&output));
            std::fs::read(out).unwrap()
        })
        .clone()
}

/// Every command that writes where the writer says, aimed at every file of a report (under
/// a plain and a roundabout spelling) and at the report folder itself: refused, exit non-zero,
/// in Chinese, and the report as it was.
#[test]
fn every_writing_command_aimed_at_a_source_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let report = root.path().join("报告");
    copy_dir(&common::repo().join("content"), &report);
    std::fs::write(root.path().join("报告.docx"), docx()).unwrap();
    let before = snapshot(&report);
    let mut targets: Vec<String> = vec!["报告".into(), "./报告/".into()];
    for path in before.keys() {
        let name = path.file_name().unwrap().to_str().unwrap();
        targets.push(format!("报告/{name}"));
        targets.push(format!("报告/build/../{name}"));
    }
    let writers: [&[&str]; 7] = [
        &["build", "报告", "-o"],
        &["build", "报告", "--no-check", "-o"],
        &["redline", "报告", "报告", "-o"],
        &["style", "--dump", "-o"],
        &["import", "报告.docx", "-o"],
        &["new"],
        &["generate"],
    ];
    for writer in writers {
        for target in &targets {
            let mut args: Vec<&str> = writer.to_vec();
            args.push(target);
            let mut command = Command::new(env!("CARGO_BIN_EXE_gongwen"));
            command.args(&args).current_dir(root.path());
            let output = common::run_within(&mut command, Duration::from_secs(120))
                .unwrap_or_else(|| panic!("gongwen {args:?} still running after two minutes"));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "gongwen {args:?} succeeded");
            assert!(
                stderr.contains("error[") && !stderr.contains("panicked"),
                "gongwen {args:?}: {stderr}"
            );
            assert!(
                snapshot(&report) == before,
                "gongwen {args:?} changed the report"
            );
        }
    }
}
