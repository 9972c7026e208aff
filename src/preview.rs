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
        let soffice = which("soffice").ok_or_else(|| {
            failed("生成 PDF 预览需要 LibreOffice（soffice），但没有找到。Debian/Ubuntu：运行 make deps，或 apt-get install libreoffice-writer-nogui。.docx 已生成，不受影响".into())
        })?;
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
