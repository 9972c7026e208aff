//! Review: two versions of a report side by side, each a report directory or a git revision
//! of one, compared as text (`diff`) or as tracked changes (`redline`).

pub mod absorb;
pub mod diff;
pub mod redline;

use std::io::{Cursor, ErrorKind};
use std::path::{Component, Path, PathBuf};
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
    let (checkout, dir, label) = checkout(spec, report_dir)?;
    Ok(Version {
        label,
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

/// Where a report directory lies in the git repository that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The repository's top folder, links resolved: git runs there.
    pub root: PathBuf,
    /// The report directory inside it.
    pub relative: PathBuf,
}

impl Located {
    /// The report directory as git names it in a revision: `content`, or `.` for the top.
    pub fn in_revision(&self) -> String {
        let parts: Vec<_> = self
            .relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        if parts.is_empty() {
            ".".to_string()
        } else {
            parts.join("/")
        }
    }
}

/// The one place every review command resolves `--report`: however it is spelled (absolute,
/// relative to the working directory, `.`, with `..`, through a link) and wherever gongwen
/// runs, the answer is the repository's top folder and the same path inside it, so a
/// revision's copy is read from where the working tree's is. `None` outside a repository.
/// A directory that no longer exists (deleted since the revision) is resolved as far as
/// it exists, the rest taken as written.
pub fn locate(report_dir: &Path) -> Result<Option<Located>> {
    let io = |e: std::io::Error| failed(&report_dir.display().to_string(), e.to_string());
    let absolute = std::path::absolute(report_dir).map_err(io)?;
    let Some(existing) = absolute.ancestors().find(|a| a.is_dir()) else {
        return Ok(None);
    };
    let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
    let existing = existing.canonicalize().map_err(io)?;
    let top = run_git(&existing, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Ok(None);
    }
    let top = String::from_utf8_lossy(&top.stdout);
    let root = Path::new(top.trim_end_matches(['\r', '\n']))
        .canonicalize()
        .map_err(io)?;
    let Ok(inside) = existing.strip_prefix(&root) else {
        return Ok(None);
    };
    let mut relative = inside.to_path_buf();
    for part in rest.components() {
        match part {
            Component::Normal(name) => relative.push(name),
            Component::ParentDir if !relative.pop() => return Ok(None),
            _ => {}
        }
    }
    Ok(Some(Located { root, relative }))
}

/// Runs git in `dir`; when it is not installed, says so and what to do instead.
fn run_git(dir: &Path, args: &[&str]) -> Result<Output> {
    let missing = || {
        failed(
            "git",
            "找不到 git 命令：按版本比较（HEAD、HEAD~1、标签名）需要安装 git 并能在 PATH 中找到它；\
             不用 git 时，请给出两个报告目录",
        )
    };
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
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

/// Extracts the whole tree of `revision` (so relative style paths resolve) into a temporary
/// directory and returns it, where `report_dir` lies in it, and the label `revision:path`.
/// git writes the tree as a zip, which the zip crate unpacks: no `tar` is needed, on Windows
/// either.
fn checkout(revision: &str, report_dir: &Path) -> Result<(TempDir, PathBuf, String)> {
    // Outside a repository (or without git) every revision would be "unknown": say why.
    let Some(located) = locate(report_dir)? else {
        return Err(failed(
            revision,
            format!(
                "“{revision}”不是报告目录；报告目录 {} 也不在 git 仓库中，无法按版本读取。请给出 git 仓库中的报告目录（--report），或给出两个报告目录：gongwen diff 旧目录 新目录",
                report_dir.display()
            ),
        ));
    };
    let root = &located.root;
    let commit = format!("{revision}^{{commit}}");
    if !run_git(root, &["rev-parse", "--verify", "--quiet", &commit])?
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
    let temp = TempDir::new("gongwen-revision-").map_err(|e| failed("tmp", e.to_string()))?;
    let archive = run_git(root, &["archive", "--format=zip", &commit])?;
    let unpacked = archive.status.success().then(|| {
        zip::ZipArchive::new(Cursor::new(archive.stdout))
            .and_then(|mut zip| zip.extract(temp.path()))
    });
    if !matches!(unpacked, Some(Ok(()))) {
        return Err(failed(revision, format!("无法取出版本 {revision} 的文件")));
    }
    let dir = temp.path().join(&located.relative);
    let label = format!("{revision}:{}", located.in_revision());
    Ok((temp, dir, label))
}
