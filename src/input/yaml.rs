//! The one place that knows the YAML library (serde_yaml, the maintained `serde_yaml_ng` fork).
//!
//! Every YAML error leaves here as an [`Error::Yaml`] with the file, line and column of the
//! problem in the writer's file, even when the YAML is a front-matter block inside Markdown.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::{Error, Location, Result};

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
    parse(text, origin).map(|(value, _)| value)
}

/// Deserializes `text` like [`from_str`], with where each of its values was typed.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<(T, Positions)> {
    let read = tree(text, origin)?;
    let value =
        serde_yaml::from_str(or_empty_mapping(text)).map_err(|err| to_error(&err, text, origin))?;
    Ok((value, read.positions))
}

/// The deepest nesting of mappings and lists a file may have. gongwen's files use a few
/// levels; libyaml's scan of deep flow nesting takes time that grows with the square of the
/// depth, and serde and the walkers here recurse once per level.
pub const MAX_DEPTH: usize = 64;

/// What a YAML text's aliases may add to it, counted in the characters they repeat. Each
/// repeated node is held in memory again (a tree node per value, several times the text's
/// size), so the budget is what a hand-written file could want to repeat, not the file size
/// limit: nested aliases in a file of a few lines must not fill a PC's memory.
pub const MAX_EXPANDED: usize = 1_000_000;

/// The longest text one value may hold, in characters: what one cell of Excel holds, and
/// every value of these files may end up in a cell of the 自评表's .xlsx.
pub const MAX_VALUE_CHARS: usize = 32_767;

/// A YAML text as one pass of saphyr-parser's event reader saw it: every value as typed and
/// where it was typed.
#[derive(Debug, Clone)]
pub struct Read {
    pub tree: Tree,
    pub positions: Positions,
}

/// A collection being read: its values so far, the name it goes by in its parent, and for
/// an anchored one where it started and the expansion total then.
struct Open {
    name: String,
    kind: OpenKind,
    anchored: Option<(usize, usize, usize)>,
    /// Where it starts: the character index, line and column.
    start: (usize, usize, usize),
}

enum OpenKind {
    /// A mapping, with the key whose value comes next (and where the key was typed).
    Map(Vec<(String, Tree)>, Option<(String, Location)>),
    List(Vec<Tree>),
}

