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
    prescan(text, origin)?;
    serde_yaml::from_str(or_empty_mapping(text)).map_err(|err| to_error(&err, text, origin))
}

/// The deepest nesting of mappings and lists a file may have. gongwen's files use a few
/// levels; libyaml's scan of deep flow nesting takes time that grows with the square of the
/// depth, and serde and the walkers here recurse once per level.
pub const MAX_DEPTH: usize = 64;

/// What a YAML text may expand to through its aliases, counted in characters with the text
/// itself: the size budget of a file, so that aliases cannot multiply it.
const MAX_EXPANDED: usize = crate::input::source::MAX_TEXT_BYTES as usize;

/// The longest text one value may hold, in characters: what one cell of Excel holds, and
/// every value of these files may end up in a cell of the 自评表's .xlsx.
pub const MAX_VALUE_CHARS: usize = 32_767;

/// One linear pass, before the library reads `text`, that refuses what the library would
/// spend unbounded time, stack or memory on, or would report without a useful position: a
/// character YAML forbids, nesting deeper than [`MAX_DEPTH`], aliases expanding past
/// [`MAX_EXPANDED`], a key that is a mapping, a list or empty, a value longer than
/// [`MAX_VALUE_CHARS`]. Each is an error at the line
/// and column where it was typed. A text this reader cannot follow is left to the library,
/// whose error says what is wrong.
fn prescan(text: &str, origin: Origin<'_>) -> Result<()> {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    let error = |line: usize, column: usize, message: String, hint: &'static str| Error::Yaml {
        location: Location::new(origin.file, origin.first_line + line - 1, column),
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
    /// A collection being read, and for a mapping whether its next node is a key.
    enum Open {
        Map { key_next: bool },
        List,
    }
    let mut open: Vec<Open> = Vec::new();
    // Each anchor's size with what its own aliases expand to; and for each anchored
    // collection being read, where it started and the expansion total then.
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    let mut anchored: Vec<Option<(usize, usize, usize)>> = Vec::new();
    let mut expanded = text.chars().count();
    let too_deep = |line: usize, column: usize| {
        error(
            line,
            column,
            format!("嵌套超过 {MAX_DEPTH} 层"),
            "减少“键: 值”和列表的嵌套层数，检查 [ ] 和 { } 是否成对",
        )
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(next)) => next,
            // The reader counts flow nesting in a byte and says so (its only way) at the
            // bracket past 255 levels, while still looking for the first one's end.
            Some(Err(err)) if err.info() == "recursion limit exceeded" => {
                return Err(too_deep(err.marker().line(), err.marker().col() + 1));
            }
            Some(Err(_)) | None => break,
        };
        let (line, column) = (span.start.line(), span.start.col() + 1);
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node && let Some(Open::Map { key_next }) = open.last_mut() {
            let is_key = *key_next;
            *key_next = !is_key;
            let said = match &event {
                Event::MappingStart(..) | Event::SequenceStart(..) if is_key => {
                    Some("键是一组“键: 值”或一个列表")
                }
                Event::Scalar(value, ScalarStyle::Plain, ..)
                    if is_key && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL") =>
                {
                    Some("键是空的（或是 ~、null）")
                }
                _ => None,
            };
            if let Some(said) = said {
                return Err(error(
                    line,
                    column,
                    said.into(),
                    "每个键写成一段文字，例如“预算数: 240.63 万元”",
                ));
            }
        }
        match event {
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if open.len() == MAX_DEPTH {
                    return Err(too_deep(line, column));
                }
                open.push(if matches!(event, Event::MappingStart(..)) {
                    Open::Map { key_next: true }
                } else {
                    Open::List
                });
                anchored.push((anchor > 0).then(|| (anchor, span.start.index(), expanded)));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
                if let Some(Some((anchor, start, expanded_then))) = anchored.pop() {
                    let size = span.end.index().saturating_sub(start) + expanded - expanded_then;
                    sizes.insert(anchor, size);
                }
            }
            Event::Scalar(value, _, anchor, _) => {
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
                if anchor > 0 {
                    sizes.insert(anchor, span.end.index().saturating_sub(span.start.index()));
                }
            }
            Event::Alias(anchor) => {
                expanded = expanded.saturating_add(sizes.get(&anchor).copied().unwrap_or(0));
                if expanded > MAX_EXPANDED {
                    return Err(error(
                        line,
                        column,
                        format!("别名（*名字）展开后超过 {} MiB 的上限", MAX_EXPANDED >> 20),
                        "不要用 & 和 * 复制内容，请直接写出数据",
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
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
/// serde_yaml reads values without their positions, so the positions come from a second
/// reader, saphyr-parser's event parser, which gives each event its line and column; it only
/// runs on text serde_yaml has accepted, and reads neither aliases' targets nor tags.
#[derive(Debug, Clone, Default)]
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

/// Reads where every value of `text` stands; a text saphyr cannot read (which serde_yaml
/// accepted) keeps what was read up to there.
pub fn positions(text: &str, origin: Origin<'_>) -> Positions {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    /// A collection being read: a mapping waiting for a key or for the value of one, or a list.
    enum Open {
        Map(Option<(String, Location)>),
        List(usize),
    }
    let location = |mark: saphyr_parser::Marker, skip: usize| {
        Location::new(
            origin.file,
            origin.first_line + mark.line() - 1,
            mark.col() + 1 + skip,
        )
    };
    let mut values = HashMap::new();
    let mut path: Vec<String> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        // A key awaiting its value: this event is the value, which goes at `path` + key.
        let key = match (open.last_mut(), &event) {
            (Some(Open::Map(slot @ None)), Event::Scalar(key, ..)) => {
                *slot = Some((key.to_string(), location(span.start, 0)));
                continue;
            }
            // A key still waiting here followed a key that was itself a collection
            // (`? {a: 1}`, `- {…}: x`): what it names has no position.
            (Some(Open::Map(_)), Event::MappingEnd) => {
                open.pop();
                path.pop();
                continue;
            }
            (Some(Open::List(_)), Event::SequenceEnd) => {
                open.pop();
                path.pop();
                continue;
            }
            (Some(Open::Map(slot)), _) => slot.take(),
            (Some(Open::List(next)), _) => {
                *next += 1;
                Some(((*next - 1).to_string(), location(span.start, 0)))
            }
            (None, _) => None,
        };
        let (name, key_at) = match key {
            Some(key) => key,
            None if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) => {
                // The document's own collection: its path is empty.
                (String::new(), location(span.start, 0))
            }
            None => continue,
        };
        let nested = !name.is_empty() || !open.is_empty();
        let mut here = path.clone();
        if nested {
            here.push(name);
        }
        match event {
            Event::Scalar(_, style, ..) => {
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                values.insert(here, location(span.start, usize::from(quoted)));
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                values.insert(here.clone(), key_at);
                path = here;
                open.push(if matches!(event, Event::MappingStart(..)) {
                    Open::Map(None)
                } else {
                    Open::List(0)
                });
            }
            _ => {
                values.insert(here, location(span.start, 0));
            }
        }
    }
    Positions {
        file: origin.file.to_path_buf(),
        values,
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

/// Reads `text` as a [`Tree`]. The library decides numbers before a visitor sees them, so a
/// first pass learns the document's shape and a second asks each scalar for its text.
pub fn tree(text: &str, origin: Origin<'_>) -> Result<Tree> {
    let shape: Shape = from_str(text, origin)?;
    let deserializer = serde_yaml::Deserializer::from_str(or_empty_mapping(text));
    serde::de::DeserializeSeed::deserialize(Shaped(&shape), deserializer)
        .map_err(|err| to_error(&err, text, origin))
}

/// What each node of a YAML document is, without its text.
enum Shape {
    Map(Vec<(Shape, Shape)>),
    List(Vec<Shape>),
    Scalar,
    Null,
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

/// Visitor methods that take a scalar of the given type and answer [`Shape::Scalar`].
macro_rules! scalar_visits {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method<E: serde::de::Error>(self, _: $type) -> Result<Shape, E> {
            Ok(Shape::Scalar)
        })*
    };
}

impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    // Every kind of scalar is a scalar here; integers beyond 64 bits too, not an error.
    scalar_visits! {
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_i128(i128),
        visit_u128(u128), visit_f64(f64), visit_str(&str),
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Shape::Map(entries))
    }

    /// A tagged node (`!tag value`) has the shape of its value.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Shape, A::Error> {
        use serde::de::VariantAccess;
        let (serde::de::IgnoredAny, variant) = data.variant()?;
        variant.newtype_variant()
    }
}

struct Shaped<'s>(&'s Shape);

