//! `gongwen watch`: a save rebuilds the report; a bad edit (a build or a check error) is
//! reported and the watch goes on, with the last good output left in place.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `gongwen watch`, its output collected as it comes; killed when dropped.
struct Watching {
    child: Child,
    said: Arc<Mutex<String>>,
}

impl Watching {
    fn start(dir: &Path, docx: &Path, flags: &[&str]) -> Watching {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongwen"));
        command
            .args(["watch", dir.to_str().unwrap(), "-o", docx.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .args(flags);
        let mut child = command.spawn().expect("run gongwen watch");
        let said = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let said = Arc::clone(&said);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    said.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        Watching { child, said }
    }

    fn said(&self) -> String {
        self.said.lock().unwrap().clone()
    }

    /// Waits until `ready` holds, or fails with what the watch said.
    fn wait_for(&mut self, what: &str, timeout: Duration, ready: impl Fn(&Watching) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "watch stopped: {}",
                self.said()
            );
            assert!(
                start.elapsed() < timeout,
                "no {what} after {timeout:?}: {}",
                self.said()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn docx_text(docx: &Path) -> String {
    if !docx.is_file() {
        return String::new();
    }
    let package = common::Package::open(docx);
    package
        .paragraphs()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n")
}

fn new_report(dir: &Path) -> std::path::PathBuf {
    let report = dir.join("报告");
    let output = common::gongwen(&[
        "new",
        report.to_str().unwrap(),
        "--unit",
        "某局",
        "--year",
        "2024",
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    report
}

fn append(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, old + text).unwrap();
}

const PATIENCE: Duration = Duration::from_secs(60);

#[test]
fn a_save_rebuilds_and_a_bad_edit_keeps_the_last_good_docx() {
    let dir = tempfile::tempdir().unwrap();
    let report = new_report(dir.path());
    let docx = dir.path().join("out/报告.docx");
    let mut watch = Watching::start(&report, &docx, &[]);
    watch.wait_for("first build", PATIENCE, |w| w.said().contains("正在监视"));
    assert!(docx_text(&docx).contains("五、下一步拟改进措施"));

    let part = report.join("05-下一步拟改进措施.md");
    append(&part, "\n第一次修改的句子。\n");
    watch.wait_for("rebuild", PATIENCE, |_| {
        docx_text(&docx).contains("第一次修改的句子。")
    });

    let first = report.join("01-基本情况.md");
    let good = std::fs::read_to_string(&first).unwrap();
    append(&first, "\n{{ 不存在 }}\n");
    watch.wait_for("error", PATIENCE, |w| {
        w.said().contains("未知的占位符“不存在”")
    });
    assert!(watch.said().contains("01-基本情况.md:"), "{}", watch.said());
    assert!(docx_text(&docx).contains("第一次修改的句子。"));

    // A check error (a malformed figure) is shown like a build error; the .docx stays.
    std::fs::write(&first, good.clone() + "\n支出210,18万元的句子。\n").unwrap();
    watch.wait_for("check error", PATIENCE, |w| {
        w.said().contains("error[N003]")
    });
    watch.wait_for("kept", PATIENCE, |w| {
        w.said()
            .matches("未更新：上一次生成的文件保留不变。")
            .count()
            == 2
    });
    assert!(!docx_text(&docx).contains("支出210,18万元的句子。"));

    std::fs::write(&first, good + "\n第二次修改的句子。\n").unwrap();
    watch.wait_for("rebuild after the fix", PATIENCE, |_| {
        docx_text(&docx).contains("第二次修改的句子。")
    });
}

#[test]
#[cfg_attr(
    not(all(soffice, pdftotext)),
    ignore = "needs LibreOffice and poppler: make test installs them (make deps)"
)]
fn with_pdf_the_preview_follows_each_save() {
    common::require_renderer();
    let dir = tempfile::tempdir().unwrap();
    let report = new_report(dir.path());
    let docx = dir.path().join("报告.docx");
    let pdf = docx.with_extension("pdf");
    let mut watch = Watching::start(&report, &docx, &["--pdf"]);
    let slow = Duration::from_secs(180);
    watch.wait_for("first PDF", slow, |w| w.said().contains("正在监视"));
    assert!(common::pdf_text(&pdf).contains("下一步拟改进措施"));

    append(
        &report.join("05-下一步拟改进措施.md"),
        "\n预览里的新句子。\n",
    );
    watch.wait_for("refreshed PDF", slow, |_| {
        common::pdf_text(&pdf).contains("预览里的新句子")
    });
    assert!(watch.said().contains("保存后"), "{}", watch.said());
}

/// A good build that cannot be written (here a folder in the .docx's place; on Windows also
/// the file open in Word) is written by itself once the way is clear, without another save.
#[test]
fn a_build_that_could_not_be_written_is_written_once_it_can_be() {
    let dir = tempfile::tempdir().unwrap();
    let report = new_report(dir.path());
    let docx = dir.path().join("报告.docx");
    std::fs::create_dir(&docx).unwrap();
    let mut watch = Watching::start(&report, &docx, &[]);
    watch.wait_for("first build", PATIENCE, |w| w.said().contains("正在监视"));
    assert!(watch.said().contains("error[E010]"), "{}", watch.said());
    assert!(watch.said().contains("会自动补写"), "{}", watch.said());
    assert!(docx.is_dir());

    std::fs::remove_dir(&docx).unwrap();
    watch.wait_for("the .docx written", PATIENCE, |w| {
        w.said().contains("已补写")
    });
    assert!(docx_text(&docx).contains("五、下一步拟改进措施"));

    // Written once: later looks find nothing to do, and a save rebuilds as before.
    append(
        &report.join("05-下一步拟改进措施.md"),
        "\n补写之后的句子。\n",
    );
    watch.wait_for("rebuild", PATIENCE, |_| {
        docx_text(&docx).contains("补写之后的句子。")
    });
    assert_eq!(
        watch.said().matches("已补写").count(),
        1,
        "{}",
        watch.said()
    );
}

/// The sample with its 自评表 appended, built by `build` and by `watch` with `--worksheet`: the
/// same four files, byte for byte (watch once wrote only the report, without its appendix).
#[test]
fn watch_writes_exactly_what_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("报告");
    std::fs::create_dir(&report).unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, report.join(path.file_name().unwrap())).unwrap();
        }
    }
    append(&report.join("report.yaml"), "\n自评表: 附在文末\n");
    let built = dir.path().join("build/报告.docx");
    let output = common::gongwen(&[
        "build",
        report.to_str().unwrap(),
        "-o",
        built.to_str().unwrap(),
        "--worksheet",
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let watched = dir.path().join("watch/报告.docx");
    let mut watch = Watching::start(&report, &watched, &["--worksheet"]);
    watch.wait_for("first build", PATIENCE, |w| w.said().contains("正在监视"));
    let names = [
        "报告.docx",
        "报告-自评表.docx",
        "报告-自评表.xlsx",
        "报告-计算底稿.docx",
    ];
    for name in names {
        let by_build = std::fs::read(dir.path().join("build").join(name)).unwrap();
        let by_watch = std::fs::read(dir.path().join("watch").join(name))
            .unwrap_or_else(|e| panic!("watch wrote no {name}: {e}\n{}", watch.said()));
        assert!(
            by_build == by_watch,
            "{name} differs between build and watch"
        );
    }
    let appended = docx_text(&watched);
    assert!(appended.contains("年度部门整体绩效自评表"), "{appended}");
}