/// The one reading of a YAML text, before serde_yaml (which gives no positions) deserializes
/// the same text into a type. It refuses, each at the line and column where it was typed,
/// what the library would spend unbounded time, stack or memory on, or would report without a
/// useful position: a character YAML forbids, nesting deeper than [`MAX_DEPTH`], aliases
/// expanding past [`MAX_EXPANDED`], a key that is a mapping, a list, an alias or empty, a value
/// longer than [`MAX_VALUE_CHARS`]. A text it cannot follow gets the library's error, which
/// says what is wrong.
pub fn tree(text: &str, origin: Origin<'_>) -> Result<Read> {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    let location = |line: usize, column: usize| {
        Location::new(origin.file, origin.first_line + line - 1, column)
    };
    let error = |line: usize, column: usize, message: String, hint: &'static str| Error::Yaml {
        location: location(line, column),
        message,
        hint,
    };
    if let Some((line, column)) = forbidden_character(text) {
        return Err(error(
            line,
            column,
            "文件里有控制字符（不可见的特殊字符）".into(),
            "删去这些字符后重新保存",
        ));
    }
    let too_deep = |line: usize, column: usize| {
        error(
            line,
            column,
            format!("嵌套超过 {MAX_DEPTH} 层"),
            "减少“键: 值”和列表的嵌套层数，检查 [ ] 和 { } 是否成对",
        )
    };
    let bad_key = |line: usize, column: usize, said: &str| {
        error(
            line,
            column,
            said.into(),
            "每个键写成一段文字，例如“预算数: 240.63 万元”",
        )
    };
    let mut open: Vec<Open> = Vec::new();
    // The path of the innermost open collection below the document's own.
    let mut path: Vec<String> = Vec::new();
    let mut values: HashMap<Vec<String>, Location> = HashMap::new();
    let mut root = None;
    // Each anchor's value and size with what its own aliases expand to.
    let mut anchors: HashMap<usize, (Tree, usize)> = HashMap::new();
    let mut expanded = 0usize;
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(next)) => next,
            // The reader counts flow nesting in a byte and says so (its only way) at the
            // bracket past 255 levels, while still looking for the first one's end.
            Some(Err(err)) if err.info() == "recursion limit exceeded" => {
                return Err(too_deep(err.marker().line(), err.marker().col() + 1));
            }
            Some(Err(err)) => {
                let (line, column) = (err.marker().line(), err.marker().col());
                if let Some((at_line, at_column, bracket)) = unclosed(text, &open, line) {
                    return Err(error(
                        at_line,
                        at_column,
                        format!(
                            "这里的 {bracket} 到第 {} 行仍没有闭合",
                            origin.first_line + line - 1
                        ),
                        "在这一项末尾补上对应的括号，或检查括号里各项之间的逗号",
                    ));
                }
                return Err(unreadable(text, origin, line, column));
            }
            None => break,
        };
        let (line, column) = (span.start.line(), span.start.col() + 1);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        line,
                        column,
                        "这里开始了第二份 YAML 文档（--- 或 ...），一个文件只能有一份".into(),
                        "删去这一行的 --- 或 ...，把内容合在一份里",
                    ));
                }
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(done) = open.pop() else { continue };
                let tree = match done.kind {
                    OpenKind::Map(entries, _) => Tree::Map(entries),
                    OpenKind::List(items) => Tree::List(items),
                };
                if let Some((anchor, start, expanded_then)) = done.anchored {
                    let size = span.end.index().saturating_sub(start) + expanded - expanded_then;
                    anchors.insert(anchor, (tree.clone(), size));
                }
                if !open.is_empty() {
                    path.pop();
                }
                attach(&mut open, &mut root, done.name, tree);
                continue;
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {}
            _ => continue,
        }
        if let Event::Scalar(value, ..) = &event {
            let length = value.chars().count();
            if length > MAX_VALUE_CHARS {
                return Err(error(
                    line,
                    column,
                    format!(
                        "这个值有 {length} 个字，超过 {MAX_VALUE_CHARS} 字的上限（Excel 的一个单元格最多放这么多，自评表写不下）"
                    ),
                    "缩短这段文字，详细内容写到报告正文的 .md 文件里",
                ));
            }
        }
        // A node where a mapping waits for a key is the key.
        if let Some(Open {
            kind: OpenKind::Map(_, key @ None),
            ..
        }) = open.last_mut()
        {
            match &event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    return Err(bad_key(line, column, "键是一组“键: 值”或一个列表"));
                }
                Event::Alias(_) => return Err(bad_key(line, column, "键是别名（*名字）")),
                Event::Scalar(value, style, ..) => {
                    if is_null(value, *style) {
                        return Err(bad_key(line, column, "键是空的（或是 ~、null）"));
                    }
                    *key = Some((value.to_string(), location(line, column)));
                }
                _ => {}
            }
            continue;
        }
        // Otherwise it is a value: of the key before it, the next item of a list, or the
        // document's own.
        let (name, key_at) = match open.last_mut().map(|o| &mut o.kind) {
            Some(OpenKind::Map(_, key)) => key
                .take()
                .unwrap_or_else(|| (String::new(), location(line, column))),
            Some(OpenKind::List(items)) => (items.len().to_string(), location(line, column)),
            None => (String::new(), location(line, column)),
        };
        let mut here = path.clone();
        if !open.is_empty() {
            here.push(name.clone());
        }
        match event {
            Event::Scalar(value, style, anchor, _) => {
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                values.insert(here, location(line, column + usize::from(quoted)));
                let tree = Tree::Scalar((!is_null(&value, style)).then(|| value.into_owned()));
                if anchor > 0 {
                    let size = span.end.index().saturating_sub(span.start.index());
                    anchors.insert(anchor, (tree.clone(), size));
                }
                attach(&mut open, &mut root, name, tree);
            }
            Event::Alias(anchor) => {
                let Some((tree, size)) = anchors.get(&anchor) else {
                    return Err(unreadable(text, origin, line, column - 1));
                };
                expanded = expanded.saturating_add(*size);
                if expanded > MAX_EXPANDED {
                    return Err(error(
                        line,
                        column,
                        format!(
                            "别名（*名字）复制出的内容超过 {} 万字的上限",
                            MAX_EXPANDED / 10_000
                        ),
                        "不要用 & 和 * 复制内容，请直接写出数据",
                    ));
                }
                values.insert(here, location(line, column));
                let tree = tree.clone();
                attach(&mut open, &mut root, name, tree);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if open.len() == MAX_DEPTH {
                    return Err(too_deep(line, column));
                }
                values.insert(here.clone(), key_at);
                if !open.is_empty() {
                    path = here;
                }
                let kind = if matches!(event, Event::MappingStart(..)) {
                    OpenKind::Map(Vec::new(), None)
                } else {
                    OpenKind::List(Vec::new())
                };
                open.push(Open {
                    name,
                    kind,
                    anchored: (anchor > 0).then(|| (anchor, span.start.index(), expanded)),
                    start: (span.start.index(), line, column),
                });
            }
            _ => {}
        }
    }
    Ok(Read {
        tree: root.unwrap_or(Tree::Map(Vec::new())),
        positions: Positions {
            file: origin.file.to_path_buf(),
            values,
        },
    })
}

