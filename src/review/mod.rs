//! Review: two versions of a report side by side, each a report directory or a git revision
//! of one, compared as text (`diff`) or as tracked changes (`redline`).

pub mod diff;
pub mod redline;

use std::io::{Cursor, ErrorKind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::diag::{Error, Result};
use crate::document::report::{self, Built, Options};
use crate::output::TempDir;

/// One side of a comparison, built; keeps a revision's files alive while it is used.
pub struct Version {
    pub label: String,
    pub built: Built,
    _checkout: Option<TempDir>,
}

/// Git and tar failures name no file in the report: the message says what was run.
fn failed(what: &str, message: impl Into<String>) -> Error {
    Error::Usage(format!("{what}：{}", message.into()))
}

/// `spec` is a report directory, or a git revision (`HEAD`, `v1.0`, `HEAD~1`) whose copy of
/// `report_dir` is read with `git archive`: the working tree is never touched.
pub fn load(spec: &str, report_dir: &Path) -> Result<Version> {
    let path = Path::new(spec);
    if path.is_dir() {
        return Ok(Version {
            label: spec.to_string(),
            built: report::build(path, &Options::default())?,
            _checkout: None,
        });
    }
    let (checkout, dir) = checkout(spec, report_dir)?;
    Ok(Version {
        label: format!("{spec}:{}", report_dir.display()),
        built: report::build(&dir, &Options::default())?,
        _checkout: Some(checkout),
    })
}

/// OLD and NEW for `diff` and `redline`; NEW defaults to the report directory as it is now.
pub fn load_pair(old: &str, new: Option<&str>, report_dir: &Path) -> Result<(Version, Version)> {
    let working_tree = report_dir.display().to_string();
    let old = load(old, report_dir)?;
    let new = load(new.unwrap_or(&working_tree), report_dir)?;
    Ok((old, new))
}

/// Runs git; when it is not installed, says so and what to do instead.
fn run_git(args: &[&str]) -> Result<Output> {
    let missing = || {
        failed(
            "git",
            "找不到 git 命令：按版本比较（HEAD、HEAD~1、标签名）需要安装 git 并能在 PATH 中找到它；\
             不用 git 时，请给出两个报告目录",
        )
    };
    let output = Command::new("git").args(args).output().map_err(|e| {
        if e.kind() == ErrorKind::NotFound {
            missing()
        } else {
            failed("git", format!("无法运行 git：{e}"))
        }
    })?;
    // Where the program is looked up in a child (an emulator such as qemu-user does so), a
    // missing one is the child's exit status 127, "command not found", with nothing said.
    if output.status.code() == Some(127) && output.stdout.is_empty() && output.stderr.is_empty() {
        return Err(missing());
    }
    Ok(output)
}

fn git(args: &[&str]) -> Result<String> {
    let output = run_git(args)?;
    if !output.status.success() {
        return Err(failed(
            "git",
            format!(
                "git {} 失败：{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Extracts the whole tree of `revision` (so relative style paths resolve) into a temporary
/// directory and returns where `report_dir` lies in it. git writes the tree as a zip, which
/// the zip crate unpacks: no `tar` is needed, on Windows either.
fn checkout(revision: &str, report_dir: &Path) -> Result<(TempDir, PathBuf)> {
    // Outside a repository (or without git) every revision would be "unknown": say why.
    if !run_git(&["rev-parse", "--git-dir"])?.status.success() {
        return Err(failed(
            revision,
            format!(
                "“{revision}”不是报告目录；当前目录也不在 git 仓库中，无法按版本读取。请在报告所在的 git 仓库中运行，或给出两个报告目录：gongwen diff 旧目录 新目录"
            ),
        ));
    }
    let commit = format!("{revision}^{{commit}}");
    if !run_git(&["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(failed(
            revision,
            format!(
                "“{revision}”既不是报告目录，也不是 git 版本。请给出目录，或 HEAD、HEAD~1、标签名等版本"
            ),
        ));
    }
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let temp = TempDir::new("gongwen-revision-").map_err(|e| failed("tmp", e.to_string()))?;
    let archive = run_git(&["archive", "--format=zip", revision])?;
    let unpacked = archive.status.success().then(|| {
        zip::ZipArchive::new(Cursor::new(archive.stdout))
            .and_then(|mut zip| zip.extract(temp.path()))
    });
    if !matches!(unpacked, Some(Ok(()))) {
        return Err(failed(revision, format!("无法取出版本 {revision} 的文件")));
    }
    let dir = temp.path().join(prefix).join(report_dir);
    Ok((temp, dir))
}
