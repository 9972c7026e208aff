//! "Did you mean": the known names closest to a misspelt one.

/// Up to three candidates within a small edit distance, as a sentence for an error message.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = nearest(name, candidates)
        .iter()
        .map(|c| format!("“{c}”"))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("最接近的名称：{}。", names.join("、"))
    }
}

/// Up to three candidates within a small edit distance, nearest first.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    scored(name, candidates)
        .into_iter()
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// The one candidate nearer than every other, within a small edit distance: what the writer
/// most likely meant.
pub fn best<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    match scored(name, candidates)[..] {
        [(_, only)] => Some(only),
        [(first, best), (second, _), ..] if first < second => Some(best),
        _ => None,
    }
}

/// The candidates within a small edit distance, with it, nearest first.
fn scored<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<(usize, &'a str)> {
    let limit = (name.chars().count() / 2).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_names() {
        let names = ["预算执行率", "预算调整率", "公用经费控制率"];
        let hint = closest("预算执形率", names.into_iter());
        assert!(hint.contains("预算执行率"), "{hint}");
        assert_eq!(closest("完全不同的名字很长", names.into_iter()), "");
        assert_eq!(best("预算调正率", names.into_iter()), Some("预算调整率"));
        // 预算执行率 and 预算调整率 are both one edit from it: neither is the one meant.
        assert_eq!(best("预算执整率", names.into_iter()), None);
    }
}
