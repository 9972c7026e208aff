//! What differs between a writer's machine and ours: Windows line endings and a byte-order
//! mark from Notepad, Chinese folder and file names, a missing git, a reader that closes the
//! pipe early. These tests run on Linux, on Windows (under Wine in CI) and on aarch64.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{repo, stderr};

/// Copies the sample report into `dir`, each text file passed through `edit`; the style
/// folder goes beside it, as in the repository.
fn copy_sample(dir: &Path, report: &str, edit: impl Fn(&str) -> String) {
    for (from, to) in [("content", report), ("styles", "styles")] {
        let to = dir.join(to);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(repo().join(from)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(to.join(path.file_name().unwrap()), edit(&text)).unwrap();
            }
        }
    }
}

fn build_in(dir: &Path, report: &str, output: &str) -> Vec<u8> {
    let result = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["build", report, "-o", output])
            .current_dir(dir),
    );
    assert!(result.status.success(), "{}", stderr(&result));
    std::fs::read(dir.join(output)).unwrap()
}

/// Sources saved by Windows Notepad (CRLF, a UTF-8 BOM) in a folder with a Chinese name give
/// the same document, byte for byte, as the sample in the repository.
#[test]
fn crlf_a_bom_and_chinese_paths_build_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path(), "报告", |text| text.to_string());
    let plain = build_in(dir.path(), "报告", "原样.docx");
    let windows = tempfile::tempdir().unwrap();
    copy_sample(windows.path(), "二〇二三年 自评", |text| {
        format!("\u{feff}{}", text.replace('\n', "\r\n"))
    });
    let notepad = build_in(windows.path(), "二〇二三年 自评", "输出/自评报告.docx");
    assert!(plain == notepad, "CRLF and a BOM changed the document");
}

/// An error in a CRLF file with a BOM points at the writer's line, and at the placeholder's name.
#[test]
fn an_error_in_a_crlf_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path(), "报告", |text| {
        format!("\u{feff}{}", text.replace('\n', "\r\n"))
    });
    let section = dir.path().join("报告/01-基本情况.md");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        format!("{text}\r\n额外一段{{{{ 不存在的值 }}}}。\r\n"),
    )
    .unwrap();
    let lines = text.matches('\n').count();
    let result = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["build", "报告", "-o", "x.docx"])
            .current_dir(dir.path()),
    );
    assert!(!result.status.success());
    let message = stderr(&result);
    assert!(
        message.contains(&format!("01-基本情况.md:{}:8", lines + 2)),
        "{message}"
    );
    assert!(!dir.path().join("x.docx").exists());
}

/// `gongwen textconv … | head -1`: the reader goes away; gongwen ends quietly, successfully.
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["markdown", "content"])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stderr(&output), "");
}

/// Without git, asking for a revision says what is missing instead of "not a revision".
#[test]
fn diff_without_git_says_git_is_missing() {
    let empty = tempfile::tempdir().unwrap();
    let output = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["diff", "HEAD"])
            .current_dir(repo())
            .env("PATH", empty.path()),
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("找不到 git 命令"), "{message}");
    assert!(message.contains("两个报告目录"), "{message}");
}

/// The comparison of two directories needs no git at all.
#[test]
fn diff_of_two_directories_needs_no_git() {
    let empty = tempfile::tempdir().unwrap();
    let output = common::run(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["diff", "content", "content"])
            .current_dir(repo())
            .env("PATH", empty.path()),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("相同"));
}

/// The zip records the system each entry was made on; left to the host, a Windows build
/// wrote "DOS" and other attributes and the .docx differed from Linux's. Every entry of the
/// central directory (signature PK\1\2) says Unix (3) in the upper byte of "made by".
#[test]
fn every_zip_entry_says_unix_whatever_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build_in(
        &repo(),
        "content",
        dir.path().join("a.docx").to_str().unwrap(),
    );
    let entries: Vec<u8> = bytes
        .windows(6)
        .filter(|w| w.starts_with(b"PK\x01\x02"))
        .map(|w| w[5])
        .collect();
    assert!(entries.len() > 10, "{} entries", entries.len());
    assert!(entries.iter().all(|&system| system == 3), "{entries:?}");
}
