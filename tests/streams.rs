//! Printing never panics: a closed or full stdout or stderr ends a command quietly (or with
//! a message on the stream that still works), never with a panic's exit 134.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{repo, stderr};

/// Every `print!`-family macro panics on a closed or full stream: none may be left in src/,
/// where everything said goes through `cmd::say`.
#[test]
fn no_print_macro_is_left_in_src() {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let macros = ["println!", "eprintln!", "print!", "eprint!", "dbg!"];
            if macros.iter().any(|m| {
                code.match_indices(m)
                    .any(|(at, _)| !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            }) {
                found.push(format!("{}:{}: {code}", entry.path().display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "print macros left:\n{}", found.join("\n"));
}

/// Runs gongwen with stdout and stderr both sent to `to`.
fn run_into(args: &[&str], dir: &Path, out: Stdio, err: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .output()
        .unwrap()
}

/// A pipe whose reader has already gone, as `| head -n 1` leaves it.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

/// A report that gives many warnings: one dated in no way (B002) and with its data unfilled.
fn new_report(dir: &Path) {
    let made = common::gongwen(&[
        "new",
        dir.join("报告").to_str().unwrap(),
        "--unit",
        "某局",
        "--year",
        "2024",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
}

#[test]
fn a_closed_stdout_and_stderr_end_a_build_quietly_with_its_own_status() {
    let dir = tempfile::tempdir().unwrap();
    new_report(dir.path());
    let built = run_into(
        &["build", "报告", "-o", "out/报告.docx"],
        dir.path(),
        closed_pipe(),
        closed_pipe(),
    );
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    assert!(dir.path().join("out/报告.docx").is_file());
    // A build that fails still fails when nobody reads what it says.
    std::fs::write(dir.path().join("报告/report.yaml"), "标题: [\n").unwrap();
    let failed = run_into(
        &["build", "报告", "-o", "out/报告.docx"],
        dir.path(),
        closed_pipe(),
        closed_pipe(),
    );
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
}

/// `> /dev/full`: what was to be printed is lost, which is said on stderr; exit status 1.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_said_on_stderr_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    new_report(dir.path());
    let built = common::gongwen(&[
        "build",
        dir.path().join("报告").to_str().unwrap(),
        "-o",
        dir.path().join("报告.docx").to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let commands: [&[&str]; 6] = [
        &["style", "--dump"],
        &["style"],
        &["new", "新报告", "--unit", "某局", "--year", "2024"],
        &["import", "报告.docx", "-o", "导入"],
        &["watch", "报告", "-o", "监视/报告.docx"],
        &["build", "报告", "-o", "out/报告.docx"],
    ];
    for args in commands {
        let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
        let output = run_into(args, dir.path(), full(), Stdio::piped());
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        let said = stderr(&output);
        assert!(said.contains("无法写到标准输出"), "{args:?}: {said}");
        assert!(!said.contains("panicked"), "{args:?}: {said}");
    }
}
