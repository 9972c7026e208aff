//! A PDF preview of the .docx, rendered by LibreOffice as a reviewer would see it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// What the preview needs that the .docx does not carry.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// Maps the official font names to installed fonts.
    pub fonts: Option<FontMap>,
}

/// A fontconfig file: one on disk, or one compiled in with a built-in style.
#[derive(Debug, Clone)]
pub enum FontMap {
    File(PathBuf),
    Builtin(&'static str),
}

impl FontMap {
    /// The file's absolute path (fontconfig reads a relative FONTCONFIG_FILE against its own
    /// folder, not ours); a built-in map is written into `work` first.
    fn path_in(&self, work: &Path) -> Option<PathBuf> {
        match self {
            FontMap::File(file) => std::fs::canonicalize(file).ok(),
            FontMap::Builtin(text) => {
                let file = work.join("fonts.conf");
                std::fs::write(&file, text).ok().map(|()| file)
            }
        }
    }
}

impl Preview {
    /// Renders `docx` to `pdf`, atomically: a failed conversion leaves an existing PDF as it was.
    pub fn render(&self, docx: &[u8], pdf: &Path) -> Result<()> {
        let failed = |message: String| Error::Preview {
            path: pdf.to_path_buf(),
            message,
        };
        let soffice = which("soffice").ok_or_else(|| failed(NO_SOFFICE.into()))?;
        let dir = pdf
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let work = tempfile::Builder::new()
            .prefix(".gongwen-preview-")
            .tempdir_in(dir)
            .map_err(|e| failed(format!("无法建立临时目录：{e}")))?;
        let input = work.path().join("preview.docx");
        std::fs::write(&input, for_libreoffice(docx)).map_err(|e| failed(e.to_string()))?;
        let profile = format!(
            "-env:UserInstallation=file://{}",
            work.path().join("profile").display()
        );
        let mut command = Command::new(soffice);
        command
            .arg(profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(work.path())
            .arg(&input);
        if let Some(fonts) = self.fonts.as_ref().and_then(|f| f.path_in(work.path())) {
            command.env("FONTCONFIG_FILE", fonts);
        }
        let output = command
            .output()
            .map_err(|e| failed(format!("无法运行 LibreOffice：{e}")))?;
        let produced = work.path().join("preview.pdf");
        if !output.status.success() || !produced.is_file() {
            return Err(failed(format!(
                "LibreOffice 转换失败：{}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        std::fs::rename(&produced, pdf).map_err(|e| failed(e.to_string()))
    }
}

/// A LibreOffice kept running between previews (`gongwen watch --pdf`): a cold conversion
/// starts LibreOffice each time, which takes seconds; this one loads each .docx into the
/// running office through UNO (a small Python helper, since UNO speaks no simpler protocol).
pub struct Converter {
    helper: std::process::Child,
    /// `None` once dropped: closing it tells the helper to quit.
    requests: Option<std::process::ChildStdin>,
    /// The helper's answers, one a line, read on their own thread so a wait can time out.
    answers: std::sync::mpsc::Receiver<String>,
    work: tempfile::TempDir,
}

/// The helper that drives LibreOffice, run by LibreOffice's own Python.
const UNO_HELPER: &str = include_str!("preview/uno_convert.py");

impl Converter {
    /// Starts LibreOffice; `Ok(None)` when no Python with LibreOffice's `uno` module is
    /// installed (Debian: python3-uno), in which case each preview starts LibreOffice anew.
    pub fn start(fonts: Option<&FontMap>) -> Result<Option<Converter>> {
        let failed = |message: String| Error::Preview {
            path: PathBuf::from("LibreOffice"),
            message,
        };
        let soffice = which("soffice").ok_or_else(|| failed(NO_SOFFICE.into()))?;
        let Some(python) = uno_python(&soffice) else {
            return Ok(None);
        };
        let work = tempfile::Builder::new()
            .prefix("gongwen-preview-")
            .tempdir()
            .map_err(|e| failed(format!("无法建立临时目录：{e}")))?;
        let script = work.path().join("uno_convert.py");
        std::fs::write(&script, UNO_HELPER).map_err(|e| failed(e.to_string()))?;
        let profile = file_url(&work.path().join("profile"));
        let mut command = Command::new(python);
        command
            .arg(&script)
            .arg(&soffice)
            .arg(profile)
            .arg(format!("gongwen-{}", std::process::id()))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        if let Some(fonts) = fonts.and_then(|f| f.path_in(work.path())) {
            command.env("FONTCONFIG_FILE", fonts);
        }
        let mut helper = command
            .spawn()
            .map_err(|e| failed(format!("无法启动 LibreOffice：{e}")))?;
        let (Some(requests), Some(answers)) = (helper.stdin.take(), helper.stdout.take()) else {
            return Err(failed("无法连接 LibreOffice".into()));
        };
        let (send, answers_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let lines = std::io::BufRead::lines(std::io::BufReader::new(answers));
            for line in lines.map_while(std::result::Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut converter = Converter {
            helper,
            requests: Some(requests),
            answers: answers_rx,
            work,
        };
        match converter.answer(STARTING).as_str() {
            "ready" => Ok(Some(converter)),
            other => Err(failed(format!("LibreOffice 没有启动：{other}"))),
        }
    }

    /// Renders `docx` to `pdf` through the running office; an existing PDF stays as it was
    /// if the conversion fails.
    pub fn render(&mut self, docx: &[u8], pdf: &Path) -> Result<()> {
        let failed = |message: String| Error::Preview {
            path: pdf.to_path_buf(),
            message,
        };
        let input = self.work.path().join("preview.docx");
        let output = self.work.path().join("preview.pdf");
        std::fs::write(&input, for_libreoffice(docx)).map_err(|e| failed(e.to_string()))?;
        let request = format!("{}\t{}\n", input.display(), output.display());
        let sent = self.requests.as_mut().map(|requests| {
            std::io::Write::write_all(requests, request.as_bytes())
                .and_then(|()| std::io::Write::flush(requests))
        });
        if let Some(Err(e)) = sent {
            return Err(failed(format!("LibreOffice 已退出：{e}")));
        }
        let answer = self.answer(CONVERTING);
        if answer != "ok" {
            return Err(failed(format!("LibreOffice 转换失败：{answer}")));
        }
        // Beside the target first, so the rename that replaces it is atomic.
        let beside = pdf.with_extension("pdf.tmp");
        std::fs::copy(&output, &beside)
            .and_then(|_| std::fs::rename(&beside, pdf))
            .map_err(|e| failed(e.to_string()))
    }

    /// The helper's next answer; a LibreOffice that does not answer in `patience` is stopped,
    /// so a watch never hangs on it.
    fn answer(&mut self, patience: std::time::Duration) -> String {
        match self.answers.recv_timeout(patience) {
            Ok(line) => line,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let _ = self.helper.kill();
                format!("{} 秒内没有回应，已停止", patience.as_secs())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => "LibreOffice 已退出".into(),
        }
    }
}

/// How long LibreOffice may take to start, and to convert one report.
const STARTING: std::time::Duration = std::time::Duration::from_secs(120);
const CONVERTING: std::time::Duration = std::time::Duration::from_secs(60);

impl Drop for Converter {
    /// Closing the helper's input makes it quit LibreOffice; then it is waited for.
    fn drop(&mut self) {
        drop(self.requests.take());
        let _ = self.helper.wait();
    }
}

/// LibreOffice's Python if it has one (Windows, macOS), else the system's, with `uno`.
fn uno_python(soffice: &Path) -> Option<PathBuf> {
    let program = std::fs::canonicalize(soffice)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let bundled = program
        .into_iter()
        .flat_map(|dir| [dir.join("python.exe"), dir.join("python")]);
    let system = ["/usr/bin/python3"].map(PathBuf::from);
    bundled
        .chain(system)
        .filter(|p| p.is_file())
        .chain(which("python3"))
        .find(|python| {
            Command::new(python)
                .args(["-c", "import uno"])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

fn file_url(path: &Path) -> String {
    let path = path.display().to_string().replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        format!("file:///{path}")
    }
}

const NO_SOFFICE: &str = "生成 PDF 预览需要 LibreOffice（soffice），但没有找到。Debian/Ubuntu：运行 make deps，或 apt-get install libreoffice-writer-nogui。.docx 已生成，不受影响";

/// LibreOffice reads `w:overflowPunct` the other way round from Word (val 0 makes it hang
/// punctuation past the margin), so its copy says 1 where the .docx says 0, and the preview
/// shows what Word shows: every character inside the text block.
fn for_libreoffice(docx: &[u8]) -> Vec<u8> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(docx)) else {
        return docx.to_vec();
    };
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            return docx.to_vec();
        };
        let mut bytes = Vec::new();
        if std::io::Read::read_to_end(&mut entry, &mut bytes).is_err() {
            return docx.to_vec();
        }
        if entry.name() == "word/styles.xml" {
            bytes = String::from_utf8_lossy(&bytes)
                .replace(
                    "<w:overflowPunct w:val=\"0\" />",
                    "<w:overflowPunct w:val=\"1\" />",
                )
                .into_bytes();
        }
        let name = entry.name().to_string();
        let written = if entry.is_dir() {
            out.add_directory(name, options)
        } else {
            out.start_file(name, options)
                .and_then(|()| std::io::Write::write_all(&mut out, &bytes).map_err(Into::into))
        };
        if written.is_err() {
            return docx.to_vec();
        }
    }
    out.finish()
        .map_or_else(|_| docx.to_vec(), std::io::Cursor::into_inner)
}

pub fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|path| path.is_file())
    })
}
