//! `gongwen watch [DIR] [--pdf]`: rebuilds the report each time one of its files is saved,
//! prints the check's diagnostics, and keeps a PDF preview up to date through a LibreOffice
//! that stays running. Nothing stops it but Ctrl+C: after a bad edit the last good .docx and
//! PDF stay as they were.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use clap::{ArgMatches, Command};

use gongwen::diag::{Error, Result};
use gongwen::document::report::{self, Built, Options};
use gongwen::input::source;
use gongwen::output;
use gongwen::output::pdf::{self, Converter, Preview};
use gongwen::render::{self, Rendered};

use super::check::diagnose;
use super::{flag, is_set, one, output, report_dir};

#[derive(Debug)]
pub struct Args {
    pub report_dir: PathBuf,
    pub output: Option<PathBuf>,
    pub pdf: bool,
    pub worksheet: bool,
}

pub fn command() -> Command {
    Command::new("watch")
        .about("每次保存后重新生成，显示检查结果；--pdf 同时刷新 PDF 预览")
        .arg(report_dir())
        .arg(output("报告的 .docx 写到哪里（默认：build/<目录名>.docx）"))
        .arg(flag(
            "pdf",
            "同时更新 .docx 旁的 PDF 预览（需要 LibreOffice）",
        ))
        .arg(flag("worksheet", super::build::WORKSHEET_HELP))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
            output: one(matches, "OUTPUT"),
            pdf: is_set(matches, "pdf"),
            worksheet: is_set(matches, "worksheet"),
        }
    }
}

/// How often the report's files are looked at. Looking works wherever the files are: on a
/// network share, in WSL's /mnt/c, under Wine, where file-change events do not arrive.
const POLL: Duration = Duration::from_millis(200);

/// Saves closer together than this are one change (an editor may write a file in steps).
const SETTLE: Duration = Duration::from_millis(100);

pub fn run(args: &Args) -> Result<()> {
    let dir = &args.report_dir;
    if !dir.is_dir() {
        return Err(Error::MissingReportDir(dir.clone()));
    }
    let docx = args
        .output
        .clone()
        .unwrap_or_else(|| Path::new("build").join(format!("{}.docx", super::build::name_of(dir))));
    // Refused before watching: each save would be refused again.
    let mut inputs = output::Inputs::default();
    inputs.dir(dir);
    inputs.check(&docx)?;
    let mut watch = Watch {
        dir,
        docx: &docx,
        inputs,
        pdf: args.pdf.then(|| PdfPreview::Pending),
        extras: render::Extras {
            worksheet: args.worksheet,
        },
        unwritten: None,
    };
    // Taken before the first build: a save while it runs is a change too.
    let mut files = sources(dir);
    watch.rebuild(None);
    outln!(
        "正在监视 {}：保存文件后自动重新生成；按 Ctrl+C 结束。",
        dir.display()
    );
    loop {
        let changed = next_change(dir, &mut files, || watch.write_unwritten());
        let latest = changed.iter().max_by_key(|p| modified(p));
        if let Some(latest) = latest {
            let name = latest.strip_prefix(dir).unwrap_or(latest).display();
            outln!("\n—— {name} 已修改，重新生成 ——");
            watch.rebuild(modified(latest));
        }
    }
}

/// The report's source files as they are now: each one's length and time of last save.
pub(super) type Sources = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

/// Every source file under `dir`, hidden folders left out; a link to a file counts as the
/// file, as the build reads it.
pub(super) fn sources(dir: &Path) -> Sources {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        })
        .filter_map(|entry| {
            let path = entry.ok()?.into_path();
            let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
            is_source(&path, dir).then(|| (path, (meta.len(), meta.modified().ok())))
        })
        .collect()
}

/// The files written, created or removed between two looks.
fn differences(before: &Sources, after: &Sources) -> Vec<PathBuf> {
    let written_or_created = after
        .iter()
        .filter(|(path, state)| before.get(*path) != Some(*state));
    let removed = before.iter().filter(|(path, _)| !after.contains_key(*path));
    written_or_created
        .chain(removed)
        .map(|(path, _)| path.clone())
        .collect()
}

/// Waits for a source file to be written, created or removed, then gathers what else
/// changes until the files have been quiet for [`SETTLE`]. `files` is what was seen last;
/// `idle` runs at each look that finds nothing new.
pub(super) fn next_change(dir: &Path, files: &mut Sources, mut idle: impl FnMut()) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    let mut wait = POLL;
    loop {
        std::thread::sleep(wait);
        let now = sources(dir);
        let more = differences(files, &now);
        if more.is_empty() && !changed.is_empty() {
            break;
        }
        if more.is_empty() {
            idle();
        } else {
            changed.extend(more);
            *files = now;
            wait = SETTLE;
        }
    }
    changed.sort();
    changed.dedup();
    changed
}

/// A file the report is made of: Markdown or YAML (or a preview font map), not hidden, not
/// an editor's temporary file.
fn is_source(path: &Path, dir: &Path) -> bool {
    let inside = path.strip_prefix(dir).unwrap_or(path);
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !hidden && source::is_source_kind(path)
}

/// When a file was last saved; `None` once it is removed.
fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

enum PdfPreview {
    /// Not started yet: it needs the fonts of a successful build.
    Pending,
    /// A LibreOffice kept running.
    Running(Converter),
    /// No Python with LibreOffice's `uno` module: LibreOffice starts for each preview.
    Cold,
    /// LibreOffice could not be started; said once.
    Off,
}