/// The innermost `[` or `{` still open when the reader stopped at `line`, if it was opened on
/// an earlier line: its line, column and bracket. gongwen's files write a bracketed list on
/// one line, so one still open on a later line was left unclosed.
fn unclosed(text: &str, open: &[Open], line: usize) -> Option<(usize, usize, char)> {
    let innermost = open.last()?;
    let (index, at_line, at_column) = innermost.start;
    let bracket = text.chars().nth(index).filter(|c| matches!(c, '[' | '{'))?;
    (at_line < line).then_some((at_line, at_column, bracket))
}

/// A plain `~`, `null` or nothing: YAML's null.
fn is_null(value: &str, style: saphyr_parser::ScalarStyle) -> bool {
    style == saphyr_parser::ScalarStyle::Plain
        && matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// Puts a finished value into the collection being read, or makes it the document's.
fn attach(open: &mut [Open], root: &mut Option<Tree>, name: String, tree: Tree) {
    match open.last_mut().map(|o| &mut o.kind) {
        Some(OpenKind::Map(entries, _)) => entries.push((name, tree)),
        Some(OpenKind::List(items)) => items.push(tree),
        None => *root = Some(tree),
    }
}

/// The error for a text the reader stopped in at `line` and 0-based `column`: the library's,
/// which names what is wrong, or where the library reads on, that the text cannot be read.
fn unreadable(text: &str, origin: Origin<'_>, line: usize, column: usize) -> Error {
    match serde_yaml::from_str::<serde::de::IgnoredAny>(or_empty_mapping(text)) {
        Err(err) => to_error(&err, text, origin),
        Ok(_) => Error::Yaml {
            location: Location::new(origin.file, origin.first_line + line - 1, column + 1),
            message: "YAML 读到这里读不下去".into(),
            hint: "检查这一行的缩进、冒号和引号是否成对",
        },
    }
}

/// Line and column of the first character YAML does not allow in a file (control
/// characters other than Tab and line ends, and the non-characters U+FFFE, U+FFFF).
fn forbidden_character(text: &str) -> Option<(usize, usize)> {
    let at = text.find(|c: char| {
        matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\x7F'..='\u{84}' | '\u{86}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
    })?;
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    ))
}

/// An empty or blank document reads as an empty mapping, not as null.
fn or_empty_mapping(text: &str) -> &str {
    if text.trim().is_empty() { "{}" } else { text }
}

fn to_error(err: &serde_yaml::Error, text: &str, origin: Origin<'_>) -> Error {
    let (mut line, mut column) = err
        .location()
        .map_or((1, 1), |loc| (loc.line(), loc.column()));
    let mut message = err.to_string();
    // The library appends its own position, relative to the YAML text; ours replaces it.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    if message.starts_with("repetition limit exceeded") {
        // The library stops at the document's start; the first alias is where it begins.
        (line, column) = first_alias(text);
    }
    // Only where libyaml could not read the text: a value of the wrong type is what it says.
    let syntax = SYNTAX
        .iter()
        .any(|(theirs, _, _)| message.starts_with(theirs));
    let (message, hint) = match layout_mistake(text, line).filter(|_| syntax) {
        Some((at_line, at_column, said, hint)) => {
            (line, column) = (at_line, at_column);
            (said.to_string(), hint)
        }
        None => translate(&message),
    };
    Error::Yaml {
        location: Location::new(origin.file, origin.first_line + line - 1, column),
        message,
        hint,
    }
}

