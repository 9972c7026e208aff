//! `gongwen build`: report directories in, GB/T 9704 .docx files out. Several reports build
//! in parallel, each written atomically; one bad report does not stop the others.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{ArgMatches, Command, value_parser};

use gongwen::diag::{Error, Location};
use gongwen::document::report::{self, Built, Options};
use gongwen::import::fonts::{self, Installed};
use gongwen::output;
use gongwen::output::pdf::Preview;
use gongwen::render;

use super::check::{Diagnosis, diagnose};
use super::{flag, is_set, many, one, output, path, value};

#[derive(Debug)]
pub struct Args {
    pub report_dirs: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub out_dir: PathBuf,
    pub style: Option<String>,
    pub pdf: bool,
    pub jobs: Option<usize>,
    pub no_check: bool,
    pub worksheet: bool,
}

/// The help of `--worksheet`, for `build` and `watch` alike.
pub const WORKSHEET_HELP: &str = "同时在报告旁生成计算底稿（<报告>-计算底稿.docx）：每个数字印在哪里、来自 data.yaml 哪一行、公式、精确值、取舍、目标和评分规则（自评表的 .xlsx 总有这一页）";

pub fn command() -> Command {
    Command::new("build")
        .about("由报告目录生成 .docx：报告，以及自评表的 .docx 和 .xlsx")
        .arg(
            path(
                "REPORT_DIRS",
                "报告目录（report.yaml、data.yaml、每部分一个 .md 文件），可以写几个",
            )
            .num_args(1..)
            .default_value("content"),
        )
        .arg(output(
            "报告的 .docx 写到哪里，只用于一个报告（默认：build/<目录名>.docx）",
        ))
        .arg(
            path(
                "OUT_DIR",
                "几个报告的 .docx 写到哪个目录，各以自己的目录命名",
            )
            .long("out-dir")
            .default_value("build"),
        )
        .arg(
            value(
                "STYLE",
                "用内置样式（gbt9704）或一个样式文件，代替 report.yaml 写的样式",
            )
            .long("style"),
        )
        .arg(flag(
            "pdf",
            "同时在每个 .docx 旁生成 PDF 预览（需要 LibreOffice）",
        ))
        .arg(
            value("JOBS", "同时生成几个报告（默认：CPU 核数）")
                .short('j')
                .long("jobs")
                .value_parser(value_parser!(usize)),
        )
        .arg(flag(
            "no-check",
            "不先检查（gongwen check）；否则检查出的错误会中止生成",
        ))
        .arg(flag("worksheet", WORKSHEET_HELP))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            report_dirs: many(matches, "REPORT_DIRS"),
            output: one(matches, "OUTPUT"),
            out_dir: one(matches, "OUT_DIR").unwrap_or_default(),
            style: one(matches, "STYLE"),
            pdf: is_set(matches, "pdf"),
            jobs: one(matches, "JOBS"),
            no_check: is_set(matches, "no-check"),
            worksheet: is_set(matches, "worksheet"),
        }
    }
}

