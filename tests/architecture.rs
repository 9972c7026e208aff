//! The pipeline's one-way rule (docs/architecture.md), read from the sources: a stage uses
//! only the stages before it, and no two modules inside the library use each other, directly
//! or round a longer loop. A `use crate::…` that points back fails here, naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's stages in pipeline order; each may use only those before it.
const STAGES: &[&str] = &[
    "diag", "input", "eval", "document", "check", "render", "output", "import", "review",
    "scaffold", "lsp",
];

/// A module's path below the crate root, from its file: src/input/style.rs → input::style,
/// src/render/docx/body.rs → render::docx::body, src/render/mod.rs → render.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix("src").unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments (so a doc link to a later stage is no use).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path a file names after `crate::`, to the depth `depth` (1: the stage,
/// 2: the module in it), with `crate::{a::b, c}` groups opened.
fn uses(code: &str, depth: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = closing_brace(group);
            for item in split_top_level(&group[..end]) {
                insert_path(&mut found, item.trim(), depth);
            }
        } else {
            insert_path(&mut found, rest, depth);
        }
    }
    found
}

fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

fn split_top_level(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

/// The first `depth` names of a path (`input::style::Style` → `input::style` at 2); a name
/// that starts with a capital (a type or a constant re-exported at the stage) ends it.
fn insert_path(found: &mut BTreeSet<String>, path: &str, depth: usize) {
    let names: Vec<&str> = path
        .split("::")
        .map(|name| {
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            &name[..end]
        })
        .take_while(|name| name.chars().next().is_some_and(|c| c.is_lowercase()))
        .take(depth)
        .collect();
    if !names.is_empty() {
        found.insert(names.join("::"));
    }
}

/// Every library source file (the command in src/cmd and src/main.rs is not a stage).
fn library_files() -> Vec<PathBuf> {
    walkdir::WalkDir::new("src")
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| !p.starts_with("src/cmd") && p != Path::new("src/main.rs"))
        .collect()
}

#[test]
fn every_stage_uses_only_the_stages_before_it() {
    let mut wrong = Vec::new();
    for file in library_files() {
        let module = module_of(&file);
        let Some(stage) = module.first() else {
            continue;
        };
        let Some(rank) = STAGES.iter().position(|s| s == stage) else {
            wrong.push(format!(
                "{}: the stage {stage} is not in STAGES (docs/architecture.md)",
                file.display()
            ));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for used in uses(&code, 1) {
            match STAGES.iter().position(|s| *s == used) {
                Some(r) if r <= rank => {}
                Some(_) => wrong.push(format!(
                    "{}: {stage} uses the later stage {used}",
                    file.display()
                )),
                None => wrong.push(format!(
                    "{}: uses crate::{used}, which is no stage",
                    file.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_use_each_other() {
    // module (stage::name) → the modules it uses, by the files in it.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in library_files() {
        let module: Vec<String> = module_of(&file).into_iter().take(2).collect();
        if module.is_empty() {
            continue;
        }
        let name = module.join("::");
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        // A module's use of its own stage's re-exports (diag::Location) names no module.
        let used: Vec<String> = uses(&code, 2)
            .into_iter()
            .filter(|u| *u != name && u.contains("::"))
            .collect();
        graph.entry(name).or_default().extend(used);
    }
    if let Some(cycle) = find_cycle(&graph) {
        panic!("a cycle of modules: {}", cycle.join(" → "));
    }
}

/// A loop in `graph`, as the modules round it (the first repeated at the end).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for start in graph.keys() {
        if marks.contains_key(start.as_str()) {
            continue;
        }
        // Depth-first, with an explicit stack of (module, its next neighbour's index).
        let mut stack: Vec<(&str, Vec<&str>, usize)> = Vec::new();
        let next_of = |m: &str| -> Vec<&str> {
            graph
                .get(m)
                .map(|s| s.iter().map(String::as_str).collect())
                .unwrap_or_default()
        };
        marks.insert(start, Mark::Open);
        stack.push((start, next_of(start), 0));
        while let Some((module, next, i)) = stack.last_mut() {
            let Some(&to) = next.get(*i) else {
                marks.insert(module, Mark::Done);
                stack.pop();
                continue;
            };
            *i += 1;
            match marks.get(to) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(m, _, _)| *m == to).unwrap();
                    let mut cycle: Vec<String> = stack[from..]
                        .iter()
                        .map(|(m, _, _)| m.to_string())
                        .collect();
                    cycle.push(to.to_string());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    marks.insert(to, Mark::Open);
                    let next = next_of(to);
                    stack.push((to, next, 0));
                }
            }
        }
    }
    None
}

#[test]
fn the_checker_finds_a_use_that_points_back() {
    let code =
        "use crate::{diag::Location, render::xml};\nfn f() { crate::eval::scoring::score(); }";
    assert_eq!(
        uses(code, 1),
        BTreeSet::from(["diag".into(), "render".into(), "eval".into()])
    );
    assert!(uses(code, 2).contains("eval::scoring"));
    let graph = BTreeMap::from([
        ("a::x".to_string(), BTreeSet::from(["a::y".to_string()])),
        ("a::y".to_string(), BTreeSet::from(["a::x".to_string()])),
    ]);
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a::x".into(), "a::y".into(), "a::x".into()])
    );
}