/// Slips that libyaml reports as something else: a Tab in the indentation of the line it
/// stopped at ("a character that cannot start any token"), or a full-width colon after a
/// key on that line or the one before it (a key it did not find). Line and column of the
/// slip, what it is, what to do.
fn layout_mistake(text: &str, line: usize) -> Option<(usize, usize, &'static str, &'static str)> {
    // Only on an error, once: the lines up to the one libyaml stopped at.
    let lines: Vec<&str> = text.lines().take(line).collect();
    let nth = |n: usize| n.checked_sub(1).and_then(|i| lines.get(i).copied());
    let here = nth(line)?;
    if here[..here.len() - here.trim_start().len()].contains('\t') {
        return Some((
            line,
            1,
            "用了制表符（Tab）缩进",
            "YAML 只能用空格缩进，请把 Tab 换成空格",
        ));
    }
    // The line before is the last one with something on it.
    let before = (1..line)
        .rev()
        .find(|&n| nth(n).is_some_and(|l| !l.trim().is_empty()));
    [Some(line), before].into_iter().flatten().find_map(|n| {
        let content = nth(n)?.split(" #").next()?;
        let at = content.find('：').filter(|_| !content.contains(':'))?;
        let column = content[..at].chars().count() + 1;
        Some((
            n,
            column,
            "键后面用了全角冒号“：”，YAML 读不出键和值",
            "改成半角冒号加一个空格，例如“预算数: 240.63 万元”",
        ))
    })
}

/// Line and column of the first alias (`*name`) in a YAML text, from the event reader.
fn first_alias(text: &str) -> (usize, usize) {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        if let saphyr_parser::Event::Alias(_) = event {
            return (span.start.line(), span.start.col() + 1);
        }
    }
    (1, 1)
}

/// What libyaml says, in the writers' language: (start of its message, ours, what to do).
const SYNTAX: [(&str, &str, &str); 16] = [
    (
        "did not find expected key",
        "这一行的缩进与同一级的其他行不一致，或缺少“键: 值”的冒号",
        "同一级的键左边对齐，下一级多缩进两个空格",
    ),
    (
        "mapping values are not allowed",
        "这里不能出现“键: 值”：可能是缩进多了，或值里有未加引号的冒号",
        "检查缩进；值里有冒号时给整个值加上引号",
    ),
    (
        "block sequence entries are not allowed",
        "这里不能出现列表项（- ）",
        "检查这一行的缩进",
    ),
    (
        "did not find expected '-' indicator",
        "列表项的缩进不一致",
        "同一列表的各项（- ）左边对齐",
    ),
    (
        "found a tab character",
        "用了制表符（Tab）缩进",
        "YAML 只能用空格缩进，请把 Tab 换成空格",
    ),
    (
        "found character that cannot start any token",
        "有一个字符不能出现在值的开头（如 @、` 或 %）",
        "给这个值加上引号",
    ),
    (
        "found unexpected end of stream",
        "文件意外结束：有引号或括号没有闭合",
        "检查引号和括号是否成对",
    ),
    (
        "did not find expected ','",
        "方括号或花括号里的内容没有闭合",
        "检查 [ ] 和 { } 是否成对，各项之间用逗号分隔",
    ),
    (
        "could not find expected ':'",
        "缺少冒号",
        "写成“键: 值”，冒号后加一个空格",
    ),
    (
        "did not find expected node content",
        "缺少值",
        "补上值，或删去多余的符号",
    ),
    (
        "found undefined alias",
        "引用了没有定义的锚点（*名字）",
        "删去这个别名，直接写出内容",
    ),
    (
        "unknown anchor",
        "引用了没有定义的锚点（*名字）",
        "删去这个别名，直接写出内容",
    ),
    (
        "found unknown escape character",
        "双引号里有无效的转义（\\）",
        "把反斜杠写成 \\\\，或改用单引号",
    ),
    (
        "control characters are not allowed",
        "文件里有控制字符（不可见的特殊字符）",
        "删去这些字符后重新保存",
    ),
    (
        "repetition limit exceeded",
        "别名展开过多：锚点（&名字）和别名（*名字）层层引用，展开后过大",
        "不要用 & 和 * 复制内容，请直接写出数据",
    ),
    ("recursion limit exceeded", "嵌套层数过多", "减少嵌套的层数"),
];

