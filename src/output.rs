//! Writing results so that an existing file is never left half-written.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`; creates the
/// folder if it does not exist yet.
///
/// The rename is what keeps a reader, or a build that fails, from ever seeing half a file.
/// There is no fsync: outputs are build products that the sources rebuild, and making each
/// durable against a power cut would cost about half a millisecond, an eighth of a sample
/// build (cargo and pandoc do not fsync their outputs either).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(error)?;
    let name = path
        .file_name()
        .ok_or_else(|| error(std::io::Error::other("输出路径不是文件名")))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| std::fs::rename(&temp, path));
    if let Err(err) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(error(err));
    }
    Ok(())
}
