//! Errors are values that carry where they happened, so every message names file:line:col.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity, code};

/// A position in a source file, 1-based, as editors show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Byte offset → line and column (in characters), both 1-based.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    /// `first_line`: the line of the file that `text` starts on.
    pub fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            first_line,
        }
    }

    /// The text of line `number` (counted as the positions are), without its line end.
    pub fn line(&self, number: usize) -> Option<&'a str> {
        let i = number.checked_sub(self.first_line)?;
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = self.text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line + self.first_line - 1, column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: 无法读取：{}", io_reason(.source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{path}: 不是普通文件（是{kind}），不能作为报告的文件读取。请换成普通的文本文件；符号链接须指向普通文件。"
    )]
    NotRegularFile { path: PathBuf, kind: &'static str },

    #[error("{path}: 文件超过 {limit_mib} MiB 的上限，不像是报告的文件。请检查是否选错了文件。")]
    TooLarge { path: PathBuf, limit_mib: u64 },

    #[error("{location}: 文件不是 UTF-8 编码（第 {} 个字节起无法解码）。请在编辑器中以 UTF-8 编码重新保存该文件。", .byte + 1)]
    NotUtf8 { location: Location, byte: usize },

    #[error("{0}: 报告目录不存在。请指定包含 report.yaml 和各部分 .md 文件的目录。")]
    MissingReportDir(PathBuf),

    #[error(
        "{0}: 报告目录中没有任何 .md 章节文件。每个一级部分写成一个 Markdown 文件，例如 01-基本情况.md。"
    )]
    NoSections(PathBuf),

    #[error("{location}: YAML 错误：{message}。{hint}。")]
    Yaml {
        location: Location,
        message: String,
        hint: &'static str,
    },

    #[error(
        "{0}: 缺少报告信息文件。请在报告目录中建立 report.yaml，写明 标题、单位、年度、日期，以及可选的 附件、样式。运行 gongwen new 目录名 可以生成一个可直接编译的报告目录。"
    )]
    MissingReportFile(PathBuf),

    /// What is wrong with a report's content, located in the writer's file.
    #[error("{0}")]
    Report(Box<Diagnostic>),

    /// A wrong command-line argument: there is no file to point at.
    #[error("{0}")]
    Usage(String),

    #[error("{path}: 无法生成 PDF 预览：{message}。")]
    Preview { path: PathBuf, message: String },

    /// The .docx writer met a part unlike what it expects of docx-rs: a fault of gongwen's,
    /// reported instead of writing a document with a fix silently missing.
    #[error(
        "{part}: 生成文件时出错：{message}。这是 gongwen 的缺陷，与报告内容无关；请把这条消息告诉维护者。"
    )]
    Render { part: &'static str, message: String },

    #[error("{path}: 无法写入输出文件：{source}。原有文件未被改动。")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Report(Box::new(diagnostic))
    }
}

impl Error {
    /// An error at a place in the writer's file; `code` is one of [`crate::diag::code`].
    pub fn invalid(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Error::Report(Box::new(Diagnostic::error(code, location, message)))
    }

    /// As the writer sees it: every error is a diagnostic, printed like the check's.
    pub fn diagnostic(&self) -> Diagnostic {
        let whole_file = |code, path: &Path| {
            crate::diag::about_file(code, Severity::Error, path, self.to_string())
        };
        match self {
            Error::Report(d) => (**d).clone(),
            Error::Yaml {
                location,
                message,
                hint,
            } => Diagnostic::error(
                code::YAML,
                location.clone(),
                format!("YAML 错误：{message}"),
            )
            .with_fix(*hint),
            Error::NotUtf8 { location, .. } => {
                Diagnostic::error(code::READ, location.clone(), self.to_string())
            }
            Error::Read { path, .. }
            | Error::NotRegularFile { path, .. }
            | Error::TooLarge { path, .. }
            | Error::MissingReportDir(path)
            | Error::NoSections(path)
            | Error::MissingReportFile(path) => whole_file(code::READ, path),
            Error::Write { path, source } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                whole_file(code::OUTPUT, path).with_fix(
                    "如果这个文件正在 Word 或 WPS 中打开，请先关闭它；否则请检查这个文件和文件夹能否写入",
                )
            }
            Error::Preview { path, .. } | Error::Write { path, .. } => {
                whole_file(code::OUTPUT, path)
            }
            Error::Usage(_) => whole_file(code::USAGE, Path::new("")),
            Error::Render { part, .. } => whole_file(code::OUTPUT, Path::new(part)),
        }
    }

    /// The same error, showing the line `line_of` gives for its location (the file's text at
    /// hand where the error leaves a stage).
    pub fn with_line<S: AsRef<str>>(self, line_of: impl FnOnce(&Location) -> Option<S>) -> Self {
        match self {
            Error::Report(_) | Error::Yaml { .. } | Error::NotUtf8 { .. } => {
                Error::Report(Box::new(self.diagnostic().with_line(line_of)))
            }
            other => other,
        }
    }

    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The usual reasons in the writers' language; others as the system says them.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "文件不存在（或符号链接指向的文件不存在）".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => err.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
