//! Stage 1: find and read a report's files. Nothing here interprets their content.

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, code};
use crate::diag::{Error, Location, Result};

/// Report-level metadata: 附件 label, title, unit, year, style.
pub const REPORT_FILE: &str = "report.yaml";
/// The figures the prose and the indicators draw on.
pub const DATA_FILE: &str = "data.yaml";
/// Indicator definitions: formulas, targets, wording.
pub const INDICATORS_FILE: &str = "indicators.yaml";

/// One file's text, with the path it was read from (for messages).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything a report is made of, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct ReportSources {
    pub dir: PathBuf,
    pub report: SourceFile,
    pub data: Option<SourceFile>,
    pub indicators: Option<SourceFile>,
    /// Markdown sections in file-name order; front matter may reorder them later.
    pub sections: Vec<SourceFile>,
    /// Files that look like sections but are not read as such.
    pub warnings: Vec<Diagnostic>,
}

impl SourceFile {
    /// The text of line `line` (from 1), without its line ending.
    pub fn line(&self, line: usize) -> Option<String> {
        let text = self.text.lines().nth(line.checked_sub(1)?)?;
        Some(text.trim_end_matches('\r').to_string())
    }
}

impl ReportSources {
    /// Every file of the report that was read as text.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        std::iter::once(&self.report)
            .chain(&self.data)
            .chain(&self.indicators)
            .chain(&self.sections)
    }

    /// The line a location in one of the report's files points at, as it was read.
    pub fn line(&self, location: &Location) -> Option<String> {
        let file = self.files().find(|f| f.path == location.file)?;
        file.line(location.line)
    }
}

impl ReportSources {
    /// What the report is made of, file by file: a build writes it into the .docx so that
    /// `absorb` can tell which files changed since.
    pub fn fingerprint(&self) -> Fingerprint {
        let files = self
            .files()
            .map(|file| {
                let name = file
                    .path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                (name, digest(&file.text))
            })
            .collect();
        Fingerprint { files }
    }
}

/// Each file of a report by name, with a digest of its text: the same text gives the same
/// digest on every system, Windows line endings and a byte-order mark aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub files: Vec<(String, String)>,
}

/// The custom properties a fingerprint is kept in: its digest, and one per file
/// (`gongwen-file-1` = `digest:name` …). Word keeps at most 255 characters of a custom
/// property's value, so no value holds more than one file.
pub const SOURCES_PROPERTY: &str = "gongwen-sources";
pub const FILE_PROPERTY: &str = "gongwen-file-";

impl Fingerprint {
    /// One digest for the whole report.
    pub fn id(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(name, digest)| format!("{digest}:{name}"))
            .collect();
        digest(&files.join("\n"))
    }

    /// The custom properties (name, value) that keep it, in order.
    pub fn properties(&self) -> Vec<(String, String)> {
        let files = self.files.iter().enumerate().map(|(i, (name, digest))| {
            (
                format!("{FILE_PROPERTY}{}", i + 1),
                format!("{digest}:{name}"),
            )
        });
        std::iter::once((SOURCES_PROPERTY.to_string(), self.id()))
            .chain(files)
            .collect()
    }

    /// The fingerprint [`Fingerprint::properties`] wrote, from a document's text properties;
    /// a file property whose value is not as written (cut short, say) is left out, so that
    /// file counts as changed. `None` without any file.
    pub fn from_properties(properties: &[(String, String)]) -> Option<Fingerprint> {
        let mut numbered: Vec<(u32, (String, String))> = properties
            .iter()
            .filter_map(|(name, value)| {
                let n = name.strip_prefix(FILE_PROPERTY)?.parse().ok()?;
                let (digest, file) = value.split_once(':')?;
                let is_digest = digest.len() == 16 && digest.bytes().all(|b| b.is_ascii_hexdigit());
                (is_digest && !file.is_empty()).then(|| (n, (file.to_string(), digest.to_string())))
            })
            .collect();
        numbered.sort_by_key(|(n, _)| *n);
        let files: Vec<(String, String)> = numbered.into_iter().map(|(_, file)| file).collect();
        (!files.is_empty()).then_some(Fingerprint { files })
    }

    /// The digest of the file named `name`, if the report had one.
    pub fn digest_of(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, digest)| digest.as_str())
    }
}

