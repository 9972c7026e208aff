//! Helpers shared by the integration tests: run the real binary, read the .docx it wrote.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn gongwen(args: &[&str]) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .current_dir(repo()))
}

/// How long one program a test starts may run: far beyond any of them, even emulated.
const DEADLINE: Duration = Duration::from_secs(600);

/// `command.output()`, with a deadline: a program that hangs is killed and its test fails
/// instead of stalling the whole suite. Under qemu-user (`GONGWEN_TEST_EMULATOR`, set by
/// scripts/cross-test.sh) a program that hangs is started once more, with a warning: qemu 7.2
/// now and then hangs a process started by a multi-threaded one, which no native run has
/// shown; a second hang fails the test.
pub fn run(command: &mut Command) -> Output {
    let tries = if std::env::var_os("GONGWEN_TEST_EMULATOR").is_some() {
        2
    } else {
        1
    };
    for attempt in 1..=tries {
        if let Some(output) = run_within(command, DEADLINE) {
            return output;
        }
        eprintln!(
            "warning: {command:?} was still running after {} s (try {attempt} of {tries}); killed",
            DEADLINE.as_secs()
        );
    }
    panic!("{command:?} hung: killed after {} s", DEADLINE.as_secs());
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// What Wine returns for a program its loader could not start (STATUS_DLL_INIT_FAILED,
/// 0xC0000142), with nothing printed: now and then when a test starts many programs under
/// it, never an exit of the program's own.
const EMULATOR_COULD_NOT_START: i32 = -1_073_741_502;

/// `command.output()`, or `None` when the program was still running after `limit` and was
/// killed. Under an emulator (`GONGWEN_TEST_EMULATOR`) a program the emulator could not
/// start is started once more, with a warning.
pub fn run_within(command: &mut Command, limit: Duration) -> Option<Output> {
    let output = run_once(command, limit)?;
    let not_started = output.status.code() == Some(EMULATOR_COULD_NOT_START)
        && output.stdout.is_empty()
        && output.stderr.is_empty();
    if not_started && std::env::var_os("GONGWEN_TEST_EMULATOR").is_some() {
        eprintln!("warning: the emulator could not start {command:?} (0xC0000142); once more");
        return run_once(command, limit);
    }
    Some(output)
}

fn run_once(command: &mut Command, limit: Duration) -> Option<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("could not start {command:?}: {err}"));
    // Both pipes are read while the program runs, so that neither fills up and blocks it.
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the program") {
            return Some(Output {
                status,
                stdout: stdout.join().unwrap(),
                stderr: stderr.join().unwrap(),
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `report_dir` into a fresh temporary directory and returns the package.
pub fn build(report_dir: &Path) -> (tempfile::TempDir, Package) {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("out.docx");
    let output = gongwen(&[
        "build",
        report_dir.to_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    let package = Package::open(&path);
    (out, package)
}

/// A minimal report directory: report.yaml pointing at the repository's style, plus sections.
pub fn report(sections: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let style = repo().join("styles/gbt9704.yaml");
    std::fs::write(
        dir.path().join("report.yaml"),
        format!(
            "附件: 附件1\n标题: 测试报告\n单位: 测试单位\n年度: 2023\n样式: {}\n日期: 2024-01-02\n",
            style.display()
        ),
    )
    .unwrap();
    for (name, text) in sections {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The XML parts of a .docx.
pub struct Package {
    pub parts: HashMap<String, String>,
}

impl Package {
    pub fn open(path: &Path) -> Package {
        let file = std::fs::File::open(path).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            if entry.is_file() {
                let mut text = String::new();
                if entry.read_to_string(&mut text).is_ok() {
                    parts.insert(entry.name().to_string(), text);
                }
            }
        }
        Package { parts }
    }

    pub fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"))
    }

    /// Body paragraphs in order: (style id, text).
    pub fn paragraphs(&self) -> Vec<(String, String)> {
        paragraphs(self.part("word/document.xml"))
    }

    /// One style's XML element, by id.
    pub fn style<'a>(&self, doc: &'a roxmltree::Document<'a>, id: &str) -> roxmltree::Node<'a, 'a> {
        doc.descendants()
            .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"))
    }
}

pub mod layout;
pub mod validator;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.descendants().find(|n| n.has_tag_name((W, name)))
}

pub fn attr(node: Option<roxmltree::Node<'_, '_>>, name: &str) -> Option<String> {
    node.and_then(|n| n.attribute((W, name)).map(str::to_string))
}

pub fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let style = attr(child(p, "pStyle"), "val").unwrap_or_default();
            let text: String = p
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

/// Stops a test that needs LibreOffice and poppler when they are missing. Those tests are
/// ignored, with the reason, where build.rs did not find the tools; one run anyway
/// (`--include-ignored`) fails, naming the tool, rather than passing without measuring.
pub fn require_renderer() {
    for tool in ["soffice", "pdftotext"] {
        assert!(
            gongwen::output::pdf::which(tool).is_some(),
            "{tool} is not installed: `make deps` installs LibreOffice, poppler and fonts"
        );
    }
}

pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-raw"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    String::from_utf8_lossy(&output.stdout).into_owned()
}
