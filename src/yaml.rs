//! The one place that knows the YAML library (serde_yaml, the maintained `serde_yaml_ng` fork).
//!
//! Every YAML error leaves here as an [`Error::Yaml`] with the file, line and column of the
//! problem in the writer's file, even when the YAML is a front-matter block inside Markdown.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

/// Where a YAML text starts inside its file, so error positions point into the real file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    /// 1-based line of the YAML text's first line in the file.
    pub first_line: usize,
}

impl<'a> Origin<'a> {
    pub fn file(file: &'a Path) -> Self {
        Origin {
            file,
            first_line: 1,
        }
    }
}

/// Deserializes `text`; an empty document deserializes like an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| to_error(&err, origin))
}

fn to_error(err: &serde_yaml::Error, origin: Origin<'_>) -> Error {
    let (line, column) = err
        .location()
        .map_or((1, 1), |loc| (loc.line(), loc.column()));
    let mut message = err.to_string();
    // The library appends its own position, relative to the YAML text; ours replaces it.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    let (message, hint) = translate(&message);
    Error::Yaml {
        location: Location::new(origin.file, origin.first_line + line - 1, column),
        message,
        hint,
    }
}

/// Says the common serde messages in the writers' language, keeping the key names, with
/// what to do about them.
fn translate(message: &str) -> (String, &'static str) {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, allowed) = rest
            .split_once(", expected one of ")
            .or_else(|| rest.split_once(", expected "))
            .unwrap_or((rest, ""));
        return (
            format!(
                "未知的键 {key}，允许的键：{}",
                allowed.replace(" or ", ", ")
            ),
            "请检查拼写，或删除这个键",
        );
    }
    if let Some(key) = message.strip_prefix("missing field ") {
        return (format!("缺少必填的键 {key}"), "请补上这个键");
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return (message.to_string(), "请检查这个值的写法");
    }
    (
        message.to_string(),
        "请检查缩进、冒号后的空格和引号是否成对",
    )
}