/// FNV-1a (64 bits) of the text's lines, each ended by LF: an identifier, not a seal, so a
/// dozen lines here rather than a hashing crate.
fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for line in text.lines() {
        for byte in line.bytes().chain([b'\n']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The kinds of file a report folder is written in (Markdown, YAML, a preview's font map),
/// by extension: what a build or a watch reads from it.
pub const SOURCE_EXTENSIONS: [&str; 4] = ["md", "yaml", "yml", "conf"];

/// Whether `path` is of a kind a report is written in (see [`SOURCE_EXTENSIONS`]).
pub fn is_source_kind(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.iter().any(|s| s.eq_ignore_ascii_case(e)))
}

/// The most a report's text file may hold: a 100× sample's section is about 3 MB, and a
/// larger file is a wrong choice (a dump, a disk image) that would only fill memory.
pub const MAX_TEXT_BYTES: u64 = 32 << 20;

/// The most a .docx given to `gongwen textconv` may hold (pictures included); its unpacked
/// text has a limit of its own.
pub const MAX_DOCX_BYTES: u64 = 256 << 20;

/// Reads a report directory. Its sections are the .md files at its top level (a README.md
/// excepted); .md files in subfolders (drafts, old versions) are not built and are named in
/// a warning. A symbolic link is followed wherever it points, for sections and data alike;
/// what it reaches must be a regular file, like every other input.
pub fn load(dir: &Path) -> Result<ReportSources> {
    load_with(dir, &Overlay::default())
}

/// Texts held in memory (an editor's unsaved documents) that stand in for the files at
/// their paths, and for files not yet saved at all.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    texts: std::collections::BTreeMap<PathBuf, String>,
}

impl Overlay {
    /// `text` stands for the file at `path` from now on.
    pub fn set(&mut self, path: PathBuf, text: String) {
        self.texts.insert(path, text);
    }

    /// The file at `path` is read from disk again.
    pub fn remove(&mut self, path: &Path) {
        self.texts.remove(path);
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.texts.keys().map(PathBuf::as_path)
    }

    /// Whether there is a file at `path`, in memory or on disk.
    pub fn exists(&self, path: &Path) -> bool {
        self.texts.contains_key(path) || std::fs::symlink_metadata(path).is_ok()
    }

    /// The text at `path`: the one in memory, else the file's (as [`read_text`] reads it).
    pub fn read_text(&self, path: &Path) -> Result<SourceFile> {
        match self.texts.get(path) {
            Some(text) => {
                check_size(path, text.len() as u64, MAX_TEXT_BYTES)?;
                Ok(SourceFile {
                    path: path.to_path_buf(),
                    text: text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
                })
            }
            None => read_text(path),
        }
    }
}

/// [`load`], with the texts of `overlay` in place of the files at their paths; a section
/// that exists only in memory is read as if it were saved.
pub fn load_with(dir: &Path, overlay: &Overlay) -> Result<ReportSources> {
    if !dir.is_dir() {
        return Err(Error::MissingReportDir(dir.to_path_buf()));
    }
    let report_path = dir.join(REPORT_FILE);
    if !overlay.exists(&report_path) {
        return Err(Error::MissingReportFile(report_path));
    }
    let report = overlay.read_text(&report_path)?;
    let optional = |name: &str| {
        let path = dir.join(name);
        overlay
            .exists(&path)
            .then(|| overlay.read_text(&path))
            .transpose()
    };
    let data = optional(DATA_FILE)?;
    let indicators = optional(INDICATORS_FILE)?;

    let mut sections = Vec::new();
    let mut warnings = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // Subfolders are not read: one that cannot be listed does not matter.
            Err(err) if err.depth() > 1 => continue,
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                return Err(Error::read(&path, err.into()));
            }
        };
        if entry.depth() == 0 || !is_section(entry.path()) {
            continue;
        }
        if entry.depth() == 1 {
            sections.push(overlay.read_text(entry.path())?);
        } else if !entry.file_type().is_dir() {
            warnings.push(Diagnostic::warning(
                code::SOURCES,
                Location::new(entry.path(), 1, 1),
                "子文件夹中的 .md 文件不是章节，未编入报告：章节只取报告目录第一层的 .md 文件。要编入，请把它移到报告目录下。",
            ));
        }
    }
    let unsaved = overlay.paths().filter(|path| {
        path.parent() == Some(dir)
            && is_section(path)
            && !path.file_name().is_some_and(is_hidden)
            && !sections.iter().any(|s| s.path == *path)
    });
    let unsaved: Vec<PathBuf> = unsaved.map(Path::to_path_buf).collect();
    if !unsaved.is_empty() {
        for path in unsaved {
            sections.push(overlay.read_text(&path)?);
        }
        sections.sort_by(|a, b| a.path.file_name().cmp(&b.path.file_name()));
    }
    if sections.is_empty() {
        return Err(Error::NoSections(dir.to_path_buf()));
    }
    Ok(ReportSources {
        dir: dir.to_path_buf(),
        report,
        data,
        indicators,
        sections,
        warnings,
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// Markdown files are sections, except a README that explains the folder to its writers.
fn is_section(path: &Path) -> bool {
    let is_markdown = path.extension().is_some_and(|ext| ext == "md");
    let is_readme = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem.eq_ignore_ascii_case("readme"));
    is_markdown && !is_readme
}

/// Reads at most `limit` bytes of the regular file at `path` (a symbolic link is followed).
/// A directory, FIFO, device or socket is refused before it is opened, so no read blocks or
/// runs without end; a file over the limit is refused before it is read.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|err| Error::read(path, err))?;
    check_regular(path, &metadata, limit)?;
    let file = std::fs::File::open(path).map_err(|err| Error::read(path, err))?;
    // The file may have changed between the two looks: what was opened is checked again.
    let metadata = file.metadata().map_err(|err| Error::read(path, err))?;
    check_regular(path, &metadata, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::read(path, err))?;
    // A file that grew after the look is cut at one byte past the limit, and refused.
    check_size(path, bytes.len() as u64, limit)?;
    Ok(bytes)
}