/// Says the library's messages in the writers' language, with what to do about them. A value
/// from the file is never repeated: the file may not be what it should be (a 样式 path to a
/// private file), and the location already points at it.
fn translate(message: &str) -> (String, &'static str) {
    // serde names the key path first ("order: invalid type …"); keys that are not ours are
    // left out.
    let phrases = [
        "unknown field ",
        "missing field ",
        "duplicate entry ",
        "duplicate field ",
        "invalid type: ",
        "invalid value: ",
        "unknown variant ",
    ];
    if let Some(at) = phrases.iter().filter_map(|p| message.find(p)).min()
        && at > 0
    {
        let path = message[..at].trim_end_matches([':', ' ']);
        let (said, hint) = translate(&message[at..]);
        if path.split('.').all(looks_like_a_key) {
            return (format!("{path}：{said}"), hint);
        }
        return (said, hint);
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (named, allowed) = named_and_allowed(rest);
        return (
            format!(
                "未知的键{named}，允许的键：{}",
                allowed.replace(" or ", ", ")
            ),
            "请检查拼写，或删除这个键",
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (named, allowed) = named_and_allowed(rest);
        return (
            format!(
                "不认识的值{named}，可以写：{}",
                allowed
                    .replace('`', "")
                    .replace(" or ", "、")
                    .replace(", ", "、")
            ),
            "请改成其中的一个",
        );
    }
    if let Some(key) = message.strip_prefix("missing field ") {
        return (format!("缺少必填的键 {key}"), "请补上这个键");
    }
    if let Some(key) = message
        .strip_prefix("duplicate entry with key ")
        .or_else(|| message.strip_prefix("duplicate field "))
    {
        let key = key.trim_matches(['"', '`']);
        let named = if looks_like_a_key(key) { key } else { "" };
        return (format!("键 {named} 重复出现"), "同一级的每个键只写一次");
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.rsplit_once(", expected "))
        {
            let (found, expected) = (kind(found), expected_kind(expected));
            // The kind is right and the value is not (an integer beyond 64 bits is of
            // another type to serde): it is out of range.
            if prefix == "invalid value: " || found == expected {
                return (
                    format!("这个值超出了范围，这里应为{expected}"),
                    "请改成范围内的值",
                );
            }
            return (
                format!("这个值是{found}，这里应为{expected}"),
                "请检查这个值的写法",
            );
        }
    }
    if let Some((_, ours, hint)) = SYNTAX
        .iter()
        .find(|(theirs, _, _)| message.starts_with(theirs))
    {
        return (ours.to_string(), hint);
    }
    // A message gongwen wrote itself (a date, a setting) is already in Chinese.
    if !message.is_ascii() {
        return (message.to_string(), "请检查这个值的写法");
    }
    (
        "YAML 语法有误".into(),
        "请检查缩进、冒号后的空格和引号是否成对",
    )
}

/// Keys in gongwen's files are short words; anything else is read from a file that is not
/// ours and is not repeated.
/// serde's "`x`, expected one of `a`, `b`": “x” (left out unless it looks like a key or a
/// name, see [`translate`]) and the list it allows.
fn named_and_allowed(rest: &str) -> (String, &str) {
    let (found, allowed) = rest
        .split_once(", expected one of ")
        .or_else(|| rest.split_once(", expected "))
        .unwrap_or((rest, ""));
    let found = found.trim_matches('`');
    let named = if looks_like_a_key(found) {
        format!("“{found}”")
    } else {
        String::new()
    };
    (named, allowed)
}

fn looks_like_a_key(key: &str) -> bool {
    key.chars().count() <= 20 && key.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// serde's description of what it found, without the value: `string "abc"` → 文字.
fn kind(found: &str) -> &'static str {
    let words = [
        ("string", "文字"),
        ("integer", "整数"),
        ("floating point", "小数"),
        ("boolean", "true/false"),
        ("map", "“键: 值”的映射"),
        ("sequence", "列表"),
        ("unit", "空值"),
        ("char", "文字"),
    ];
    words
        .iter()
        .find(|(word, _)| found.starts_with(word))
        .map_or("别的类型", |(_, ours)| ours)
}

fn expected_kind(expected: &str) -> String {
    let words = [
        ("struct", "一组“键: 值”"),
        ("a string", "文字"),
        ("a boolean", "true 或 false"),
        ("a sequence", "列表"),
        ("i64", "整数"),
        ("u8", "0 到 255 的整数"),
        ("u16", "0 到 65535 的整数"),
        ("u32", "非负整数"),
        ("u64", "非负整数"),
        ("usize", "非负整数"),
        ("a map", "一组“键: 值”"),
        ("a YAML value", "值"),
        ("a number", "数"),
    ];
    words
        .iter()
        .find(|(word, _)| expected.starts_with(word))
        .map_or_else(|| expected.to_string(), |(_, ours)| ours.to_string())
}

