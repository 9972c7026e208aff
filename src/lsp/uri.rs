//! `file:` URIs and paths, both ways. Editors percent-encode every byte outside ASCII's
//! letters and digits (a Chinese file name, a Windows drive's colon); lsp-types' URI type
//! parses but does not turn one into a path.

use std::path::{Path, PathBuf};

use lsp_types::Uri;

/// The path of a `file:` URI; `None` for any other scheme, a host other than localhost, or
/// a path that is not UTF-8 once decoded.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let host = uri.authority().map_or("", |a| a.host().as_str());
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let decoded = decode(uri.path().as_str())?;
    Some(PathBuf::from(native(&decoded)))
}

/// "/c:/报告/data.yaml" → "c:/报告/data.yaml" on Windows; the path as it is elsewhere.
fn native(path: &str) -> &str {
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    if cfg!(windows) && drive {
        &path[1..]
    } else {
        path
    }
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file:` URI of an absolute path, encoded as VS Code encodes it; `None` if the path
/// is not UTF-8.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let mut encoded = String::from("file://");
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_and_spaces_go_there_and_back() {
        let path = Path::new("/home/王 五/报告/01-基本情况.md");
        let uri = from_path(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///home/%E7%8E%8B%20%E4%BA%94/%E6%8A%A5%E5%91%8A/01-%E5%9F%BA%E6%9C%AC%E6%83%85%E5%86%B5.md"
        );
        assert_eq!(to_path(&uri).unwrap(), path);
    }

    #[test]
    fn other_schemes_and_bad_escapes_are_no_path() {
        for uri in [
            "untitled:Untitled-1",
            "file:///a/%E7%8E",
            "file://server/share/a.md",
        ] {
            let uri: Uri = uri.parse().unwrap();
            assert_eq!(to_path(&uri), None, "{}", uri.as_str());
        }
    }
}