fn check_regular(path: &Path, metadata: &std::fs::Metadata, limit: u64) -> Result<()> {
    let file_type = metadata.file_type();
    if !file_type.is_file() {
        return Err(Error::NotRegularFile {
            path: path.to_path_buf(),
            kind: kind_of(&file_type),
        });
    }
    check_size(path, metadata.len(), limit)
}

fn check_size(path: &Path, size: u64, limit: u64) -> Result<()> {
    if size > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            limit_mib: limit >> 20,
        });
    }
    Ok(())
}

fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "命名管道（FIFO）";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "设备文件";
        }
        if file_type.is_socket() {
            return "套接字";
        }
    }
    if file_type.is_dir() {
        "目录"
    } else {
        "特殊文件"
    }
}

/// Reads a file as UTF-8 text, within [`MAX_TEXT_BYTES`]; a byte-order mark is dropped.
pub fn read_text(path: &Path) -> Result<SourceFile> {
    let bytes = read_bytes(path, MAX_TEXT_BYTES)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Error::NotUtf8 {
                location: Location::new(path, line, column),
                byte: valid.len(),
            });
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// Whether `c` may stand in a part's text. XML 1.0 forbids the C0 controls other than tab,
/// LF and CR, and U+FFFE and U+FFFF; tab, LF and CR are dropped too (the body writes tabs
/// and line breaks as elements, and in an attribute they would become spaces), and so are DEL
/// and the C1 controls, which XML allows but Word refuses.
pub fn is_kept(c: char) -> bool {
    !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// `text` without the characters [`is_kept`] refuses, for values docx-rs escapes itself.
pub fn keep_xml_chars(text: &str) -> String {
    text.chars().filter(|&c| is_kept(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("报告").join(name),
            text: text.to_string(),
        }
    }

    #[test]
    fn a_fingerprint_reads_back_from_its_properties_and_a_value_cut_short_is_left_out() {
        let sources = ReportSources {
            dir: PathBuf::from("报告"),
            report: file("report.yaml", "标题: 甲\r\n"),
            data: None,
            indicators: None,
            sections: vec![file("01-甲.md", "# 甲\n"), file("02-乙.md", "# 乙\n")],
            warnings: Vec::new(),
        };
        let fingerprint = sources.fingerprint();
        // Windows line endings are the same text.
        assert_eq!(fingerprint.files[0].1, digest("标题: 甲\n"));
        let properties = fingerprint.properties();
        assert_eq!(
            properties[0],
            (SOURCES_PROPERTY.to_string(), fingerprint.id())
        );
        assert_eq!(
            Fingerprint::from_properties(&properties),
            Some(fingerprint.clone())
        );
        let mut cut = properties.clone();
        cut[2].1.truncate(10);
        let read = Fingerprint::from_properties(&cut).unwrap();
        assert_eq!(read.digest_of("01-甲.md"), None);
        assert_eq!(
            read.digest_of("02-乙.md"),
            fingerprint.digest_of("02-乙.md")
        );
        assert_eq!(Fingerprint::from_properties(&properties[..1]), None);
    }
}
