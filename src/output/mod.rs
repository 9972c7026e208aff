//! Writing results so that an existing file is never left half-written, and nothing but an
//! output of ours is ever replaced.

pub mod pdf;

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use crate::diag::{Error, Result};
use crate::document::report::Built;
use crate::input::source;
use crate::input::style::{self, FontMap};
use crate::render::Rendered;

/// Temporary files being written, removed by the handler of Ctrl-C and termination signals.
/// The writer holds the lock while it renames, so the handler never removes a file that is
/// just becoming the output.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, renames it over
/// `path` and flushes the folder (where the system allows opening one); creates the folder
/// if it does not exist yet.
///
/// Only a regular file (or a link to one, which is replaced, not followed) or a new name is
/// replaced: a device, a pipe or a folder is an error. An existing output keeps its
/// permissions. The temporary file, `.NAME.gongwen-tmp-` and the process and attempt, is removed on error and on
/// Ctrl-C or a termination signal; one left by a killed build is removed by the next build
/// of the same output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_atomically(&[(path.to_path_buf(), bytes)])
}

/// The files a command read or will read and the report folders it reads from: what no
/// output may replace. Paths are kept resolved (links and `..` followed, the case as a
/// case-blind file system compares it), so that no spelling of an input escapes.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

/// Where gongwen writes inside a report folder, the only place there an output may go.
pub const BUILD_DIR: &str = "build";

impl Inputs {
    /// Everything `built` was made of: its folder, its text files, its style file and the
    /// font map beside that.
    pub fn of(built: &Built) -> Inputs {
        let mut inputs = Inputs::default();
        inputs.add(built);
        inputs
    }

    /// Adds everything `built` was made of (see [`Inputs::of`]).
    pub fn add(&mut self, built: &Built) {
        self.dir(&built.sources.dir);
        for file in built.sources.files() {
            self.file(&file.path);
        }
        if let style::Source::File(path) = &built.style_source {
            self.file(path);
        }
        if let FontMap::File(path) = built.style_source.fonts() {
            self.file(&path);
        }
    }

    /// A report folder: every Markdown or YAML file in it is an input (a watch reads them
    /// all, a build those it finds), except what gongwen writes into its `build/`.
    pub fn dir(&mut self, dir: &Path) {
        self.dirs.push(resolved(dir));
    }

    /// A file read (or to be read), under each name that reaches it: the one it was read
    /// by and, through links, the file itself.
    pub fn file(&mut self, path: &Path) {
        self.files.push(resolved(path));
        if let Ok(real) = std::fs::canonicalize(path) {
            self.files.push(comparable(real));
        }
    }

    /// An error when writing `output` (or its temporary file beside it) would replace one of
    /// the inputs, or put a file among a report's sources.
    pub fn check(&self, output: &Path) -> Result<()> {
        let refuse = |reason: String| {
            Err(Error::Write {
                path: output.to_path_buf(),
                source: std::io::Error::other(reason),
            })
        };
        let at = resolved(output);
        let temp = output.file_name().map(temp_prefix);
        for input in &self.files {
            let same_dir = input.parent() == at.parent();
            let temp_clash = temp.as_ref().zip(input.file_name()).is_some_and(|(t, n)| {
                n.as_encoded_bytes()
                    .starts_with(&comparable_name(t).into_encoded_bytes())
            });
            if *input == at || (same_dir && temp_clash) {
                return refuse(format!(
                    "它是这次读取的文件 {}，写入会毁掉它；请用 -o 另指一个输出文件",
                    input.display()
                ));
            }
        }
        let read_later = source::is_source_kind(&at);
        for dir in &self.dirs {
            let among_sources =
                at.starts_with(dir) && !at.starts_with(dir.join(BUILD_DIR)) && read_later;
            if at == *dir || among_sources {
                return refuse(format!(
                    "它在报告目录 {} 里，会被当作报告的源文件读取；输出请写到报告目录外，或它的 {BUILD_DIR}/ 里",
                    dir.display()
                ));
            }
        }
        Ok(())
    }
}