struct Watch<'a> {
    dir: &'a Path,
    docx: &'a Path,
    pdf: Option<PdfPreview>,
    /// What it writes besides the report and its 自评表, as `build` would.
    extras: render::Extras,
    /// A good build whose files could not be written (open in Word, a folder in its place):
    /// written as soon as they can be, without waiting for the next save.
    unwritten: Option<Vec<Rendered>>,
    /// What the last good build read: never replaced by an output.
    inputs: output::Inputs,
}

/// The files of one write, on one line.
fn listed(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join("、")
}

/// Whether `path` can be written now: a new name, or a file no other program holds open.
fn is_free(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => std::fs::OpenOptions::new().write(true).open(path).is_ok(),
        Ok(_) => false,
        Err(err) => err.kind() == std::io::ErrorKind::NotFound,
    }
}

impl Watch<'_> {
    /// Builds, checks and writes; `saved` is when the newest change was saved, for the
    /// edit-to-preview time.
    fn rebuild(&mut self, saved: Option<SystemTime>) {
        let started = Instant::now();
        let built = report::build(self.dir, &Options::default());
        let diagnosis = diagnose(self.dir, built.as_ref());
        out!("{}", diagnosis.human());
        // A build error or a check error keeps the last good .docx and PDF.
        let built = match built {
            Ok(built) if !diagnosis.has_errors() => built,
            _ => {
                outln!("未更新：上一次生成的文件保留不变。");
                return;
            }
        };
        let files = match render::outputs(&built, self.docx, self.extras) {
            Ok(files) => files,
            Err(error) => {
                super::print_error(&error);
                return;
            }
        };
        self.inputs = output::Inputs::of(&built);
        // The files are written, and flushed to disk, while LibreOffice converts the same bytes.
        let inputs = self.inputs.clone();
        let written = std::thread::scope(|scope| {
            let writing = scope.spawn(|| output::write_outputs(&files, None, &inputs));
            if self.pdf.is_some() {
                self.write_pdfs(&built, &files, saved);
            }
            writing.join()
        });
        self.unwritten = None;
        match written {
            Ok(Ok(paths)) => {
                let took = started.elapsed().as_millis();
                outln!("已更新 {}（{took} ms）", listed(&paths));
            }
            Ok(Err(error)) => {
                super::print_error(&error);
                outln!("文件能写入时（例如在 Word 中关闭它之后）会自动补写。");
                self.unwritten = Some(files);
            }
            Err(_) => super::print_error(&Error::Write {
                path: self.docx.to_path_buf(),
                source: std::io::Error::other("写入的线程意外结束"),
            }),
        }
    }

    /// Writes the files of the last good build if they could not be written then and can be
    /// now. Looked at with each poll: a file another program holds open cannot be opened for
    /// writing, which is asked first, so that nothing is written while it stays open.
    fn write_unwritten(&mut self) {
        let Some(files) = &self.unwritten else {
            return;
        };
        if !files.iter().all(|file| is_free(&file.path)) {
            return;
        }
        if let Ok(paths) = output::write_outputs(files, None, &self.inputs) {
            outln!("已补写 {}", listed(&paths));
            self.unwritten = None;
        }
    }

    /// The PDF preview of each Word document among `files`.
    fn write_pdfs(&mut self, built: &Built, files: &[Rendered], saved: Option<SystemTime>) {
        for (pdf, docx) in pdf::previews(files) {
            if let Err(error) = self.inputs.check(&pdf) {
                super::print_error(&error);
                continue;
            }
            self.write_pdf(built, docx, &pdf, saved);
        }
    }

    fn write_pdf(&mut self, built: &Built, bytes: &[u8], pdf: &Path, saved: Option<SystemTime>) {
        let fonts = built.style_source.fonts();
        if let Some(PdfPreview::Pending) = self.pdf {
            outln!("正在启动 LibreOffice（只在第一次）……");
            self.pdf = Some(match Converter::start(Some(&fonts)) {
                Ok(Some(converter)) => PdfPreview::Running(converter),
                Ok(None) => {
                    outln!(
                        "提示：没有找到带 uno 模块的 Python（Debian：apt-get install python3-uno），每次预览都要重新启动 LibreOffice，需要几秒。"
                    );
                    PdfPreview::Cold
                }
                Err(error) => {
                    super::print_error(&error);
                    PdfPreview::Off
                }
            });
        }
        let converting = Instant::now();
        let result = match &mut self.pdf {
            Some(PdfPreview::Running(converter)) => converter.render(bytes, pdf),
            Some(PdfPreview::Cold) => Preview { fonts: Some(fonts) }.render(bytes, pdf),
            _ => return,
        };
        if result.is_err() && matches!(self.pdf, Some(PdfPreview::Running(_))) {
            // LibreOffice may have crashed or hung: the next build starts a new one.
            self.pdf = Some(PdfPreview::Pending);
        }
        match result {
            Ok(()) => {
                let since = saved
                    .and_then(|t| t.elapsed().ok())
                    .map(|d| format!("，保存后 {:.2} s", d.as_secs_f64()))
                    .unwrap_or_default();
                outln!(
                    "已更新 {}（转换 {:.2} s{since}）",
                    pdf.display(),
                    converting.elapsed().as_secs_f64()
                );
            }
            Err(error) => super::print_error(&error),
        }
    }
}
