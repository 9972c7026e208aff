//! Figures in prose: the one scanner for the numbers a writer typed, used by the check (to
//! find malformed numbers and compare amounts with the data) and by import (to turn an old
//! report's figures into data.yaml).

/// Runs of digits, dots and commas that start with a digit and end with one: "802..11",
/// "1,702,36", "12.3.4", as well as every well-formed number.
pub fn number_runs(prose: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = prose.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b',')
        {
            if bytes[i].is_ascii_digit() {
                end = i + 1;
            }
            i += 1;
        }
        out.push((start, &prose[start..end]));
        i = end;
    }
    out
}