/// `path` absolute, each of its folders resolved by the system (links and `..` followed)
/// as far as it exists and taken as written below that, as a write would make them; its
/// last name is not followed, since a link there is replaced, not written through.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut parts: Vec<Component> = absolute.components().collect();
    let name = match parts.last() {
        Some(Component::Normal(name)) => {
            let name = *name;
            parts.pop();
            Some(name)
        }
        _ => None,
    };
    let mut dir = PathBuf::new();
    for part in parts {
        match part {
            Component::CurDir => {}
            // `dir` has no links left in it, so its parent is the real one.
            Component::ParentDir => {
                dir.pop();
            }
            Component::Normal(part) => {
                dir.push(part);
                if let Ok(real) = std::fs::canonicalize(&dir) {
                    dir = real;
                }
            }
            root => dir.push(root),
        }
    }
    if let Some(name) = name {
        dir.push(name);
        // An existing file (not a link) is named by the system as it is stored.
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_symlink())
            && let Ok(real) = std::fs::canonicalize(&dir)
        {
            dir = real;
        }
    }
    comparable(dir)
}

/// A path as the file system compares it: Windows and macOS compare names without case.
fn comparable(path: PathBuf) -> PathBuf {
    if cfg!(any(windows, target_os = "macos")) {
        PathBuf::from(comparable_name(path.as_os_str()))
    } else {
        path
    }
}

fn comparable_name(name: &std::ffi::OsStr) -> OsString {
    if cfg!(any(windows, target_os = "macos")) {
        match name.to_str() {
            Some(name) => OsString::from(name.to_lowercase()),
            None => name.to_os_string(),
        }
    } else {
        name.to_os_string()
    }
}

/// Writes the outputs of one build (as [`write_all_atomically`]) and then, with `preview`,
/// the PDF preview of each Word document; the paths written, in order. Nothing is written
/// when any of them, a preview too, would replace one of `inputs`.
pub fn write_outputs(
    files: &[Rendered],
    preview: Option<&pdf::Preview>,
    inputs: &Inputs,
) -> Result<Vec<PathBuf>> {
    for file in files {
        inputs.check(&file.path)?;
    }
    if preview.is_some() {
        for (pdf, _) in pdf::previews(files) {
            inputs.check(&pdf)?;
        }
    }
    let pairs: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|file| (file.path.clone(), file.bytes.as_slice()))
        .collect();
    write_all_atomically(&pairs)?;
    let mut written: Vec<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
    if let Some(preview) = preview {
        for (pdf, docx) in pdf::previews(files) {
            preview.render(docx, &pdf)?;
            written.push(pdf);
        }
    }
    Ok(written)
}

/// Writes `bytes` to `path`, a file that must not exist yet: what a command writes where the
/// writer may keep their own files (a style to start from) never replaces one. A write that
/// fails leaves nothing behind.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => error(std::io::Error::other(
                "这个文件已存在，gongwen 不会覆盖它；请换一个文件名，或先把原文件改名",
            )),
            _ => error(e),
        })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    // Closed before it is removed: Windows removes no open file.
    drop(file);
    written.map_err(|e| {
        let _ = std::fs::remove_file(path);
        error(e)
    })
}

/// Writes `files` (names and contents) into `dir`, which must be new or empty: a report
/// made by `new`, `import` or `generate` never mixes with files already there. On failure
/// (a full disk, say) what was written is removed, and `dir` too when it was made here, so
/// that the command can simply be run again. The paths written, in order.
pub fn write_new_dir<B: AsRef<[u8]>>(dir: &Path, files: &[(String, B)]) -> Result<Vec<PathBuf>> {
    write_new_dir_with(dir, files, |path, bytes| {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?
            .write_all(bytes)
    })
}

/// [`write_new_dir`] with `write` writing each file (a test's writer fails).
fn write_new_dir_with<B: AsRef<[u8]>>(
    dir: &Path,
    files: &[(String, B)],
    write: impl Fn(&Path, &[u8]) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>> {
    let error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => {}
        Ok(false) => {
            return Err(error(
                dir,
                std::io::Error::other(
                    "它已存在且不是空目录，gongwen 不会覆盖、也不会混入已有的文件；请换一个新目录名",
                ),
            ));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(error(dir, err)),
    }
    // The folders made here, innermost first, to be removed if writing fails.
    let made: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    std::fs::create_dir_all(dir).map_err(|e| error(dir, e))?;
    let mut written: Vec<PathBuf> = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        let result = write(&path, bytes.as_ref());
        if let Err(err) = result {
            // A file there now was made by this write (it creates only new files), if in part.
            if std::fs::symlink_metadata(&path).is_ok() {
                written.push(path.clone());
            }
            for file in &written {
                let _ = std::fs::remove_file(file);
            }
            for folder in &made {
                let _ = std::fs::remove_dir(folder);
            }
            return Err(error(&path, err));
        }
        written.push(path);
    }
    Ok(written)
}