impl<'de> serde::de::DeserializeSeed<'de> for Shaped<'_> {
    type Value = Tree;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        match self.0 {
            Shape::Map(_) => d.deserialize_map(self),
            Shape::List(_) => d.deserialize_seq(self),
            Shape::Null => d.deserialize_any(self),
            Shape::Scalar => d.deserialize_str(self),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Shaped<'_> {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let Shape::Map(shape) = self.0 else {
            return Err(serde::de::Error::custom("unexpected mapping"));
        };
        let mut entries = Vec::new();
        for (key, value) in shape {
            let Some(key_text) = map.next_key_seed(Shaped(key))? else {
                break;
            };
            let Tree::Scalar(Some(name)) = key_text else {
                return Err(serde::de::Error::custom("keys must be plain text"));
            };
            entries.push((name, map.next_value_seed(Shaped(value))?));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let Shape::List(shape) = self.0 else {
            return Err(serde::de::Error::custom("unexpected sequence"));
        };
        let mut items = Vec::new();
        for item in shape {
            match seq.next_element_seed(Shaped(item))? {
                Some(tree) => items.push(tree),
                None => break,
            }
        }
        Ok(Tree::List(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_their_text() {
        let text = "a:\n  b: 278.00\n  c: 12345678901234567890.12\n  d: 3369.82 万元\n  e: ~\nf: [1, x]\ng: 123456789012345678901234567890\nh: !unit 12\n";
        let tree = tree(text, Origin::file(Path::new("t.yaml"))).unwrap();
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
        let found = positions(
            text,
            Origin {
                file: Path::new("d.yaml"),
                first_line,
            },
        );
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

    #[test]
    fn a_collection_as_a_key_leaves_the_other_positions_as_they_are() {
        // Found by fuzzing (fuzz/regressions/indicators): a flow mapping used as a key.
        let text = "list:\n  - {a: 1}:\n  - b: 2\nc: 3\n";
        let at = positions_in(text, 1);
        assert_eq!(at(&["list", "1", "b"]), Some((3, 8)));
        assert_eq!(at(&["c"]), Some((4, 4)));
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
