//! "Did you mean": the known names closest to a misspelt one.

/// Up to three candidates within a small edit distance, as a sentence for an error message.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let limit = (name.chars().count() / 2).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    let names: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, c)| format!("“{c}”"))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("最接近的名称：{}。", names.join("、"))
    }
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
    }
}