/// One output of [`write_all_atomically`]: where it goes and the folder it goes in.
struct Plan<'a> {
    path: &'a Path,
    dir: &'a Path,
    /// The start of its temporary files' names.
    prefix: OsString,
    bytes: &'a [u8],
    permissions: Option<std::fs::Permissions>,
}

/// [`write_atomically`] for the files of one build: every path is checked before any is
/// written, the temporary files are written and flushed at once (the disk's waits overlap),
/// then renamed, and each folder is flushed once. When a temporary file fails, none of the
/// outputs is touched.
pub fn write_all_atomically<B: AsRef<[u8]> + Sync>(files: &[(PathBuf, B)]) -> Result<()> {
    write_all_with(files, write_temp)
}

/// [`write_all_atomically`] with `write` writing each temporary file (a test's writer fails).
fn write_all_with<B, W>(files: &[(PathBuf, B)], write: W) -> Result<()>
where
    B: AsRef<[u8]> + Sync,
    W: Fn(&Path, &[u8], Option<std::fs::Permissions>) -> std::io::Result<()> + Sync,
{
    let error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut plans = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| error(path, std::io::Error::other("输出路径不是文件名")))?;
        let permissions = replaceable(path).map_err(|e| error(path, e))?;
        std::fs::create_dir_all(dir).map_err(|e| error(path, e))?;
        let prefix = temp_prefix(name);
        remove_leftovers(dir, &prefix);
        plans.push(Plan {
            path,
            dir,
            prefix,
            bytes: bytes.as_ref(),
            permissions,
        });
    }
    watch_signals();
    let write = |plan: &Plan| {
        new_temp(plan.dir, &plan.prefix, |temp| {
            write(temp, plan.bytes, plan.permissions.clone())
        })
    };
    // The first file is written on this thread, each other one on a thread of its own.
    let written: Vec<(Option<PathBuf>, std::io::Result<()>)> = std::thread::scope(|scope| {
        let others: Vec<_> = plans
            .iter()
            .skip(1)
            .map(|plan| scope.spawn(move || write(plan)))
            .collect();
        let first = plans.first().map(write);
        first
            .into_iter()
            .chain(others.into_iter().map(|writer| {
                writer
                    .join()
                    .unwrap_or_else(|_| (None, Err(std::io::Error::other("写入线程意外中止"))))
            }))
            .collect()
    });
    let (temps, results): (Vec<Option<PathBuf>>, Vec<std::io::Result<()>>) =
        written.into_iter().unzip();
    let forget_all = |temps: &[Option<PathBuf>]| {
        for temp in temps.iter().flatten() {
            forget_temp(temp);
        }
    };
    if let Some((plan, err)) = plans
        .iter()
        .zip(results)
        .find_map(|(plan, result)| result.err().map(|err| (plan, err)))
    {
        forget_all(&temps);
        return Err(error(plan.path, err));
    }
    for (done, (plan, temp)) in plans.iter().zip(&temps).enumerate() {
        let Some(temp) = temp else { continue };
        let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
        let renamed = rename_over(temp, plan.path);
        pending.retain(|p| p != temp);
        drop(pending);
        if let Err(err) = renamed {
            forget_all(&temps[done..]);
            return Err(error(plan.path, err));
        }
    }
    let mut dirs: Vec<&Path> = plans.iter().map(|plan| plan.dir).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        sync_dir(dir);
    }
    Ok(())
}

/// Makes a temporary file `PREFIX<process><attempt>` in `dir` and has `write` fill it; a
/// name already there (another build of the same output, a leftover of a process that had
/// the same id) is never reused: the next attempt takes a new name. The temporary file made,
/// if any, and how writing it went.
fn new_temp(
    dir: &Path,
    prefix: &OsString,
    write: impl Fn(&Path) -> std::io::Result<()>,
) -> (Option<PathBuf>, std::io::Result<()>) {
    static ATTEMPT: AtomicU32 = AtomicU32::new(0);
    let mut tries = 0;
    loop {
        let attempt = ATTEMPT.fetch_add(1, Ordering::Relaxed);
        let mut name = prefix.clone();
        name.push(format!("{:08x}{attempt:08x}", std::process::id()));
        let temp = dir.join(name);
        match write(&temp) {
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => {
                tries += 1;
            }
            // Nothing of ours is at a name that was taken.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => return (None, Err(err)),
            result => return (Some(temp), result),
        }
    }
}

