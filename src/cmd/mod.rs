//! One file per subcommand.

// Everything a command says goes through [`say`]; these are its `print!`-like forms.

/// Writes to stdout, as `print!` would, through [`say`].
macro_rules! out {
    ($($text:tt)*) => { $crate::cmd::say($crate::cmd::Stream::Out, format_args!($($text)*)) };
}

/// Writes a line to stdout, as `println!` would, through [`say`].
macro_rules! outln {
    ($($text:tt)*) => { out!("{}\n", format_args!($($text)*)) };
}

/// Writes to stderr, as `eprint!` would, through [`say`].
macro_rules! note {
    ($($text:tt)*) => { $crate::cmd::say($crate::cmd::Stream::Err, format_args!($($text)*)) };
}

/// Writes a line to stderr, as `eprintln!` would, through [`say`].
macro_rules! noteln {
    ($($text:tt)*) => { note!("{}\n", format_args!($($text)*)) };
}

pub mod absorb;
pub mod build;
pub mod check;
pub mod diff;
pub mod fonts;
pub mod generate;
pub mod import;
pub mod indicators;
pub mod lsp;
pub mod markdown;
pub mod new;
pub mod redline;
pub mod serve;
pub mod style;
pub mod textconv;
pub mod watch;

use std::error::Error as _;
use std::io::{ErrorKind, Write};
use std::num::{IntErrorKind, ParseIntError};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::error::{ContextKind, ContextValue, ErrorKind as ArgumentErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use gongwen::diag::Location;
use gongwen::diag::{Diagnostic, code, render_all};

// The arguments of the subcommands, built with clap's builder as mdBook builds its own. An
// argument's id is what help shows for its value (`<REPORT_DIR>`, `--out-dir <OUT_DIR>`); a
// flag's id is its name.

/// An argument that takes a value.
fn value(id: &'static str, help: &'static str) -> Arg {
    Arg::new(id).help(help)
}

/// An argument that takes a path.
fn path(id: &'static str, help: &'static str) -> Arg {
    value(id, help).value_parser(value_parser!(PathBuf))
}

/// A flag, `--name`.
fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .help(help)
        .action(ArgAction::SetTrue)
}

/// The report directory, `content` when not given.
fn report_dir() -> Arg {
    path("REPORT_DIR", "报告目录").default_value("content")
}

/// `-o, --output`.
fn output(help: &'static str) -> Arg {
    path("OUTPUT", help).short('o').long("output")
}

/// The old version that `diff` and `redline` compare.
fn old_version() -> Arg {
    value("OLD", "旧版本：git 版本（提交、标签、分支）或报告目录")
}

/// The new version that `diff` and `redline` compare.
fn new_version() -> Arg {
    value("NEW", "新版本（默认：报告目录现在的内容）")
}

/// Where the report is inside the repository, for `diff` and `redline` of revisions.
fn report() -> Arg {
    path("REPORT", "比较 git 版本时，报告目录在仓库里的位置")
        .long("report")
        .default_value("content")
}

/// Help in Chinese, as everything else gongwen says: clap's headings, its help and version
/// flags, and the defaults and possible values it would add in English, for `command` and
/// each of its subcommands.
pub fn in_chinese(command: Command) -> Command {
    let version = command.get_version().is_some();
    let command = command
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("子命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help("显示这份说明")
                .action(ArgAction::Help),
        );
    let command = if version {
        command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .help("显示版本号")
                .action(ArgAction::Version),
        )
    } else {
        command
    };
    command.mut_args(explained).mut_subcommands(in_chinese)
}