/// Where each value of a YAML text was written, by its key path (a list item's key is its
/// index: `["指标", "3", "公式"]`), for what is found wrong after parsing.
///
/// serde_yaml reads values without their positions, so they come from the one reading of
/// saphyr-parser's event parser that also checks the text; an alias stands where it was typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Positions {
    file: PathBuf,
    values: HashMap<Vec<String>, Location>,
}

impl Positions {
    /// Where the value at `path` starts, or the file's start for a path not found.
    pub fn at(&self, path: &[&str]) -> Location {
        self.get(path)
            .cloned()
            .unwrap_or_else(|| Location::new(&self.file, 1, 1))
    }

    /// Where the value at `path` starts: a scalar's first character, or the key of a nested
    /// mapping or list. `None` for a path the text does not have.
    pub fn get(&self, path: &[&str]) -> Option<&Location> {
        let key: Vec<String> = path.iter().map(|k| (*k).to_string()).collect();
        self.values.get(&key)
    }
}

/// A YAML document with every scalar kept as the text the writer typed ("278.00" stays
/// "278.00"; a number never passes through f64).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
    /// `None` for an explicit null (`~`, `null` or nothing after the colon).
    Scalar(Option<String>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_their_text() {
        let text = "a:\n  b: 278.00\n  c: 12345678901234567890.12\n  d: 3369.82 万元\n  e: ~\nf: [1, x]\ng: 123456789012345678901234567890\nh: !unit 12\n";
        let tree = tree(text, Origin::file(Path::new("t.yaml"))).unwrap().tree;
        let scalar = |s: &str| Tree::Scalar(Some(s.to_string()));
        assert_eq!(
            tree,
            Tree::Map(vec![
                (
                    "a".into(),
                    Tree::Map(vec![
                        ("b".into(), scalar("278.00")),
                        ("c".into(), scalar("12345678901234567890.12")),
                        ("d".into(), scalar("3369.82 万元")),
                        ("e".into(), Tree::Scalar(None)),
                    ])
                ),
                ("f".into(), Tree::List(vec![scalar("1"), scalar("x")])),
                ("g".into(), scalar("123456789012345678901234567890")),
                ("h".into(), scalar("12")),
            ])
        );
    }

    /// The positions of `text` read as d.yaml from `first_line`, as (line, column) by key path.
    fn positions_in(text: &str, first_line: usize) -> impl Fn(&[&str]) -> Option<(usize, usize)> {
        let origin = Origin {
            file: Path::new("d.yaml"),
            first_line,
        };
        let found = tree(text, origin).unwrap().positions;
        move |path| found.get(path).map(|l| (l.line, l.column))
    }

    #[test]
    fn positions_are_where_values_were_typed() {
        let text = "a:\n  b: 278.00   # 万元\n  c: \"引号\"\nlist:\n  - 名称: 甲\n    公式: x / y\n  - [1, 2]\nflow: {k: v}\n";
        let at = positions_in(text, 3);
        assert_eq!(at(&["a"]), Some((3, 1)));
        assert_eq!(at(&["a", "b"]), Some((4, 6)));
        assert_eq!(at(&["a", "c"]), Some((5, 7)));
        assert_eq!(at(&["list", "0", "名称"]), Some((7, 9)));
        assert_eq!(at(&["list", "1", "公式"]), None);
        assert_eq!(at(&["list", "0", "公式"]), Some((8, 9)));
        assert_eq!(at(&["list", "1", "1"]), Some((9, 9)));
        assert_eq!(at(&["flow", "k"]), Some((10, 11)));
        assert_eq!(at(&["nothing"]), None);
    }

    /// The line, column and message of the error reading `text` as d.yaml.
    fn error_in(text: &str) -> (usize, usize, String) {
        match tree(text, Origin::file(Path::new("d.yaml"))).unwrap_err() {
            Error::Yaml {
                location, message, ..
            } => (location.line, location.column, message),
            other => panic!("not a YAML error: {other}"),
        }
    }

    #[test]
    fn a_key_that_is_not_a_text_is_an_error_where_it_was_typed() {
        // Found by fuzzing (fuzz/regressions/indicators): a flow mapping used as a key.
        let (line, column, message) = error_in("list:\n  - {a: 1}:\n  - b: 2\nc: 3\n");
        assert_eq!((line, column), (2, 5), "{message}");
        assert!(message.contains("键是一组"), "{message}");
        let (line, column, message) = error_in("a: &x 1\n*x : 2\n");
        assert_eq!((line, column), (2, 1), "{message}");
        assert!(message.contains("别名"), "{message}");
        let (line, _, message) = error_in("a: 1\n~: 2\n");
        assert_eq!(line, 2, "{message}");
    }

    #[test]
    fn aliases_nulls_and_tags_read_as_the_library_reads_them() {
        let text = "base: &b\n  x: 1\n  y: [a, ~]\ncopy: *b\nn: null\nq: 'null'\ne:\nt: !!str 12\n";
        let read = tree(text, Origin::file(Path::new("d.yaml"))).unwrap();
        let scalar = |s: &str| Tree::Scalar(Some(s.to_string()));
        let base = Tree::Map(vec![
            ("x".into(), scalar("1")),
            (
                "y".into(),
                Tree::List(vec![scalar("a"), Tree::Scalar(None)]),
            ),
        ]);
        assert_eq!(
            read.tree,
            Tree::Map(vec![
                ("base".into(), base.clone()),
                ("copy".into(), base),
                ("n".into(), Tree::Scalar(None)),
                ("q".into(), scalar("null")),
                ("e".into(), Tree::Scalar(None)),
                ("t".into(), scalar("12")),
            ])
        );
        // An alias stands where it was typed, not where its anchor was.
        assert_eq!(read.positions.get(&["copy"]).map(|l| l.line), Some(4));
        assert_eq!(
            tree("", Origin::file(Path::new("d.yaml"))).unwrap().tree,
            Tree::Map(vec![])
        );
    }

    #[test]
    fn a_bracket_left_open_is_an_error_at_the_bracket() {
        let (line, column, message) = error_in("a: 1\nb: [甲, 乙\nc: 3\n");
        assert_eq!((line, column), (2, 4), "{message}");
        assert!(
            message.contains("[") && message.contains("第 3 行"),
            "{message}"
        );
        // Closed on its own line with the wrong bracket: the library's word, where it stopped.
        let (line, column, message) = error_in("a: {x: [1, 2}\n");
        assert_eq!((line, column), (1, 13), "{message}");
    }

    #[test]
    fn aliases_may_repeat_up_to_the_budget_and_no_further() {
        // Each alias of `a` repeats the 12 characters of `&a "甲甲甲甲甲甲甲"`.
        let repeat = |times: usize| {
            let aliases = vec!["*a"; times].join(", ");
            format!("a: &a \"{}\"\nb: [{aliases}]\n", "甲".repeat(7))
        };
        let fits = MAX_EXPANDED / 12;
        let read = tree(&repeat(fits), Origin::file(Path::new("d.yaml"))).unwrap();
        let Tree::Map(entries) = read.tree else {
            panic!("not a mapping")
        };
        assert!(matches!(&entries[1].1, Tree::List(items) if items.len() == fits));
        let (line, _, message) = error_in(&repeat(fits + 1));
        assert_eq!(line, 2, "{message}");
        assert!(message.contains("万字的上限"), "{message}");
    }

    #[test]
    fn a_second_document_is_an_error() {
        let (line, column, message) = error_in("a: 1\n---\nb: 2\n");
        assert_eq!((line, column), (2, 1), "{message}");
        assert!(message.contains("第二份"), "{message}");
        let typed = from_str::<HashMap<String, u32>>(
            "a: 1\n---\nb: 2\n",
            Origin::file(Path::new("d.yaml")),
        );
        assert!(typed.is_err());
    }

    #[test]
    fn the_typed_value_and_the_positions_come_from_one_call() {
        let (value, positions): (HashMap<String, u32>, _) =
            parse("a: 1\nb:   2\n", Origin::file(Path::new("d.yaml"))).unwrap();
        assert_eq!(value["b"], 2);
        assert_eq!(positions.at(&["b"]).column, 6);
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = tree(
            "a: 1\nb: [\n",
            Origin {
                file: Path::new("d.yaml"),
                first_line: 10,
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("d.yaml:1"), "{err}");
    }
}