/// Renames `from` over `to`. On Windows a file that another program has open for a moment
/// (a virus scanner, a preview, a reader between two looks) cannot be replaced until it is
/// closed: the rename is tried again for up to a second before it fails. A file Word shows
/// stays open, and remains an error.
fn rename_over(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match std::fs::rename(from, to) {
            Err(err)
                if cfg!(windows)
                    && err.kind() == std::io::ErrorKind::PermissionDenied
                    && tries < 20 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            renamed => return renamed,
        }
    }
}

/// Removes a temporary file (if it is still there) and takes it off the signal handler's list.
fn forget_temp(temp: &Path) {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    pending.retain(|p| p != temp);
    let _ = std::fs::remove_file(temp);
}

/// Whether `path` may be replaced by [`write_atomically`]: an error naming what is in its
/// place when it could not be, checked before slow work whose result would be lost.
pub fn check_replaceable(path: &Path) -> Result<()> {
    replaceable(path).map(drop).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The permissions to give the new file: those of the file it replaces, if any. Anything
/// else than a regular file (through a link too) is refused with the reason.
fn replaceable(path: &Path) -> std::io::Result<Option<std::fs::Permissions>> {
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Ok(None);
    };
    let meta = if link.is_symlink() {
        match std::fs::metadata(path) {
            Ok(meta) => meta,
            // A dangling link: its name is free for the output.
            Err(_) => return Ok(None),
        }
    } else {
        link
    };
    if meta.is_file() {
        return Ok(Some(meta.permissions()));
    }
    let kind = if meta.is_dir() {
        "文件夹"
    } else {
        "设备、管道或其他特殊文件"
    };
    Err(std::io::Error::other(format!(
        "它是{kind}，不是普通文件，gongwen 只替换普通文件；请用 -o 指定一个 .docx 文件名"
    )))
}

/// What a temporary name adds to the part of the output's name it keeps: the leading dot,
/// `.gongwen-tmp-` and the process and attempt, 8 hexadecimal digits each.
const TEMP_EXTRA: usize = 1 + ".gongwen-tmp-".len() + 16;

/// A name this long is taken by every file system; a temporary name may be this long even
/// when the output's own name is shorter.
const SHORT_NAME: usize = 64;

/// `.NAME.gongwen-tmp-`: the temporary files of one output, whatever process wrote them.
/// NAME is cut short when the output's name is long: the temporary name is never longer
/// than the output's own (or [`SHORT_NAME`]), so a name the file system takes for the output
/// it takes for the temporary file too.
fn temp_prefix(name: &std::ffi::OsStr) -> OsString {
    let name = name.to_string_lossy();
    let budget = name_length(&name).max(SHORT_NAME);
    let mut kept = String::new();
    for c in name.chars() {
        let mut longer = kept.clone();
        longer.push(c);
        if name_length(&longer) + TEMP_EXTRA > budget {
            break;
        }
        kept = longer;
    }
    OsString::from(format!(".{kept}.gongwen-tmp-"))
}

/// A name's length as the file system limits it: UTF-16 units on Windows, bytes elsewhere.
fn name_length(name: &str) -> usize {
    if cfg!(windows) {
        name.encode_utf16().count()
    } else {
        name.len()
    }
}

/// How old an unlocked temporary file must be to be a dead build's: far longer than the
/// moment between making a temporary file and locking it.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(10);

/// Removes temporary files of this output left by builds that were killed. A running build
/// holds a lock on its temporary file (released by the system when the process ends), so a
/// file that can be locked belongs to no one, unless it is new: another build may have just
/// made it and not locked it yet.
fn remove_leftovers(dir: &Path, prefix: &OsString) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = prefix.as_encoded_bytes();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.as_encoded_bytes().starts_with(prefix)
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > LEFTOVER_AGE));
        let unowned = old && File::open(&path).is_ok_and(|file| file.try_lock().is_ok());
        if unowned {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn write_temp(
    temp: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    // `create_new` follows no link and truncates nothing that another writer left there.
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    PENDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(temp.to_path_buf());
    file.try_lock()?;
    file.write_all(bytes)?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    file.sync_all()
}

/// Makes the rename durable. Windows cannot open a folder as a file; there the rename is
/// flushed with the file system's journal.
fn sync_dir(dir: &Path) {
    if cfg!(unix) {
        let _ = File::open(dir).and_then(|dir| dir.sync_all());
    }
}

/// On Ctrl-C or a termination signal, removes the temporary files being written and exits
/// with the usual status for an interrupt (130). Installed once, at the first write.
fn watch_signals() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
            for temp in pending.iter() {
                let _ = std::fs::remove_file(temp);
            }
            std::process::exit(130);
        });
    });
}