pub fn run(args: &Args) -> ExitCode {
    let outputs = match outputs(args) {
        Ok(outputs) => outputs,
        Err(error) => {
            super::print_error(&error);
            return ExitCode::FAILURE;
        }
    };
    let options = Options {
        style: args.style.clone(),
        ..Options::default()
    };
    // One report needs no count of cores (which reads cgroup files).
    let jobs = match args.jobs {
        Some(jobs) => jobs,
        None if outputs.len() > 1 => std::thread::available_parallelism().map_or(1, usize::from),
        None => 1,
    }
    .clamp(1, outputs.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Written, Diagnosis>>>> =
        Mutex::new((0..outputs.len()).map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((dir, output)) = outputs.get(i) else {
                break;
            };
            let result = build_one(dir, output, &options, args, outputs.len() == 1);
            if let Ok(mut results) = results.lock() {
                results[i] = Some(result);
            }
        }
    };
    // One worker works on this thread: a new thread would cost a fresh malloc arena.
    std::thread::scope(|scope| {
        for _ in 1..jobs {
            scope.spawn(work);
        }
        work();
    });
    let results = results.into_inner().unwrap_or_default();
    let mut failed = 0;
    for result in results.into_iter().flatten() {
        match result {
            Ok((diagnosis, written)) => {
                note!("{}", diagnosis.findings());
                for path in written {
                    super::print(format_args!("已生成 {}\n", path.display()));
                }
            }
            Err(diagnosis) => {
                failed += 1;
                note!("{}", diagnosis.findings());
            }
        }
    }
    if outputs.len() > 1 {
        noteln!(
            "{} 个报告，{} 个成功，{failed} 个失败。",
            outputs.len(),
            outputs.len() - failed
        );
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The output of each report; two reports may not write the same file.
fn outputs(args: &Args) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    if let Some(output) = &args.output {
        return match args.report_dirs.as_slice() {
            [dir] => Ok(vec![(dir.clone(), output.clone())]),
            _ => Err(Error::Usage(
                "-o 只能用于一个报告；多个报告请用 --out-dir 指定输出目录".into(),
            )),
        };
    }
    let mut out: Vec<(PathBuf, PathBuf)> = Vec::new();
    for dir in &args.report_dirs {
        let path = args.out_dir.join(format!("{}.docx", name_of(dir)));
        if let Some((other, _)) = out.iter().find(|(_, p)| *p == path) {
            return Err(Error::Usage(format!(
                "{} 和 {} 都会写到 {}；请改名其中一个目录",
                other.display(),
                dir.display(),
                path.display()
            )));
        }
        out.push((dir.clone(), path));
    }
    Ok(out)
}

pub fn name_of(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "report".into())
}

/// What building one report said and wrote.
type Written = (Diagnosis, Vec<PathBuf>);

/// Checks and builds one report: what the check said and the files written, or, when the
/// build or the check found an error, what they said (and nothing written).
///
/// The process's only report keeps its memory: the exit that follows gives it back at once,
/// faster than freeing its thousands of allocations one by one (0.08 ms of a 3 ms build).
fn build_one(
    dir: &Path,
    output: &Path,
    options: &Options,
    args: &Args,
    only_report: bool,
) -> Result<Written, Diagnosis> {
    let mut built = report::build(dir, options).map_err(|e| Diagnosis::failed(&e))?;
    warn_of_missing_fonts(&mut built, options);
    let diagnosis = if args.no_check {
        Diagnosis::build_warnings(&built)
    } else {
        diagnose(dir, Ok(&built))
    };
    if diagnosis.has_errors() {
        return Err(diagnosis);
    }
    let extras = render::Extras {
        worksheet: args.worksheet,
    };
    let written =
        write_outputs(&built, output, args.pdf, extras).map_err(|e| Diagnosis::failed(&e))?;
    if only_report {
        std::mem::forget(built);
    }
    Ok((diagnosis, written))
}

/// One warning when the style names fonts this computer lacks: Word and WPS here would show
/// other faces, though the bureau's PC may have them.
fn warn_of_missing_fonts(built: &mut Built, options: &Options) {
    // A style from the command line has no line of a file to point at.
    let at = match &options.style {
        Some(_) => Location::new("", 0, 0),
        None => fonts::style_location(&built.sources.report, &built.meta),
    };
    // Looked up once per run (fontconfig is a process to start, Windows' fonts a folder of
    // files to read), however many reports the run builds.
    static INSTALLED: std::sync::OnceLock<Installed> = std::sync::OnceLock::new();
    let installed = INSTALLED.get_or_init(Installed::here);
    if let Some(warning) = fonts::missing_warning(&built.style, installed, at) {
        let warning = warning.with_line(|at| built.sources.line(at));
        built.warnings.push(warning);
    }
}

/// Renders every output of the report, then writes them (and their previews): an error in
/// rendering leaves no file behind.
fn write_outputs(
    built: &Built,
    output: &Path,
    pdf: bool,
    extras: render::Extras,
) -> Result<Vec<PathBuf>, Error> {
    let files = render::outputs(built, output, extras)?;
    let preview = pdf.then(|| Preview {
        fonts: Some(built.style_source.fonts()),
    });
    output::write_outputs(&files, preview.as_ref(), &output::Inputs::of(built))
}
