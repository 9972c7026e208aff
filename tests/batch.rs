//! Many reports in one `gongwen build`: built in parallel, each written atomically, one bad
//! report reported without stopping or corrupting the others.

mod common;

use common::{gongwen, report, stderr};

#[test]
fn one_bad_report_does_not_stop_the_others() {
    let good_a = report(&[("a.md", "# 甲\n\n正文。\n")]);
    let bad = report(&[("a.md", "# 甲\n\n##### 太深\n")]);
    let good_b = report(&[("a.md", "# 乙\n\n正文。\n")]);
    let out = tempfile::tempdir().unwrap();
    let dirs = [good_a.path(), bad.path(), good_b.path()];
    let mut args = vec!["build".to_string()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    args.extend(["--out-dir".into(), out.path().display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = gongwen(&args);
    assert!(
        !output.status.success(),
        "a failed report must fail the run"
    );
    let message = stderr(&output);
    assert!(
        message.contains("第 5 级") && message.contains("3 个报告，2 个成功，1 个失败"),
        "{message}"
    );
    let name = |d: &std::path::Path| {
        out.path()
            .join(format!("{}.docx", d.file_name().unwrap().to_string_lossy()))
    };
    assert!(name(good_a.path()).exists() && name(good_b.path()).exists());
    assert!(!name(bad.path()).exists());
}

#[test]
fn reports_built_together_are_byte_identical_to_reports_built_alone() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units");
    let output = gongwen(&["generate", units.to_str().unwrap(), "--units", "4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let together = dir.path().join("together");
    let mut args = vec!["build".to_string()];
    for n in 1..=4 {
        args.push(units.join(format!("unit-{n:04}")).display().to_string());
    }
    args.extend([
        "--out-dir".into(),
        together.display().to_string(),
        "-j".into(),
        "2".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = gongwen(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    for n in 1..=4 {
        let name = format!("unit-{n:04}");
        let alone = dir.path().join(format!("{name}-alone.docx"));
        let output = gongwen(&[
            "build",
            units.join(&name).to_str().unwrap(),
            "-o",
            alone.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let batch = std::fs::read(together.join(format!("{name}.docx"))).unwrap();
        assert!(
            batch == std::fs::read(&alone).unwrap(),
            "{name} differs when built with others"
        );
    }
}

#[test]
fn two_reports_may_not_write_the_same_file() {
    let a = report(&[("a.md", "# 甲\n")]);
    let output = gongwen(&[
        "build",
        a.path().to_str().unwrap(),
        a.path().to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("都会写到"), "{}", stderr(&output));
    let output = gongwen(&["build", "content", "content", "-o", "x.docx"]);
    assert!(!output.status.success() && stderr(&output).contains("--out-dir"));
}