/// A folder of work files (a preview's, a checked-out revision's), removed with all it holds
/// when dropped. `create_dir` makes it, which fails on any name already there, a link too;
/// on Unix only its owner may enter it.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new folder `PREFIX<process id>-<n>` in the system's temporary folder.
    pub fn new(prefix: &str) -> std::io::Result<TempDir> {
        TempDir::new_in(&std::env::temp_dir(), prefix)
    }

    /// A new folder `PREFIX<process id>-<n>` in `parent`.
    pub fn new_in(parent: &Path, prefix: &str) -> std::io::Result<TempDir> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let builder = private_dir_builder();
        let mut tries = 0;
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = parent.join(format!("{prefix}{}-{n}", std::process::id()));
            match builder.create(&path) {
                Ok(()) => return Ok(TempDir(path)),
                // Left by an earlier process that had the same id.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => {
                    tries += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// Folders only their owner may enter, where the system has Unix permissions.
fn private_dir_builder() -> std::fs::DirBuilder {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        let mut builder = std::fs::DirBuilder::new();
        builder.mode(0o700);
        builder
    }
    #[cfg(not(unix))]
    std::fs::DirBuilder::new()
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_existing_output_is_replaced_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        std::fs::write(&path, "旧").unwrap();
        write_atomically(&path, "新".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        write_atomically(&path, "再新".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "再新");
        assert_eq!(names(dir.path()), ["报告.docx"]);
    }

    /// A reader that holds the old output open for a moment (on Windows: a virus scanner, a
    /// preview) delays its replacement but does not fail it.
    #[test]
    fn an_output_held_open_for_a_moment_is_still_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        std::fs::write(&path, "旧").unwrap();
        let reader = File::open(&path).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(reader);
        });
        write_atomically(&path, "新".as_bytes()).unwrap();
        release.join().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        assert_eq!(names(dir.path()), ["报告.docx"]);
    }

    #[test]
    fn an_output_that_may_not_be_replaced_says_to_close_word() {
        let err = Error::Write {
            path: PathBuf::from("报告.docx"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let shown = crate::diag::render_all(&[err.diagnostic()]);
        assert!(shown.contains("error[E010]"), "{shown}");
        assert!(shown.contains("正在 Word 或 WPS 中打开"), "{shown}");
    }

    #[test]
    fn a_new_output_gets_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("build/报告.docx");
        write_atomically(&path, b"x").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        assert_eq!(names(&dir.path().join("build")), ["报告.docx"]);
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_and_stays_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("里面.txt"), "留着").unwrap();
        let err = write_atomically(&path, b"x").unwrap_err().to_string();
        assert!(err.contains("文件夹，不是普通文件"), "{err}");
        assert_eq!(names(&path), ["里面.txt"]);
        assert_eq!(names(dir.path()), ["报告.docx"]);
    }

    #[test]
    fn a_leftover_of_a_killed_build_is_removed_and_a_live_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        let dead = dir.path().join(".报告.docx.gongwen-tmp-999999");
        std::fs::write(&dead, "半个文件").unwrap();
        let killed_at = std::time::SystemTime::now() - 2 * LEFTOVER_AGE;
        File::options()
            .write(true)
            .open(&dead)
            .unwrap()
            .set_modified(killed_at)
            .unwrap();
        // Just made by a build that has not locked it yet.
        let new = dir.path().join(".报告.docx.gongwen-tmp-999997");
        std::fs::write(&new, "刚建").unwrap();
        let live = dir.path().join(".报告.docx.gongwen-tmp-999998");
        let writer = File::create(&live).unwrap();
        writer.lock().unwrap();
        let other = dir.path().join(".别的.docx.gongwen-tmp-999999");
        std::fs::write(&other, "别的输出").unwrap();
        write_atomically(&path, b"x").unwrap();
        assert_eq!(
            names(dir.path()),
            [
                ".别的.docx.gongwen-tmp-999999",
                ".报告.docx.gongwen-tmp-999997",
                ".报告.docx.gongwen-tmp-999998",
                "报告.docx"
            ]
        );
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        std::fs::write(&path, "旧").unwrap();
        // A disk that fills up once the temporary file is made.
        let full = |temp: &Path, _: &[u8], _| {
            std::fs::write(temp, "半个")?;
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        };
        let files = [(path.clone(), b"x")];
        assert!(write_all_with(&files, full).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "旧");
        assert_eq!(names(dir.path()), ["报告.docx"]);
    }

    /// Builds of one output at once all succeed, the last rename winning: each writes a
    /// temporary file of its own.
    #[test]
    fn writes_of_one_output_at_once_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        let path = path.as_path();
        for _ in 0..20 {
            std::thread::scope(|scope| {
                let writers: Vec<_> = (0..6)
                    .map(|n| scope.spawn(move || write_atomically(path, &[n])))
                    .collect();
                for writer in writers {
                    writer.join().unwrap().unwrap();
                }
            });
        }
        assert_eq!(std::fs::read(path).unwrap().len(), 1);
        assert_eq!(names(dir.path()), ["报告.docx"]);
    }

    /// The longest name the file system takes is an output name like any other.
    #[test]
    fn an_output_named_at_the_length_limit_is_written() {
        let dir = tempfile::tempdir().unwrap();
        for stem in ["报".repeat(83), "a".repeat(250)] {
            let name = format!("{stem}.docx");
            assert!(name_length(&name) <= 255, "{}", name.len());
            let path = dir.path().join(&name);
            write_atomically(&path, b"x").unwrap();
            write_atomically(&path, b"y").unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), b"y");
            std::fs::remove_file(&path).unwrap();
        }
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_output_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.docx");
        std::fs::write(&path, "旧").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_a_pipe_or_a_link_to_one_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("管道.docx");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let link = dir.path().join("链接.docx");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        // Only a link to /dev/null: before the check a test naming it would replace it.
        for path in [&fifo, &link] {
            let err = write_atomically(path, b"x").unwrap_err().to_string();
            assert!(err.contains("不是普通文件"), "{}: {err}", path.display());
        }
        assert_eq!(names(dir.path()), ["管道.docx", "链接.docx"]);
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    /// Runs in a child process (this test binary again): the handler ends the process.
    #[cfg(unix)]
    #[test]
    fn a_termination_signal_removes_the_temporary_file_and_exits_130() {
        const PENDING_FILE: &str = "GONGWEN_TEST_PENDING_FILE";
        if let Some(temp) = std::env::var_os(PENDING_FILE) {
            let temp = PathBuf::from(temp);
            std::fs::write(&temp, "半个文件").unwrap();
            watch_signals();
            PENDING.lock().unwrap().push(temp);
            let me = std::process::id().to_string();
            std::process::Command::new("kill").arg(me).status().unwrap();
            std::thread::sleep(std::time::Duration::from_secs(10));
            panic!("SIGTERM did not end the process");
        }
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join(".报告.docx.gongwen-tmp-1");
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "output::tests::a_termination_signal_removes_the_temporary_file_and_exits_130",
            ])
            .env(PENDING_FILE, &temp)
            .output()
            .unwrap();
        assert_eq!(child.status.code(), Some(130), "{child:?}");
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_replaced_by_the_output_and_its_target_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("别处.docx");
        let path = dir.path().join("报告.docx");
        std::fs::write(&target, "别处").unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        write_atomically(&path, "新".as_bytes()).unwrap();
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "别处");
    }

    #[test]
    fn a_temp_dir_is_new_private_and_removed_when_dropped() {
        let parent = tempfile::tempdir().unwrap();
        let first = TempDir::new_in(parent.path(), ".gongwen-test-").unwrap();
        let second = TempDir::new_in(parent.path(), ".gongwen-test-").unwrap();
        assert_ne!(first.path(), second.path());
        std::fs::write(first.path().join("a.docx"), b"x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(first.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let (first_path, second_path) = (first.path().to_path_buf(), second.path().to_path_buf());
        drop(first);
        drop(second);
        assert!(!first_path.exists() && !second_path.exists());
        assert!(names(parent.path()).is_empty());
    }

    #[test]
    fn the_files_of_one_build_are_written_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("报告.docx");
        let table = dir.path().join("报告-自评表.xlsx");
        std::fs::write(&report, b"old").unwrap();
        std::fs::create_dir(&table).unwrap();
        let files = [
            (report.clone(), b"new".to_vec()),
            (table.clone(), b"x".to_vec()),
        ];
        let err = write_all_atomically(&files).unwrap_err().to_string();
        assert!(
            err.contains("报告-自评表.xlsx") && err.contains("文件夹"),
            "{err}"
        );
        assert_eq!(std::fs::read(&report).unwrap(), b"old");
        std::fs::remove_dir(&table).unwrap();
        write_all_atomically(&files).unwrap();
        assert_eq!(std::fs::read(&report).unwrap(), b"new");
        assert_eq!(std::fs::read(&table).unwrap(), b"x");
        assert_eq!(names(dir.path()), ["报告-自评表.xlsx", "报告.docx"]);
    }

    /// A write that fails half-way (a full disk) leaves nothing: a second try starts clean.
    #[test]
    fn a_new_folder_that_could_not_be_filled_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("新/报告");
        let files = [
            ("report.yaml".to_string(), "a"),
            ("data.yaml".to_string(), "b"),
        ];
        let full = |path: &Path, bytes: &[u8]| {
            if path.ends_with("data.yaml") {
                std::fs::write(path, &bytes[..0])?;
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            std::fs::write(path, bytes)
        };
        let err = write_new_dir_with(&report, &files, full).unwrap_err();
        assert!(err.to_string().contains("data.yaml"), "{err}");
        assert!(names(dir.path()).is_empty());
        let written = write_new_dir(&report, &files).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(names(&report), ["data.yaml", "report.yaml"]);
        // Once there, the report is never written over.
        let again = write_new_dir(&report, &files).unwrap_err().to_string();
        assert!(again.contains("不是空目录"), "{again}");
    }

    /// However an input is spelled (`.`, `..`, a folder that does not exist and is left at
    /// once, a link to the report folder, letter case on a case-blind file system), an
    /// output at it, or at a new source of the report, is refused; one in its build/ is not.
    #[cfg(unix)]
    mod spellings {
        use super::super::*;
        use proptest::prelude::*;
        use std::os::unix::fs::MetadataExt;

        fn piece() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![".", "报告", "别名", "无/..", "报告/..", "build", "x"])
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
            #[test]
            fn no_output_path_equals_an_input(
                pieces in prop::collection::vec(piece(), 0..5),
                name in prop::sample::select(vec!["data.yaml", "report.yaml", "01-正文.md", "DATA.yaml", "新.docx"]),
            ) {
                let root = tempfile::tempdir().unwrap();
                let report = root.path().join("报告");
                std::fs::create_dir_all(report.join("build")).unwrap();
                let sources = ["data.yaml", "report.yaml", "01-正文.md"].map(|n| report.join(n));
                for source in &sources {
                    std::fs::write(source, "x").unwrap();
                }
                std::os::unix::fs::symlink(&report, root.path().join("别名")).unwrap();
                let mut inputs = Inputs::default();
                inputs.dir(&report);
                for source in &sources {
                    inputs.file(source);
                }
                let mut output = root.path().to_path_buf();
                for piece in &pieces {
                    output.push(piece);
                }
                output.push(name);
                let verdict = inputs.check(&output);
                // What the file system says the name reaches once its folders are made, as a
                // write makes them: the folder resolved, the name kept.
                if let Some(parent) = output.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let parent = output.parent().and_then(|p| std::fs::canonicalize(p).ok());
                let reached = parent.map(|p| p.join(name));
                let input = sources.iter().any(|source| {
                    let same = |a: &Path, b: &Path| {
                        match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
                            (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
                            _ => false,
                        }
                    };
                    same(&output, source)
                });
                let real_report = std::fs::canonicalize(&report).unwrap();
                let in_sources = reached.as_ref().is_some_and(|r| {
                    r.starts_with(&real_report)
                        && !r.starts_with(real_report.join(BUILD_DIR))
                        && !name.ends_with(".docx")
                });
                if input || in_sources {
                    prop_assert!(verdict.is_err(), "{} was allowed", output.display());
                }
                let in_build = reached
                    .as_ref()
                    .is_some_and(|r| r.starts_with(real_report.join(BUILD_DIR)));
                if in_build {
                    prop_assert!(verdict.is_ok(), "{} was refused", output.display());
                }
            }
        }
    }
}