/// An argument under its Chinese heading, its default and possible values said in its help.
fn explained(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    if !arg.get_action().takes_values() {
        return arg.help_heading(heading);
    }
    let mut notes = Vec::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        notes.push(format!("默认：{}", defaults.join(" ")));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|value| value.get_name().to_string())
        .collect();
    if !values.is_empty() {
        notes.push(format!("可选：{}", values.join("、")));
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = if notes.is_empty() {
        help
    } else {
        format!("{help}（{}）", notes.join("；"))
    };
    arg.help(help)
        .help_heading(heading)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The value of the argument `id`, given or by default.
pub fn one<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Option<T> {
    matches.try_get_one::<T>(id).ok().flatten().cloned()
}

/// The values of the argument `id`, given or by default.
fn many<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Vec<T> {
    let values = matches.try_get_many::<T>(id).ok().flatten();
    values.into_iter().flatten().cloned().collect()
}

/// Whether the flag `id` was given.
fn is_set(matches: &ArgMatches, id: &str) -> bool {
    one(matches, id).unwrap_or(false)
}

/// Prints an error as every diagnostic is printed (rustc-style, on stderr).
pub fn print_error(error: &gongwen::diag::Error) {
    note!("{}", gongwen::diag::render_all(&[error.diagnostic()]));
}

/// A command line clap could not take, said in Chinese as every other error is (E009), with
/// clap's suggestion and the usage line; exit status 2, as clap gives. Help and version
/// requests are printed as clap prints them.
pub fn usage_error(err: &clap::Error) -> ExitCode {
    use ArgumentErrorKind as Kind;
    let context = |kind| match err.get(kind) {
        Some(ContextValue::Strings(values)) => values.join("、"),
        Some(value) => value.to_string(),
        None => String::new(),
    };
    let (arg, value) = (
        context(ContextKind::InvalidArg),
        context(ContextKind::InvalidValue),
    );
    let mut message = match err.kind() {
        Kind::DisplayHelp
        | Kind::DisplayVersion
        | Kind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
        Kind::UnknownArgument => format!("不认识的参数“{arg}”。"),
        Kind::InvalidSubcommand => {
            format!("没有子命令“{}”。", context(ContextKind::InvalidSubcommand))
        }
        Kind::InvalidValue if value.is_empty() => format!("{arg} 后面缺少值。"),
        Kind::InvalidValue => format!(
            "{arg} 的值“{value}”不可用，可选的值：{}。",
            context(ContextKind::ValidValue)
        ),
        Kind::ValueValidation => {
            let number = err
                .source()
                .and_then(|source| source.downcast_ref::<ParseIntError>());
            let wanted = match number.map(ParseIntError::kind) {
                Some(IntErrorKind::PosOverflow) => "太大",
                Some(_) => "须是不小于 0 的整数",
                None => "不可用",
            };
            format!("{arg} 的值“{value}”{wanted}。")
        }
        Kind::MissingRequiredArgument => format!("缺少参数 {arg}。"),
        Kind::ArgumentConflict => match context(ContextKind::PriorArg) {
            prior if prior.is_empty() || prior == arg => format!("参数 {arg} 只能写一次。"),
            prior => format!("参数 {arg} 不能和 {prior} 一起用。"),
        },
        Kind::TooManyValues => format!("{arg} 多了一个值“{value}”。"),
        Kind::TooFewValues | Kind::WrongNumberOfValues => format!("{arg} 的值的个数不对。"),
        Kind::NoEquals => format!("{arg} 的值须用等号连写：{arg}=值。"),
        Kind::MissingSubcommand => "缺少子命令。".to_string(),
        Kind::InvalidUtf8 => {
            "命令行里有不是 UTF-8 编码的文字，请改用 UTF-8 的文件名或参数。".to_string()
        }
        _ => format!("命令行有误：{}", err.kind()),
    };
    for suggestion in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = context(suggestion);
        if !suggested.is_empty() {
            message.push_str(&format!("是不是要写 {suggested}？"));
        }
    }
    let usage = context(ContextKind::Usage);
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    if !usage.is_empty() {
        message.push_str(&format!("用法：{usage}（--help 列出全部参数）。"));
    }
    print_error(&gongwen::diag::Error::Usage(message));
    ExitCode::from(2)
}

/// The two streams a command writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Writes to stdout. When the reader has gone (`gongwen textconv … | head`) the command ends
/// quietly with success, as ripgrep does.
pub fn print(text: impl std::fmt::Display) {
    say(Stream::Out, text);
}

/// The one place gongwen writes to stdout or stderr; the print macros panic on a closed or
/// full stream, this never does.
///
/// Stdout closed (its reader has gone): the command ends quietly with success, as ripgrep
/// does on a broken pipe. Stdout unwritable otherwise (a full disk, `> /dev/full`): said on
/// stderr, and the command ends with failure, since what it printed is lost. Stderr closed
/// or full: nothing more is written there and the command goes on; its exit status still
/// says whether it failed.
pub fn say(stream: Stream, text: impl std::fmt::Display) {
    static STDERR_GONE: AtomicBool = AtomicBool::new(false);
    match stream {
        Stream::Out => {
            let mut stdout = std::io::stdout().lock();
            let Err(err) = write!(stdout, "{text}").and_then(|()| stdout.flush()) else {
                return;
            };
            if err.kind() == ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            let said = format!("无法写到标准输出：{err}");
            let error = Diagnostic::error(code::OUTPUT, Location::new("", 0, 0), said);
            say(Stream::Err, render_all(&[error]));
            std::process::exit(1);
        }
        Stream::Err => {
            if STDERR_GONE.load(Ordering::Relaxed) {
                return;
            }
            let mut stderr = std::io::stderr().lock();
            if write!(stderr, "{text}")
                .and_then(|()| stderr.flush())
                .is_err()
            {
                STDERR_GONE.store(true, Ordering::Relaxed);
            }
        }
    }
}
