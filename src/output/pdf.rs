//! A PDF preview of the .docx, rendered by LibreOffice as a reviewer would see it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Error, Result};
use crate::input::style::FontMap;
use crate::output;
use crate::render::Rendered;
use crate::render::docx;

/// The PDF preview of each Word document among `files`, beside it: its path and the
/// document's bytes.
pub fn previews(files: &[Rendered]) -> impl Iterator<Item = (PathBuf, &[u8])> {
    files
        .iter()
        .filter(|file| file.is_docx())
        .map(|file| (file.path.with_extension("pdf"), file.bytes.as_slice()))
}

/// What the preview needs that the .docx does not carry.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// Maps the official font names to installed fonts.
    pub fonts: Option<FontMap>,
}

/// The font map's absolute path (fontconfig reads a relative FONTCONFIG_FILE against its own
/// folder, not ours); a built-in map is written into `work` first.
fn font_map_path(map: &FontMap, work: &Path) -> Option<PathBuf> {
    match map {
        FontMap::File(file) => std::fs::canonicalize(file).ok(),
        FontMap::Builtin(text) => {
            let file = work.join("fonts.conf");
            std::fs::write(&file, text).ok().map(|()| file)
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
        // A folder or a device in the PDF's place is refused before LibreOffice spends seconds.
        output::check_replaceable(pdf)?;
        let soffice = soffice().ok_or_else(|| failed(NO_SOFFICE.into()))?;
        let dir = pdf
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let work = output::TempDir::new_in(dir, ".gongwen-preview-")
            .map_err(|e| failed(format!("无法建立临时目录：{e}")))?;
        let input = work.path().join("preview.docx");
        std::fs::write(&input, for_libreoffice(docx)?).map_err(|e| failed(e.to_string()))?;
        let profile = file_url(&work.path().join("profile")).map_err(|e| failed(e.to_string()))?;
        let mut command = Command::new(soffice);
        command
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(work.path())
            .arg(&input);
        if let Some(fonts) = self
            .fonts
            .as_ref()
            .and_then(|f| font_map_path(f, work.path()))
        {
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
        let bytes = std::fs::read(&produced).map_err(|e| failed(e.to_string()))?;
        output::write_atomically(pdf, &bytes)
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
    work: output::TempDir,
}

/// The helper that drives LibreOffice, run by LibreOffice's own Python.
const UNO_HELPER: &str = include_str!("uno_convert.py");

impl Converter {
    /// Starts LibreOffice; `Ok(None)` when no Python with LibreOffice's `uno` module is
    /// installed (Debian: python3-uno), in which case each preview starts LibreOffice anew.
    pub fn start(fonts: Option<&FontMap>) -> Result<Option<Converter>> {
        let failed = |message: String| Error::Preview {
            path: PathBuf::from("LibreOffice"),
            message,
        };
        let soffice = soffice().ok_or_else(|| failed(NO_SOFFICE.into()))?;
        let Some(python) = uno_python(&soffice) else {
            return Ok(None);
        };
        let work = output::TempDir::new("gongwen-preview-")
            .map_err(|e| failed(format!("无法建立临时目录：{e}")))?;
        let script = work.path().join("uno_convert.py");
        std::fs::write(&script, UNO_HELPER).map_err(|e| failed(e.to_string()))?;
        let profile = file_url(&work.path().join("profile")).map_err(|e| failed(e.to_string()))?;
        let mut command = Command::new(python);
        command
            .arg(&script)
            .arg(&soffice)
            .arg(profile)
            .arg(format!("gongwen-{}", std::process::id()))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        if let Some(fonts) = fonts.and_then(|f| font_map_path(f, work.path())) {
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
        output::check_replaceable(pdf)?;
        let input = self.work.path().join("preview.docx");
        let produced = self.work.path().join("preview.pdf");
        std::fs::write(&input, for_libreoffice(docx)?).map_err(|e| failed(e.to_string()))?;
        let request = format!("{}\t{}\n", input.display(), produced.display());
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
        let bytes = std::fs::read(&produced).map_err(|e| failed(e.to_string()))?;
        output::write_atomically(pdf, &bytes)
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

/// The URL LibreOffice takes for a folder: absolute (a relative path would be read as a
/// host name), `file:///C:/...` on Windows, and percent-encoded UTF-8 (spaces, Chinese).
fn file_url(path: &Path) -> std::io::Result<String> {
    let path = std::path::absolute(path)?;
    let path = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if path.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/:-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(url)
}

const NO_SOFFICE: &str = "生成 PDF 预览需要 LibreOffice（soffice），但没有找到。Windows：从 libreoffice.org 下载安装（默认位置即可）；Debian/Ubuntu/统信/麒麟：运行 make deps，或 apt-get install libreoffice-writer-nogui。.docx 已生成，不受影响";

/// The .docx as LibreOffice should read it: its styles part with the punctuation flag the
/// other way round ([`docx::libreoffice_styles`]), the other parts as they are.
fn for_libreoffice(docx: &[u8]) -> Result<Vec<u8>> {
    let broken = |err: zip::result::ZipError| Error::Render {
        part: "(preview.docx)",
        message: err.to_string(),
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(broken)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(broken)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| broken(e.into()))?;
        if entry.name() == "word/styles.xml" {
            bytes = docx::libreoffice_styles(&bytes)?;
        }
        let name = entry.name().to_string();
        if entry.is_dir() {
            out.add_directory(name, options).map_err(broken)?;
        } else {
            out.start_file(name, options).map_err(broken)?;
            std::io::Write::write_all(&mut out, &bytes).map_err(|e| broken(e.into()))?;
        }
    }
    out.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(broken)
}

/// A program on the PATH; on Windows, `tool.com` or `tool.exe` (LibreOffice's soffice.com
/// is the one that waits for the conversion and prints its messages).
pub fn which(tool: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    find_program(tool, std::env::split_paths(&paths), PROGRAM_SUFFIXES)
}

const PROGRAM_SUFFIXES: &[&str] = if cfg!(windows) {
    &[".com", ".exe"]
} else {
    &[""]
};

fn find_program(
    tool: &str,
    dirs: impl IntoIterator<Item = PathBuf>,
    suffixes: &[&str],
) -> Option<PathBuf> {
    dirs.into_iter()
        .flat_map(|dir| suffixes.iter().map(move |s| dir.join(format!("{tool}{s}"))))
        .find(|path| path.is_file())
}

fn soffice() -> Option<PathBuf> {
    find_program(
        "soffice",
        soffice_dirs(|name| std::env::var_os(name)),
        PROGRAM_SUFFIXES,
    )
}

/// Where LibreOffice may be: the PATH, then where its Windows installer puts it, which is not
/// on the PATH (`C:\Program Files\LibreOffice\program`).
fn soffice_dirs(var: impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let path: Vec<PathBuf> = var("PATH")
        .map(|paths| std::env::split_paths(&paths).collect())
        .unwrap_or_default();
    let installs = ["ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"]
        .into_iter()
        .filter_map(var)
        .map(|dir| PathBuf::from(dir).join("LibreOffice").join("program"));
    path.into_iter().chain(installs).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn entry(docx: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        std::io::read_to_string(archive.by_name(name).unwrap()).unwrap()
    }

    #[test]
    fn libreoffices_copy_says_1_in_every_overflow_punct_and_keeps_the_rest() {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        let styles = format!(
            "<w:styles {w}><w:docDefaults><w:pPrDefault><w:pPr><w:overflowPunct w:val=\"0\" /></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId=\"A\"><w:pPr><w:overflowPunct w:val=\"0\" /></w:pPr></w:style></w:styles>"
        );
        let document = format!("<w:document {w}><w:body /></w:document>");
        let docx = zip_of(&[
            ("word/document.xml", &document),
            ("word/styles.xml", &styles),
        ]);
        let copy = for_libreoffice(&docx).unwrap();
        assert_eq!(
            entry(&copy, "word/styles.xml"),
            styles.replace("\"0\"", "\"1\"")
        );
        assert_eq!(entry(&copy, "word/document.xml"), document);
    }

    #[test]
    fn styles_without_the_flag_are_an_error_not_a_preview_that_hangs_punctuation() {
        let styles = "<w:styles xmlns:w=\"urn:w\"><w:style /></w:styles>";
        let err = for_libreoffice(&zip_of(&[("word/styles.xml", styles)])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("word/styles.xml: 生成文件时出错：找不到 w:overflowPunct"),
            "{err}"
        );
    }

    #[test]
    fn soffice_com_is_found_before_soffice_exe_and_a_folder_is_no_program() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(first.join("soffice.com")).unwrap();
        std::fs::create_dir(&second).unwrap();
        std::fs::write(second.join("soffice.exe"), "").unwrap();
        std::fs::write(second.join("soffice.com"), "").unwrap();
        let dirs = || [first.clone(), second.clone()];
        let suffixes = [".com", ".exe"];
        assert_eq!(
            find_program("soffice", dirs(), &suffixes),
            Some(second.join("soffice.com"))
        );
        std::fs::remove_file(second.join("soffice.com")).unwrap();
        assert_eq!(
            find_program("soffice", dirs(), &suffixes),
            Some(second.join("soffice.exe"))
        );
        assert_eq!(find_program("soffice", dirs(), &[""]), None);
    }

    #[test]
    fn libreoffice_is_looked_for_on_the_path_then_where_windows_installs_it() {
        let var = |name: &str| match name {
            "PATH" => Some(std::env::join_paths(["/bin", "/usr/bin"]).unwrap()),
            "ProgramFiles" => Some(OsString::from("/programs")),
            _ => None,
        };
        let program = Path::new("/programs").join("LibreOffice").join("program");
        assert_eq!(
            soffice_dirs(var),
            [PathBuf::from("/bin"), PathBuf::from("/usr/bin"), program]
        );
    }

    #[test]
    fn the_profile_url_is_absolute_and_percent_encoded() {
        let url = file_url(Path::new("预览 1/profile")).unwrap();
        let here = file_url(&std::env::current_dir().unwrap()).unwrap();
        assert_eq!(url, format!("{here}/%E9%A2%84%E8%A7%88%201/profile"));
        assert!(here.starts_with("file:///"), "{here}");
        if cfg!(windows) {
            assert_eq!(
                file_url(Path::new(r"C:\Users\张三")).unwrap(),
                "file:///C:/Users/%E5%BC%A0%E4%B8%89"
            );
        } else {
            assert_eq!(file_url(Path::new("/tmp/a")).unwrap(), "file:///tmp/a");
        }
    }

    #[test]
    fn a_folder_in_the_pdfs_place_is_refused_before_libreoffice_runs() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("报告.pdf");
        std::fs::create_dir(&pdf).unwrap();
        let error = Preview::default()
            .render(b"", &pdf)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("报告.pdf") && error.contains("它是文件夹"),
            "{error}"
        );
        assert!(pdf.is_dir());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
