//! Inputs are never outputs: no `-o` of any command replaces a file the command reads, or
//! writes among a report's sources; `new`, `import` and `generate` write only into a new or
//! empty folder.

mod common;

use std::path::Path;

use common::{gongwen, repo, stderr};

/// A copy of the sample report in `dir/报告`; its files and their contents.
fn sample(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let report = dir.join("报告");
    std::fs::create_dir(&report).unwrap();
    for entry in std::fs::read_dir(repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, report.join(path.file_name().unwrap())).unwrap();
        }
    }
    files(&report)
}

fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn refused(output: &std::process::Output, what: &str) {
    assert_eq!(output.status.code(), Some(1), "{what}: {}", stderr(output));
    let said = stderr(output);
    assert!(said.contains("error[E010]"), "{what}: {said}");
    assert!(
        said.contains("这次读取的文件") || said.contains("报告目录") || said.contains("不是空目录"),
        "{what}: {said}"
    );
}

#[test]
fn build_refuses_every_output_among_the_reports_sources() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample(dir.path());
    let report = dir.path().join("报告");
    let r = report.to_str().unwrap();
    let aimed = [
        format!("{r}/data.yaml"),
        format!("{r}/01-基本情况.md"),
        format!("{r}/report.yaml"),
        format!("{r}/./build/../indicators.yaml"),
        format!("{r}/新的.md"),
    ];
    for output in &aimed {
        refused(&gongwen(&["build", r, "-o", output]), output);
        // Inside the report directory, everything is left as it was.
        assert_eq!(files(&report), before, "{output}");
    }
    let relative = common::run(
        std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["build", ".", "-o", "../x/../报告/data.yaml"])
            .current_dir(dir.path().join("报告")),
    );
    refused(&relative, "a path relative to the report");
    assert_eq!(files(&report), before);
    // Its build/ is where gongwen writes.
    let inside = format!("{r}/build/报告.docx");
    let built = gongwen(&["build", r, "-o", &inside]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(Path::new(&inside).is_file());
}

#[cfg(unix)]
#[test]
fn a_link_to_an_input_is_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample(dir.path());
    let report = dir.path().join("报告");
    std::os::unix::fs::symlink(&report, dir.path().join("别名")).unwrap();
    let output = dir.path().join("别名/data.yaml");
    refused(
        &gongwen(&[
            "build",
            report.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]),
        "through a link to the folder",
    );
    assert_eq!(files(&report), before);
}

#[test]
fn redline_and_watch_refuse_an_output_among_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample(dir.path());
    let report = dir.path().join("报告");
    let r = report.to_str().unwrap();
    let data = format!("{r}/data.yaml");
    let redline = gongwen(&["redline", r, r, "-o", &data]);
    refused(&redline, "redline");
    let watch = common::run_within(
        std::process::Command::new(env!("CARGO_BIN_EXE_gongwen")).args([
            "watch",
            r,
            "-o",
            &format!("{r}/report.yaml"),
        ]),
        std::time::Duration::from_secs(60),
    )
    .expect("watch -o into its sources should stop at once");
    refused(&watch, "watch");
    assert_eq!(files(&report), before);
}

#[test]
fn generate_new_and_import_write_only_into_a_new_or_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample(dir.path());
    let report = dir.path().join("报告");
    let r = report.to_str().unwrap();
    let from = repo().join("content");
    let generate = gongwen(&["generate", r, "--from", from.to_str().unwrap()]);
    refused(&generate, "generate over a report");
    let new = gongwen(&["new", r, "--unit", "某局", "--year", "2024"]);
    refused(&new, "new over a report");
    let docx = dir.path().join("报告.docx");
    let built = gongwen(&["build", r, "-o", docx.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let import = gongwen(&["import", docx.to_str().unwrap(), "-o", r]);
    refused(&import, "import over a report");
    assert_eq!(files(&report), before);

    let fresh = dir.path().join("生成");
    let generated = gongwen(&["generate", fresh.to_str().unwrap(), "--from", r]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(fresh.join("report.yaml").is_file());
}
