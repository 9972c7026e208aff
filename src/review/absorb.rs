//! `absorb`: the edits someone made in Word or WPS to a .docx gongwen built, written back into
//! the section files they came from. The edited text is compared, paragraph by paragraph and
//! then word by word, with what the report directory builds now; each change lands where the
//! build's map from printed text to source ([`TextSpan`]) says that text was typed. What no
//! typed text stands behind (a placeholder's figure or verdict, the title, a table) is listed
//! with what to change instead, and so is every comment.

use std::path::{Path, PathBuf};

use similar::DiffOp;

use crate::diag::{Error, Location, Result};
use crate::document::model::{Block, Inline, TextSpan, plain_text};
use crate::document::report::Built;
use crate::import::docx_text::edited::{self, Edited};
use crate::import::figures::{CLOSE, OPEN};
use crate::import::markdown;
use crate::input::source::{Fingerprint, SOURCES_PROPERTY};

use super::diff::{bounded_ops, tokens, word_diff};

/// One thing absorb did or could not do, where the writer finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it is once the edits are written.
    pub location: Location,
    /// Where it is now, before they are.
    pub now: Location,
    pub message: String,
}

/// What absorbing an edited .docx comes to.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Each section file that changes, and its new text.
    pub files: Vec<(PathBuf, String)>,
    /// The changes written back, at the line they are on afterwards.
    pub applied: Vec<Item>,
    /// The changes not written back, each with what to do instead.
    pub listed: Vec<Item>,
    pub comments: Vec<Item>,
    /// The report's files changed since the .docx was built: the sections that held a change
    /// back, and report.yaml, data.yaml or indicators.yaml.
    pub stale: Vec<String>,
    /// Tracked changes still pending in the .docx, taken as accepted.
    pub insertions: usize,
    pub deletions: usize,
    /// Of `applied`, the paragraphs deleted; of `listed`, those kept beside their rewritten
    /// form (a paragraph with placeholders rewritten past recognition).
    pub deleted_paragraphs: usize,
    pub kept_paragraphs: usize,
}

/// Why `file` cannot be absorbed, at its start, with what to do instead.
fn refused(file: &Path, message: &str, fix: &str) -> Error {
    Error::from(
        crate::diag::Diagnostic::error(crate::diag::code::READ, Location::new(file, 1, 1), message)
            .with_fix(fix),
    )
}

/// The sources an edited .docx was built from, as its custom properties name them; an error
/// (nothing is written) when it is not a .docx gongwen built.
pub fn recorded(edited: &Edited, file: &Path) -> Result<Fingerprint> {
    match (
        edited.property(SOURCES_PROPERTY),
        Fingerprint::from_properties(&edited.properties),
    ) {
        (Some(_), Some(fingerprint)) => Ok(fingerprint),
        (Some(_), None) => Err(refused(
            file,
            "这份 .docx 的 gongwen-file-1 等文档属性缺失或已损坏，无法知道它由哪些源文件生成；什么也没有写入。",
            "请用 gongwen build 重新生成 .docx 再交审核；已改好的这份可以对照 gongwen textconv 的输出手工改回。",
        )),
        (None, _) => Err(refused(
            file,
            "这份 .docx 不是 gongwen 生成的（没有 gongwen-sources 文档属性），无法把修改带回报告目录；什么也没有写入。",
            "请用 gongwen build 生成、经 Word 或 WPS 修改后的 .docx；别处来的 .docx 请用 gongwen import 转成报告目录。",
        )),
    }
}

/// An error when the .docx was built from another report: not one of its files reads as one
/// of `built`'s does now.
pub fn check_origin(recorded: &Fingerprint, built: &Built, file: &Path) -> Result<()> {
    let current = built.sources.fingerprint();
    let shared = current
        .files
        .iter()
        .any(|(name, digest)| recorded.digest_of(name) == Some(digest.as_str()));
    if shared {
        return Ok(());
    }
    Err(refused(
        file,
        &format!(
            "这份 .docx 不是由报告目录 {} 生成的（没有一个源文件与它记下的相同）；什么也没有写入。",
            built.sources.dir.display()
        ),
        "请给出生成它的报告目录：gongwen absorb 审核稿.docx 报告目录",
    ))
}

/// Reads an edited .docx (see [`edited::read`]); why it cannot be, with what to do.
pub fn read(bytes: &[u8], file: &Path) -> Result<Edited> {
    edited::read(bytes, file).map_err(|err| {
        refused(
            file,
            &format!("{}；什么也没有写入。", err.diagnostic().message),
            "请给出 gongwen build 生成、在 Word 或 WPS 里改过并另存为 .docx 的文件；别处来的 Word 报告请用 gongwen import 转成报告目录。",
        )
    })
}

/// Writes the section files of `plan` at once (atomically, each replaced whole), and nothing
/// else. A file that changed on disk since `built` read it is an error, and nothing is written.
pub fn write(plan: &Plan, built: &Built) -> Result<()> {
    let mut files = Vec::with_capacity(plan.files.len());
    for (path, text) in &plan.files {
        let read = built.sources.sections.iter().find(|s| s.path == *path);
        // A section that is a link: the file it points at is rewritten, the link kept.
        let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let now = crate::input::source::read_text(path)?;
        if read.is_none_or(|read| read.text != now.text) {
            return Err(Error::Write {
                path: path.clone(),
                source: std::io::Error::other(
                    "它在 absorb 运行时被改过，什么也没有写入；请保存好它后再运行一次 gongwen absorb",
                ),
            });
        }
        // A byte-order mark the file began with stays.
        let bom = crate::input::source::read_bytes(path, crate::input::source::MAX_TEXT_BYTES)?
            .starts_with("\u{feff}".as_bytes());
        let bytes = if bom {
            format!("\u{feff}{text}")
        } else {
            text.clone()
        };
        files.push((path.clone(), bytes));
    }
    crate::output::write_all_atomically(&files)
}

/// The report as `plan` would leave it, built and compared with the .docx once more: what
/// would still be written (nothing, but where Markdown reads the new text otherwise than it
/// was meant). An error, before anything is written, when it would no longer build.
pub fn verify(plan: &Plan, built: &Built, edited: &Edited, file: &Path) -> Result<Vec<Item>> {
    if plan.files.is_empty() {
        return Ok(Vec::new());
    }
    let mut sources = built.sources.clone();
    for (path, text) in &plan.files {
        if let Some(section) = sources.sections.iter_mut().find(|s| s.path == *path) {
            section.text = text.clone();
        }
    }
    let rebuilt =
        crate::document::report::from_sources(&sources, &Default::default()).map_err(|err| {
            refused(
                file,
                &format!(
                    "把这些修改写回后，报告无法生成（{}）；什么也没有写入。",
                    err.diagnostic().message
                ),
                "请用 --dry-run 列出修改，手工改进章节文件。",
            )
        })?;
    let rendered = crate::render::outputs(
        &rebuilt,
        Path::new("report.docx"),
        crate::render::Extras::default(),
    )?;
    let bytes = rendered.first().map_or(&[][..], |r| r.bytes.as_slice());
    let now = edited::read(bytes, Path::new("report.docx"))?;
    let again = self::plan(
        &rebuilt,
        &now.lines,
        &now.footnotes,
        edited,
        &sources.fingerprint(),
    );
    Ok(again.applied)
}

/// A printed line the build made from a heading or paragraph, and where it was typed.
struct Unit {
    /// Index into `built.sources.sections`.
    section: usize,
    /// The printed number or list marker before the text (its characters).
    prefix: usize,
    /// The text after it, as [`TextSpan::at`] counts.
    text: String,
    origin: Location,
    spans: Vec<TextSpan>,
    table: bool,
}

/// Characters shown on each side of a changed word.
const CONTEXT: usize = 6;

/// One change made in a section file's text: bytes `start..end` become `text`.
#[derive(Debug, Clone)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
    /// The order it was made in, among the file's edits.
    seq: usize,
    /// Paragraphs the reviewer put where a deleted one was: the edit's text is made of them.
    merged: Vec<String>,
}

/// A place in a section file (index, byte) or elsewhere, to be said once the edits are made.
#[derive(Debug, Clone)]
enum At {
    /// Section, byte in its text, the edits made before it was (see [`Edit::seq`]), and
    /// bytes into what an edit there inserted.
    Section(usize, usize, usize, usize),
    Fixed(Location),
}

struct Planner<'a> {
    built: &'a Built,
    edits: Vec<Vec<Edit>>,
    /// For each section, whether changes in it may be written.
    writable: Vec<Option<&'static str>>,
    /// For each section, whether a change in it was held back.
    held: Vec<bool>,
    applied: Vec<(At, String)>,
    listed: Vec<(At, String)>,
    comments: Vec<(At, String)>,
    deleted: usize,
    kept: usize,
}

/// What absorbing `edited` into the report `built` (as the directory builds now) would do;
/// `built_lines` are the lines of the .docx the directory builds now, read as `edited` was.
pub fn plan(
    built: &Built,
    built_lines: &[String],
    built_footnotes: &[String],
    edited: &Edited,
    recorded: &Fingerprint,
) -> Plan {
    let current = built.sources.fingerprint();
    let stale: Vec<String> = current
        .files
        .iter()
        .filter(|(name, digest)| recorded.digest_of(name) != Some(digest))
        .map(|(name, _)| name.clone())
        .collect();
    let sections = &built.sources.sections;
    let inputs_changed = stale.iter().any(|name| !name.ends_with(".md"));
    let writable = sections
        .iter()
        .map(|file| {
            let name = file_name(&file.path);
            if stale.contains(&name) {
                Some("这个章节文件在生成 .docx 之后改过")
            } else if inputs_changed && file.text.contains("{%") {
                Some("生成 .docx 之后数据或指标改过，这个章节的条件文字可能已不同")
            } else {
                None
            }
        })
        .collect();
    let mut planner = Planner {
        built,
        edits: vec![Vec::new(); sections.len()],
        writable,
        held: vec![false; sections.len()],
        applied: Vec::new(),
        listed: Vec::new(),
        comments: Vec::new(),
        deleted: 0,
        kept: 0,
    };
    let units = units(built);
    // Empty paragraphs say nothing: where one stands (or whether the reviewer added one) is
    // no change to write.
    let (built_lines, _) = non_empty(built_lines);
    let built_lines = built_lines.as_slice();
    let (edited_lines, edited_index) = non_empty(&edited.lines);
    let unit_of = match_lines(built_lines, &units);
    let ops = bounded_ops(built_lines, &edited_lines);
    let changes = paired(&ops, built_lines, &edited_lines);
    // For each edited line, the built line it stands for; for a line added, the one before.
    let mut old_of_new = vec![None; edited_lines.len()];
    let mut before_new = vec![None; edited_lines.len()];
    let mut previous_old = None;
    for change in &changes {
        match *change {
            Change::Same(i, j) => {
                old_of_new[j] = Some(i);
                previous_old = Some(i);
            }
            Change::Changed(i, j) => {
                old_of_new[j] = Some(i);
                previous_old = Some(i);
                planner.changed(&units, &unit_of, i, &built_lines[i], &edited_lines[j]);
            }
            Change::Deleted(i) | Change::Replaced(i) => {
                previous_old = Some(i);
                let replaced = matches!(change, Change::Replaced(_));
                planner.deleted(&units, &unit_of, i, &built_lines[i], replaced);
            }
            Change::Inserted(j) => {
                before_new[j] = previous_old;
                planner.inserted(
                    (&units, &unit_of, built_lines),
                    previous_old,
                    &edited_lines[j],
                );
            }
        }
    }
    for comment in &edited.comments {
        // On an empty paragraph: said at the next one with text.
        let line = edited_index.partition_point(|&i| i < comment.line);
        let at_char = if edited_index.get(line) == Some(&comment.line) {
            comment.at
        } else {
            0
        };
        let old = old_of_new.get(line).copied().flatten();
        let at = match old.and_then(|i| unit_of[i].map(|u| (i, u))) {
            Some((i, u)) => {
                let unit = &units[u];
                let new_line = &edited_lines[line];
                let offset = old_offset(&built_lines[i], new_line, at_char);
                let location = TextSpan::locate(
                    &unit.spans,
                    &unit.origin,
                    offset.saturating_sub(unit.prefix),
                );
                planner.at_location(unit.section, &location)
            }
            None => {
                let before = before_new.get(line).copied().flatten();
                At::Fixed(planner.fixed_location(&unit_of, &units, old.or(before)))
            }
        };
        let author = if comment.author.is_empty() {
            String::new()
        } else {
            format!("（{}）", comment.author)
        };
        let marked = if comment.marked.is_empty() {
            String::new()
        } else {
            format!("，批注的文字：“{}”", shortened(&comment.marked))
        };
        planner.comments.push((
            at,
            format!("批注{author}：“{}”{marked}", shortened(&comment.note)),
        ));
    }
    planner.footnotes(built, built_footnotes, &edited.footnotes);
    planner.finish(stale, edited)
}

impl Planner<'_> {
    fn section_text(&self, section: usize) -> &str {
        &self.built.sources.sections[section].text
    }

    fn at_location(&self, section: usize, location: &Location) -> At {
        match byte_of(self.section_text(section), location.line, location.column) {
            Some(byte) => At::Section(section, byte, usize::MAX, 0),
            None => At::Fixed(location.clone()),
        }
    }

    /// Where a line that no section's text stands behind is said: the title at its line in
    /// report.yaml, anything else at the nearest paragraph before it.
    fn fixed_location(
        &self,
        unit_of: &[Option<usize>],
        units: &[Unit],
        old: Option<usize>,
    ) -> Location {
        let Some(i) = old else {
            return self.built.meta.location("标题");
        };
        match unit_of.iter().take(i + 1).rev().find_map(|u| *u) {
            Some(u) => units[u].origin.clone(),
            None => self.built.meta.location("标题"),
        }
    }

    /// Footnotes the reviewer changed, listed at the paragraph that cites each: a footnote's
    /// definition carries no map to where its text was typed.
    fn footnotes(&mut self, built: &Built, old: &[String], new: &[String]) {
        if old == new {
            return;
        }
        let citing = citing_blocks(built);
        let place = |k: usize| citing.get(k).or(citing.last()).cloned();
        if old.len() != new.len() {
            let first = old.iter().zip(new).take_while(|(a, b)| a == b).count();
            let at = match place(first) {
                Some(origin) => At::Fixed(origin),
                None => At::Fixed(self.built.meta.location("标题")),
            };
            return self.list(
                at,
                format!(
                    "审核稿的脚注有 {} 条，报告有 {} 条：加减脚注请在章节文件里手工处理（[^名称] 与它的定义）",
                    new.len(),
                    old.len()
                ),
            );
        }
        for (k, (a, b)) in old.iter().zip(new).enumerate() {
            if a != b
                && let Some(origin) = place(k)
            {
                let at = match built
                    .sources
                    .sections
                    .iter()
                    .position(|s| s.path == origin.file)
                {
                    Some(section) => self.at_location(section, &origin),
                    None => At::Fixed(origin),
                };
                self.list(
                    at,
                    format!(
                        "这一段所引的第 {} 条脚注改了，请在它的定义（[^名称]: ）里修改：{}",
                        k + 1,
                        word_diff(a, b)
                    ),
                );
            }
        }
    }

    fn list(&mut self, at: At, message: String) {
        self.listed.push((at, message));
    }

    fn changed(
        &mut self,
        units: &[Unit],
        unit_of: &[Option<usize>],
        i: usize,
        old: &str,
        new: &str,
    ) {
        let shown = word_diff(old, new);
        let Some(u) = unit_of[i] else {
            let at = At::Fixed(self.fixed_location(unit_of, units, Some(i)));
            self.list(
                at,
                format!("这一行不在章节的正文里（标题、附件标签或自评表），请在 report.yaml 或 indicators.yaml 里修改：{shown}"),
            );
            return;
        };
        let unit = &units[u];
        if unit.table {
            let at = At::Fixed(unit.origin.clone());
            self.list(at, format!("表格里的修改请手工改到表格中：{shown}"));
            return;
        }
        let (a, b) = (tokens(old), tokens(new));
        let offsets = |words: &[&str]| {
            let mut at = vec![0];
            for word in words {
                at.push(at.last().copied().unwrap_or(0) + word.chars().count());
            }
            at
        };
        let old_at = offsets(&a);
        for (old_range, new_range) in changed_words(&bounded_ops(&a, &b)) {
            let (from, to) = (old_at[old_range.start], old_at[old_range.end]);
            let replacement = b[new_range].concat();
            let was: String = a[old_range].concat();
            if from < unit.prefix && to <= unit.prefix {
                // The printed number: the build numbers headings and items itself.
                continue;
            }
            if from < unit.prefix {
                let at = self.at_location(unit.section, &unit.origin);
                self.list(
                    at,
                    format!("修改碰到了自动编号，未写入：[-{was}-]{{+{replacement}+}}"),
                );
                continue;
            }
            let context = |range: std::ops::Range<usize>| -> String {
                old.chars().skip(range.start).take(range.len()).collect()
            };
            let before = context(from.saturating_sub(CONTEXT).max(unit.prefix)..from);
            let after = context(to..to + CONTEXT);
            let shown = format!("{before}[-{was}-]{{+{replacement}+}}{after}")
                .replace("[--]", "")
                .replace("{++}", "");
            self.replace(
                unit,
                (from - unit.prefix, to - unit.prefix),
                (&was, &replacement),
                &shown,
            );
        }
    }

    /// Characters `from..to` of a unit's text (`was`) become `replacement`; `shown` is the
    /// change as the writer is shown it.
    fn replace(
        &mut self,
        unit: &Unit,
        (from, to): (usize, usize),
        (was, replacement): (&str, &str),
        shown: &str,
    ) {
        let text = self.section_text(unit.section).to_string();
        let shown = shown.to_string();
        if from == to {
            match self.insertion_point(unit, &text, from) {
                Ok(byte) => {
                    if beside_markup(&text, byte, byte) {
                        return self.beside_markup(unit, &shown);
                    }
                    if self.held(unit.section, byte, &shown) {
                        return;
                    }
                    let line_start = byte == 0 || text[..byte].ends_with('\n');
                    self.edit(
                        unit.section,
                        byte,
                        byte,
                        escape(replacement, line_start),
                        shown,
                    );
                }
                Err(span) => self.placeholder(unit, span, (from, to), (was, replacement)),
            }
            return;
        }
        // Each run of typed text the range covers: the first takes the replacement.
        let mut pieces = Vec::new();
        let mut at = from;
        while at < to {
            let i = unit.spans.partition_point(|s| s.at <= at);
            let Some(span) = i.checked_sub(1).map(|i| unit.spans[i]) else {
                return self.unlocated(unit, &shown);
            };
            if !span.verbatim {
                return self.placeholder(unit, span, (from, to), (was, replacement));
            }
            let end = unit.spans.get(i).map_or(to, |next| next.at.min(to));
            let start_byte = byte_of(&text, span.line, span.column + (at - span.at));
            let piece: String = unit.text.chars().skip(at).take(end - at).collect();
            let Some(start_byte) = start_byte.filter(|&b| text[b..].starts_with(&piece)) else {
                return self.unlocated(unit, &shown);
            };
            pieces.push((start_byte, start_byte + piece.len()));
            at = end;
        }
        if pieces
            .iter()
            .any(|&(start, end)| beside_markup(&text, start, end))
        {
            return self.beside_markup(unit, &shown);
        }
        if let Some(&(start, _)) = pieces.first()
            && self.held(unit.section, start, &shown)
        {
            return;
        }
        for (n, (start, end)) in pieces.into_iter().enumerate() {
            let (new, said) = if n == 0 {
                (escape(replacement, false), shown.clone())
            } else {
                (String::new(), String::new())
            };
            self.edit(unit.section, start, end, new, said);
        }
    }

    /// Where text inserted before character `at` of a unit's text goes: after the typed
    /// character before it, else before the typed character at it; the placeholder's run
    /// when neither is typed text.
    fn insertion_point(
        &self,
        unit: &Unit,
        text: &str,
        at: usize,
    ) -> std::result::Result<usize, TextSpan> {
        let span_of = |offset: usize| {
            let i = unit.spans.partition_point(|s| s.at <= offset);
            i.checked_sub(1).map(|i| unit.spans[i])
        };
        // The byte of character `offset` where it was typed; the placeholder's run if a
        // placeholder printed it.
        let typed = |offset: usize| -> std::result::Result<Option<(usize, char)>, TextSpan> {
            let (Some(span), Some(c)) = (span_of(offset), unit.text.chars().nth(offset)) else {
                return Ok(None);
            };
            if !span.verbatim {
                return Err(span);
            }
            let byte = byte_of(text, span.line, span.column + (offset - span.at));
            Ok(byte.filter(|&b| text[b..].starts_with(c)).map(|b| (b, c)))
        };
        let mut blocked = None;
        match at.checked_sub(1).map(typed) {
            Some(Ok(Some((byte, c)))) => return Ok(byte + c.len_utf8()),
            Some(Err(span)) => blocked = Some(span),
            _ => {}
        }
        match typed(at) {
            Ok(Some((byte, _))) => return Ok(byte),
            Err(span) => blocked = Some(span),
            Ok(None) => {}
        }
        Err(blocked.unwrap_or(TextSpan {
            at: 0,
            line: unit.origin.line,
            column: unit.origin.column,
            verbatim: true,
        }))
    }

    /// Whether a change at `byte` of a section is held back (listed, with why) because the
    /// section may no longer read as the .docx was built from it.
    fn held(&mut self, section: usize, byte: usize, shown: &str) -> bool {
        let Some(reason) = self.writable[section] else {
            return false;
        };
        self.held[section] = true;
        self.list(
            At::Section(section, byte, usize::MAX, 0),
            format!("{reason}，这处修改未写入：{shown}"),
        );
        true
    }

    /// A change beside emphasis marks (`**`, `_`): Markdown reads a mark by what stands next
    /// to it, so text put there can turn bold on or off elsewhere.
    fn beside_markup(&mut self, unit: &Unit, shown: &str) {
        let at = self.at_location(unit.section, &unit.origin);
        self.list(
            at,
            format!(
                "这处修改紧挨着加粗、斜体等格式符号（* _），为免改乱格式未写入，请手工修改：{shown}"
            ),
        );
    }

    fn unlocated(&mut self, unit: &Unit, shown: &str) {
        let at = self.at_location(unit.section, &unit.origin);
        self.list(
            at,
            format!("找不到这处文字在源文件里的确切位置（跨越了格式或换行），未写入，请手工修改：{shown}"),
        );
    }

    /// A change on text a placeholder printed: said with what to change instead.
    /// A change of characters `from..to` (`was`) to `replacement` on text a placeholder
    /// printed: said with the whole value, before and after, and what to change instead.
    fn placeholder(
        &mut self,
        unit: &Unit,
        span: TextSpan,
        (from, to): (usize, usize),
        (was, replacement): (&str, &str),
    ) {
        let end = unit
            .spans
            .iter()
            .find(|s| s.at > span.at)
            .map_or(unit.text.chars().count(), |s| s.at);
        let (was, replacement) = if span.at <= from && to <= end {
            let value: Vec<char> = unit.text.chars().collect();
            let part = |range: std::ops::Range<usize>| -> String { value[range].iter().collect() };
            (
                part(span.at..end),
                format!("{}{replacement}{}", part(span.at..from), part(to..end)),
            )
        } else {
            (was.to_string(), replacement.to_string())
        };
        let (was, replacement) = (was.as_str(), replacement.as_str());
        let location = Location::new(&unit.origin.file, span.line, span.column);
        let at = self.at_location(unit.section, &location);
        if span.verbatim {
            let shown = format!("[-{was}-]{{+{replacement}+}}");
            return self.unlocated(unit, &shown);
        }
        let text = self.section_text(unit.section);
        let tag = byte_of(text, span.line, span.column)
            .and_then(|start| {
                let rest = &text[start..];
                let end = rest.find("}}")?;
                rest.starts_with("{{").then(|| rest[..end + 2].to_string())
            })
            .unwrap_or_default();
        let name = tag
            .trim_start_matches("{{")
            .trim_end_matches("}}")
            .trim()
            .to_string();
        let instead = self.instead(&name);
        let change = match (was.is_empty(), replacement.is_empty()) {
            (false, false) => format!("“{was}”改成了“{replacement}”"),
            (false, true) => format!("删去了“{was}”"),
            _ => format!("在旁边加了“{replacement}”"),
        };
        self.list(
            at,
            format!("{change}：这是 {tag} 填入的文字，正文里不改；{instead}"),
        );
    }

    /// What to change for the placeholder `name` to print something else.
    fn instead(&self, name: &str) -> String {
        let built = self.built;
        if let Some(at) = built.data.locate(name) {
            return format!("请改 {at} 的 {name}");
        }
        let (base, attribute) = name.split_once('.').unwrap_or((name, ""));
        match built.indicators.get(base) {
            Some(indicator) => {
                let at = &indicator.location;
                let inputs: Vec<&str> = indicator.inputs.iter().map(|i| i.name.as_str()).collect();
                if matches!(attribute, "结论" | "达到") {
                    format!("这是指标 {base} 的结论：请改 {at} 这个指标的 目标，或它用到的数据")
                } else if inputs.is_empty() {
                    format!("它由 {at} 指标 {base} 的公式算出：请改公式或它用到的数据")
                } else {
                    format!(
                        "它由 {at} 指标 {base} 的公式算出：请改 data.yaml 里的 {}",
                        inputs.join("、")
                    )
                }
            }
            None => "请改 report.yaml 或 data.yaml 里它的值".to_string(),
        }
    }

    fn edit(&mut self, section: usize, start: usize, end: usize, text: String, said: String) {
        let edits = &mut self.edits[section];
        let seq = edits.len();
        if edits.iter().any(|e| start < e.end && e.start < end) {
            if !said.is_empty() {
                self.listed.push((
                    At::Section(section, start, usize::MAX, 0),
                    format!("与同一处的另一处修改重叠，未写入，请手工修改：{said}"),
                ));
            }
            return;
        }
        edits.push(Edit {
            start,
            end,
            text,
            seq,
            merged: Vec::new(),
        });
        if !said.is_empty() {
            self.applied
                .push((At::Section(section, start, seq, 0), format!("改字：{said}")));
        }
    }

    /// The built line `i` (`old`) is not in the .docx; `replaced` when lines were added in
    /// its place.
    fn deleted(
        &mut self,
        units: &[Unit],
        unit_of: &[Option<usize>],
        i: usize,
        old: &str,
        replaced: bool,
    ) {
        let Some(u) = unit_of[i] else {
            if !old.trim().is_empty() {
                let at = At::Fixed(self.fixed_location(unit_of, units, Some(i)));
                self.list(at, format!("删去了不在章节正文里的一行，请手工处理：{old}"));
            }
            return;
        };
        let unit = &units[u];
        let at = self.at_location(unit.section, &unit.origin);
        if unit.table {
            return self.list(at, format!("表格里删去的一行请手工删去：{old}"));
        }
        if let Some(reason) = self.writable[unit.section] {
            self.held[unit.section] = true;
            return self.list(at, format!("{reason}，删去这一段未写入：{old}"));
        }
        // A paragraph with figures filled in, rewritten so far that it is not recognised:
        // deleting it would lose its placeholders to the new paragraph's typed figures.
        if replaced && unit.spans.iter().any(|s| !s.verbatim) {
            self.kept += 1;
            return self.list(
                at,
                format!(
                    "这一段在审核稿里改写了（改写后的一段已加在它后面），它有占位符填入的数字，所以原段保留：请对照后删去一段，需要时把数字改回占位符。原段：{}",
                    shortened(old)
                ),
            );
        }
        let text = self.section_text(unit.section).to_string();
        let lines = unit.spans.iter().map(|s| s.line).chain([unit.origin.line]);
        let (first, last) = (
            lines.clone().min().unwrap_or(unit.origin.line),
            lines.max().unwrap_or(unit.origin.line),
        );
        let (Some(start), Some(end)) = (byte_of(&text, first, 1), line_end(&text, last)) else {
            return self.unlocated(unit, &format!("[-{old}-]"));
        };
        if text[start..end].contains("{%") {
            return self.list(
                at,
                format!("这一段在条件 {{% if %}} 里，删去未写入，请手工处理：{old}"),
            );
        }
        // The blank line after it goes too, when one is before it (or it starts the body).
        let blank_before = text[..start].ends_with("\n\n")
            || text[..start].ends_with("\n\r\n")
            || text[..start].ends_with("---\n");
        let after = &text[end..];
        let blank_after = after.starts_with('\n') || after.starts_with("\r\n");
        let end = if blank_before && blank_after {
            end + if after.starts_with('\n') { 1 } else { 2 }
        } else {
            end
        };
        if self.edits[unit.section]
            .iter()
            .any(|e| start < e.end && e.start < end)
        {
            return self.list(at, format!("与同一处的另一处修改重叠，未写入：{old}"));
        }
        let seq = self.edits[unit.section].len();
        self.edits[unit.section].push(Edit {
            start,
            end,
            text: String::new(),
            seq,
            merged: Vec::new(),
        });
        self.applied.push((
            At::Section(unit.section, start, seq, 0),
            format!("删去一段：“{}”", shortened(old)),
        ));
        self.deleted += 1;
    }

    fn inserted(
        &mut self,
        (units, unit_of, built_lines): (&[Unit], &[Option<usize>], &[String]),
        previous_old: Option<usize>,
        new: &str,
    ) {
        if new.trim().is_empty() {
            return;
        }
        let previous = previous_old.and_then(|i| unit_of[..=i].iter().rev().find_map(|u| *u));
        let from = previous_old.map_or(0, |i| i + 1);
        let next = unit_of[from..].iter().position(Option::is_some);
        // Before the first section's text only when nothing printed stands between (the
        // title, a label): a paragraph above the title has no place in any section.
        let next = next.filter(|&n| {
            built_lines[from..from + n]
                .iter()
                .all(|l| l.trim().is_empty())
        });
        let next = next.and_then(|n| unit_of[from + n]);
        let (anchor, after) = match (previous, next) {
            (Some(u), _) => (u, true),
            (None, Some(u)) => (u, false),
            (None, None) => {
                let at = At::Fixed(self.fixed_location(unit_of, units, previous_old));
                return self.list(at, format!("加在正文之外的一段，请手工处理：{new}"));
            }
        };
        let unit = &units[anchor];
        let at = self.at_location(unit.section, &unit.origin);
        let next_is_table = unit_of[from..]
            .iter()
            .find_map(|u| *u)
            .is_some_and(|n| units[n].table);
        if unit.table && next_is_table {
            return self.list(at, format!("表格里加的一行请手工加到表格中：{new}"));
        }
        if let Some(reason) = self.writable[unit.section] {
            self.held[unit.section] = true;
            return self.list(at, format!("{reason}，加的这一段未写入：{new}"));
        }
        let text = self.section_text(unit.section).to_string();
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let paragraph = escape(new, true);
        let position = if after {
            let last = unit
                .spans
                .iter()
                .map(|s| s.line)
                .chain([unit.origin.line])
                .max()
                .unwrap_or(unit.origin.line);
            let last = if unit.table {
                table_end(&text, unit.origin.line)
            } else {
                last
            };
            line_end(&text, last).map(|end| {
                let lead = if text[..end].ends_with('\n') {
                    ""
                } else {
                    newline
                };
                let rest = &text[end..];
                let trail = if rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n")
                {
                    ""
                } else {
                    newline
                };
                (end, format!("{lead}{newline}{paragraph}{newline}{trail}"))
            })
        } else {
            byte_of(&text, unit.origin.line, 1)
                .map(|start| (start, format!("{paragraph}{newline}{newline}")))
        };
        let Some((byte, inserted)) = position else {
            return self.unlocated(unit, &format!("{{+{new}+}}"));
        };
        // After a paragraph deleted with the blank line that followed it: the new one takes
        // its place.
        let edits = &mut self.edits[unit.section];
        if let Some(deleted) = edits.iter_mut().find(|e| e.start < byte && byte < e.end) {
            let removed = &text[deleted.start..deleted.end];
            let blank = if removed.ends_with("\n\n") || removed.ends_with("\n\r\n") {
                newline
            } else {
                ""
            };
            let separator = format!("{newline}{newline}");
            let lead = match deleted.merged.is_empty() {
                true => 0,
                false => deleted.merged.join(&separator).len() + separator.len(),
            };
            deleted.merged.push(paragraph);
            deleted.text = format!("{}{newline}{blank}", deleted.merged.join(&separator));
            let (start, seq) = (deleted.start, deleted.seq);
            self.applied.push((
                At::Section(unit.section, start, seq, lead),
                format!("加了一段：“{}”", shortened(new)),
            ));
            return;
        }
        let seq = self.edits[unit.section].len();
        let lead = inserted.len() - inserted.trim_start_matches(['\r', '\n']).len();
        self.edits[unit.section].push(Edit {
            start: byte,
            end: byte,
            text: inserted,
            seq,
            merged: Vec::new(),
        });
        self.applied.push((
            At::Section(unit.section, byte, seq, lead),
            format!("加了一段：“{}”", shortened(new)),
        ));
    }

    /// The new texts, and every place said where it is once they are written.
    fn finish(mut self, stale: Vec<String>, edited: &Edited) -> Plan {
        let sections = &self.built.sources.sections;
        // A section changed since is said when a change in it was held back.
        let stale = stale
            .into_iter()
            .filter(
                |name| match sections.iter().position(|s| file_name(&s.path) == *name) {
                    Some(k) => self.held[k],
                    None => true,
                },
            )
            .collect();
        let mut files = Vec::new();
        let mut results: Vec<String> = Vec::new();
        for (k, edits) in self.edits.iter_mut().enumerate() {
            edits.sort_by_key(|e| (e.start, e.seq));
            let text = &sections[k].text;
            let mut out = String::with_capacity(text.len());
            let mut at = 0;
            for edit in edits.iter() {
                // Edits never overlap (each is checked as it is made); one that did is left out.
                if edit.start < at {
                    continue;
                }
                out.push_str(&text[at..edit.start]);
                out.push_str(&edit.text);
                at = edit.end;
            }
            out.push_str(&text[at..]);
            if !edits.is_empty() && out != *text {
                files.push((sections[k].path.clone(), out.clone()));
            }
            results.push(out);
        }
        let edits = &self.edits;
        let say = |(at, message): (At, String)| -> Item {
            let now = match &at {
                At::Fixed(location) => location.clone(),
                At::Section(k, byte, _, _) => {
                    let (line, column) =
                        crate::diag::LineIndex::new(&sections[*k].text, 1).position(*byte);
                    Location::new(&sections[*k].path, line, column)
                }
            };
            let location = match at {
                At::Fixed(location) => location,
                At::Section(k, byte, seq, lead) => {
                    // Where the byte is after the edits before it (at the same byte, those
                    // made before it).
                    let shift: isize = edits[k]
                        .iter()
                        .filter(|e| e.end <= byte && (e.start < byte || e.seq < seq))
                        .map(|e| e.text.len() as isize - (e.end - e.start) as isize)
                        .sum();
                    let moved = byte.checked_add_signed(shift).unwrap_or(byte) + lead;
                    let text = &results[k];
                    let moved = moved.min(text.len());
                    let moved = (0..=moved)
                        .rev()
                        .find(|&b| text.is_char_boundary(b))
                        .unwrap_or(0);
                    let (line, column) = crate::diag::LineIndex::new(text, 1).position(moved);
                    Location::new(&sections[k].path, line, column)
                }
            };
            Item {
                location,
                now,
                message,
            }
        };
        let applied = std::mem::take(&mut self.applied);
        let listed = std::mem::take(&mut self.listed);
        let comments = std::mem::take(&mut self.comments);
        let sorted = |items: Vec<(At, String)>| {
            let mut items: Vec<Item> = items.into_iter().map(say).collect();
            items.sort_by(|a, b| {
                (&a.location.file, a.location.line, a.location.column).cmp(&(
                    &b.location.file,
                    b.location.line,
                    b.location.column,
                ))
            });
            items
        };
        Plan {
            files,
            applied: sorted(applied),
            listed: sorted(listed),
            comments: sorted(comments),
            stale,
            insertions: edited.insertions,
            deletions: edited.deletions,
            deleted_paragraphs: self.deleted,
            kept_paragraphs: self.kept,
        }
    }
}

/// Text typed in Word as Markdown reads it literally (template syntax quoted). The two
/// characters import uses to carry placeholders are dropped: typed in Word they are no
/// placeholder.
fn escape(text: &str, line_start: bool) -> String {
    let text: String = text.chars().filter(|&c| c != OPEN && c != CLOSE).collect();
    markdown::escape(&text, line_start)
}

/// The most characters of a paragraph or comment an item shows.
const SHOWN: usize = 40;

/// `text`, cut after [`SHOWN`] characters.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The file name of a path, as a fingerprint names it.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The printed lines the document's headings, paragraphs and tables make, with their maps.
fn units(built: &Built) -> Vec<Unit> {
    let sections = &built.sources.sections;
    let section_of = |origin: &Location| sections.iter().position(|s| s.path == origin.file);
    let mut out = Vec::new();
    for block in &built.document.blocks {
        match block {
            Block::Heading(h) => {
                if let Some(section) = section_of(&h.origin) {
                    out.push(Unit {
                        section,
                        prefix: h.number.chars().count(),
                        text: printed(&h.content),
                        origin: h.origin.clone(),
                        spans: h.spans.clone(),
                        table: false,
                    });
                }
            }
            Block::Paragraph(p) => {
                if let Some(section) = section_of(&p.origin) {
                    let marker = p.item.as_ref().map_or("", |item| item.marker.as_str());
                    let inlines: Vec<Inline> = p.lead.iter().chain(&p.content).cloned().collect();
                    out.push(Unit {
                        section,
                        prefix: marker.chars().count(),
                        text: printed(&inlines),
                        origin: p.origin.clone(),
                        spans: p.spans.clone(),
                        table: false,
                    });
                }
            }
            Block::Table(t) => {
                let Some(section) = section_of(&t.origin) else {
                    continue;
                };
                let lines = t
                    .title
                    .iter()
                    .chain(&t.unit)
                    .map(|inlines| printed(inlines))
                    .chain(std::iter::once(&t.header).chain(&t.rows).map(|row| {
                        let cells: Vec<String> = row.iter().map(|cell| printed(cell)).collect();
                        format!("| {} |", cells.join(" | "))
                    }));
                for text in lines {
                    out.push(Unit {
                        section,
                        prefix: 0,
                        text,
                        origin: t.origin.clone(),
                        spans: Vec::new(),
                        table: true,
                    });
                }
            }
        }
    }
    out
}

/// For each footnote, in the order the document cites them, where the block citing it starts.
fn citing_blocks(built: &Built) -> Vec<Location> {
    let count = |inlines: &[Inline]| {
        inlines
            .iter()
            .filter(|i| matches!(i, Inline::Footnote(_)))
            .count()
    };
    let mut out = Vec::new();
    for block in &built.document.blocks {
        let (origin, notes) = match block {
            Block::Heading(h) => (&h.origin, count(&h.content)),
            Block::Paragraph(p) => (&p.origin, count(&p.lead) + count(&p.content)),
            Block::Table(t) => {
                let cells = t.title.iter().chain(&t.unit).chain(&t.header);
                let rows = t.rows.iter().flatten();
                (&t.origin, cells.chain(rows).map(|c| count(c)).sum())
            }
        };
        out.extend(std::iter::repeat_n(origin.clone(), notes));
    }
    out
}

/// Inline text as the .docx prints it: footnotes stand elsewhere, a line break is a space.
fn printed(inlines: &[Inline]) -> String {
    plain_text(inlines).replace('\n', " ")
}

/// How far past the last line matched a unit's line is looked for: between two units stand
/// only a few lines no section made (the title, labels).
const MATCH_WINDOW: usize = 64;

/// For each built line, the unit that printed it: units in order, each at the first line
/// after the last one that reads as it does (with its number or marker). Lines between are
/// the title, labels and anything else no section's text stands behind.
fn match_lines(lines: &[String], units: &[Unit]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    let mut from = 0;
    for (u, unit) in units.iter().enumerate() {
        let found = (from..lines.len().min(from + MATCH_WINDOW)).find(|&i| {
            let line = &lines[i];
            let prefix: usize = line.chars().take(unit.prefix).map(char::len_utf8).sum();
            line.get(prefix..) == Some(unit.text.as_str())
        });
        if let Some(i) = found {
            out[i] = Some(u);
            from = i + 1;
        }
    }
    out
}

/// The changed runs of word ops, old and new ranges, two changes with one word or mark
/// between them taken as one: 减少 → 压减 is one change, not 压 added and 少 taken away.
fn changed_words(ops: &[DiffOp]) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut out: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    let mut gap: Option<usize> = None;
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { len, .. } = op {
            gap = Some(*len);
            continue;
        }
        match out.last_mut() {
            Some(last) if gap.is_some_and(|len| len <= 1) => {
                last.0.end = old.end;
                last.1.end = new.end;
            }
            _ => out.push((old, new)),
        }
        gap = None;
    }
    out
}

/// How a built line relates to an edited one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Same(usize, usize),
    Changed(usize, usize),
    Deleted(usize),
    /// Deleted where lines were also added: perhaps rewritten past recognition.
    Replaced(usize),
    Inserted(usize),
}

/// The changes of line ops. In a replaced run an old line is paired with the next new line
/// at least half like it (by words in common), the new lines passed over are insertions and
/// an old line with no such partner is a deletion: a paragraph deleted beside one edited is
/// not taken for a rewrite of it.
fn paired(ops: &[DiffOp], old: &[String], new: &[String]) -> Vec<Change> {
    let mut out = Vec::new();
    for op in ops {
        let (olds, news) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            out.extend(olds.zip(news).map(|(i, j)| Change::Same(i, j)));
            continue;
        }
        let start = out.len();
        let mut next = news.start;
        for i in olds {
            let window = next..news.end.min(next + PAIRING_WINDOW);
            match window.into_iter().find(|&j| alike(&old[i], &new[j])) {
                Some(j) => {
                    out.extend((next..j).map(Change::Inserted));
                    out.push(Change::Changed(i, j));
                    next = j + 1;
                }
                None => out.push(Change::Deleted(i)),
            }
        }
        out.extend((next..news.end).map(Change::Inserted));
        if out[start..]
            .iter()
            .any(|c| matches!(c, Change::Inserted(_)))
        {
            for change in &mut out[start..] {
                if let Change::Deleted(i) = *change {
                    *change = Change::Replaced(i);
                }
            }
        }
    }
    out
}

/// How many new lines an old line of a replaced run looks ahead for its partner: a bound, so
/// that a .docx rewritten throughout costs linear time.
const PAIRING_WINDOW: usize = 16;

/// Whether two lines share at least half their words.
fn alike(a: &str, b: &str) -> bool {
    let (x, y) = (tokens(a), tokens(b));
    let common: usize = bounded_ops(&x, &y)
        .iter()
        .filter_map(|op| match op {
            DiffOp::Equal { len, .. } => Some(*len),
            _ => None,
        })
        .sum();
    common * 2 >= x.len().max(y.len()) && common > 0
}

/// The character of `old` that character `at` of `new` stands for.
fn old_offset(old: &str, new: &str, at: usize) -> usize {
    if old == new {
        return at;
    }
    let (a, b) = (tokens(old), tokens(new));
    let (mut old_chars, mut new_chars) = (0, 0);
    for op in bounded_ops(&a, &b) {
        let old_len: usize = a[op.old_range()].iter().map(|w| w.chars().count()).sum();
        let new_len: usize = b[op.new_range()].iter().map(|w| w.chars().count()).sum();
        if at < new_chars + new_len {
            return match op {
                DiffOp::Equal { .. } => old_chars + (at - new_chars),
                _ => old_chars,
            };
        }
        old_chars += old_len;
        new_chars += new_len;
    }
    old_chars
}

/// Whether bytes `start..end` of a source text have an emphasis or code mark right before
/// or right after them.
fn beside_markup(text: &str, start: usize, end: usize) -> bool {
    let marks = ['*', '_', '~', '`'];
    text[..start].ends_with(marks) || text[end..].starts_with(marks)
}

/// The lines that hold text, and where each stands among all.
fn non_empty(lines: &[String]) -> (Vec<String>, Vec<usize>) {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (line.clone(), i))
        .unzip()
}

/// The byte of a text at a line and column (both from 1, the column in characters).
fn byte_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .map(|(i, _)| i)
        .chain([rest.len()])
        .nth(column.checked_sub(1)?)?;
    Some(start + within)
}

/// The byte after line `line`'s line ending (the text's end for its last line).
fn line_end(text: &str, line: usize) -> Option<usize> {
    let start = byte_of(text, line, 1)?;
    Some(
        text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1),
    )
}

/// The last line of the table that starts on `line`: the lines after it up to a blank one.
fn table_end(text: &str, line: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut last = line;
    while lines.get(last).is_some_and(|l| !l.trim().is_empty()) {
        last += 1;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_paragraph_deleted_beside_one_edited_is_a_deletion_not_a_rewrite() {
        let old = lines(&["甲乙丙丁戊己", "庚辛壬癸子丑"]);
        let new = lines(&["庚辛壬癸子丑寅"]);
        let ops = bounded_ops(&old, &new);
        assert_eq!(
            paired(&ops, &old, &new),
            [Change::Deleted(0), Change::Changed(1, 0)]
        );
        let new = lines(&["完全不同的一段", "庚辛壬癸子丑"]);
        let ops = bounded_ops(&old, &new);
        assert_eq!(
            paired(&ops, &old, &new),
            [Change::Replaced(0), Change::Inserted(0), Change::Same(1, 1)]
        );
    }

    #[test]
    fn places_are_found_by_line_and_column_in_characters() {
        let text = "---\norder: 1\n---\n\n# 标题\r\n正文第二行";
        assert_eq!(byte_of(text, 5, 3), Some(text.find("标题").unwrap()));
        assert_eq!(byte_of(text, 6, 1), Some(text.find("正文").unwrap()));
        assert_eq!(byte_of(text, 6, 6), Some(text.len()));
        assert_eq!(byte_of(text, 6, 7), None);
        assert_eq!(byte_of(text, 9, 1), None);
        assert_eq!(line_end(text, 5), Some(text.find("正文").unwrap()));
        assert_eq!(line_end(text, 6), Some(text.len()));
    }

    #[test]
    fn a_character_of_the_edited_line_maps_to_the_built_one() {
        assert_eq!(old_offset("甲乙丙丁", "甲乙丙丁", 2), 2);
        // Two characters inserted before: what follows moves back by two.
        assert_eq!(old_offset("甲乙丙丁", "甲新字乙丙丁", 4), 2);
        assert_eq!(old_offset("甲乙丙丁", "甲新字乙丙丁", 1), 1);
    }

    use proptest::prelude::*;

    use crate::document::report::{self, Options};
    use crate::input::source::{self, ReportSources};

    /// An edit made to the text of a .docx: a line deleted or added, characters replaced.
    #[derive(Debug, Clone)]
    enum Mutation {
        Delete(usize),
        Insert(usize, String),
        Replace(usize, usize, usize, String),
    }

    fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
        let text = || proptest::string::string_regex("[甲乙。，*#{}%0-9a]{0,6}").unwrap();
        let mutation = prop_oneof![
            any::<usize>().prop_map(Mutation::Delete),
            (any::<usize>(), text()).prop_map(|(i, t)| Mutation::Insert(i, t)),
            (any::<usize>(), any::<usize>(), 0..4usize, text())
                .prop_map(|(i, at, n, t)| Mutation::Replace(i, at, n, t)),
        ];
        proptest::collection::vec(mutation, 1..6)
    }

    fn mutated(lines: &[String], mutations: &[Mutation]) -> Vec<String> {
        let mut lines = lines.to_vec();
        for mutation in mutations {
            let len = lines.len().max(1);
            match mutation {
                Mutation::Delete(i) if !lines.is_empty() => {
                    lines.remove(i % len);
                }
                Mutation::Delete(_) => {}
                Mutation::Insert(i, text) => lines.insert(i % (lines.len() + 1), text.clone()),
                Mutation::Replace(i, at, n, text) => {
                    if let Some(line) = lines.get_mut(i % len) {
                        let chars: Vec<char> = line.chars().collect();
                        let at = at % (chars.len() + 1);
                        let end = (at + n).min(chars.len());
                        *line = chars[..at]
                            .iter()
                            .chain(text.chars().collect::<Vec<_>>().iter())
                            .chain(&chars[end..])
                            .collect();
                    }
                }
            }
        }
        lines
    }

    /// The lines and footnotes of the report .docx `built` renders.
    fn printed(built: &Built) -> (Vec<String>, Vec<String>) {
        let files =
            crate::render::outputs(built, Path::new("a.docx"), crate::render::Extras::default())
                .unwrap();
        let read = edited::read(&files[0].bytes, Path::new("a.docx")).unwrap();
        (read.lines, read.footnotes)
    }

    /// The sample, built and printed once for every case.
    fn sample() -> &'static (ReportSources, Built, Vec<String>, Vec<String>) {
        static SAMPLE: std::sync::OnceLock<(ReportSources, Built, Vec<String>, Vec<String>)> =
            std::sync::OnceLock::new();
        SAMPLE.get_or_init(|| {
            let sources = source::load(Path::new("content")).unwrap();
            let built = report::from_sources(&sources, &Options::default()).unwrap();
            let (lines, notes) = printed(&built);
            (sources, built, lines, notes)
        })
    }

    fn written(sources: &ReportSources, plan: &Plan) -> ReportSources {
        let mut sources = sources.clone();
        for (path, text) in &plan.files {
            let section = sources.sections.iter_mut().find(|s| s.path == *path);
            section.unwrap().text = text.clone();
        }
        sources
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, ..ProptestConfig::default() })]
        /// Whatever the reviewer did to the text, absorbing it never fails, what it writes
        /// builds, and absorbing it once more finds nothing more to write (but the deletion
        /// of a paragraph kept beside its rewritten form).
        #[test]
        fn any_edit_absorbs_into_sources_that_build_and_absorbs_once(mutations in mutations()) {
            let (sources, built, lines, notes) = sample();
            let edited = Edited {
                lines: mutated(lines, &mutations),
                footnotes: notes.clone(),
                ..Edited::default()
            };
            let first = plan(built, lines, notes, &edited, &sources.fingerprint());
            let sources = written(sources, &first);
            let rebuilt = report::from_sources(&sources, &Options::default());
            prop_assert!(rebuilt.is_ok(), "{:?}", rebuilt.err());
            let rebuilt = rebuilt.unwrap();
            let (lines, notes) = printed(&rebuilt);
            let again = plan(&rebuilt, &lines, &notes, &edited, &sources.fingerprint());
            // Only a paragraph kept because it was rewritten past recognition is left to
            // delete, now that its rewritten form stands beside it.
            prop_assert!(
                again.applied.len() == again.deleted_paragraphs
                    && again.deleted_paragraphs <= first.kept_paragraphs,
                "{:?}\nafter {:?}",
                again.applied,
                first.applied
            );
        }
    }

    #[test]
    fn text_typed_in_word_is_literal_markdown() {
        assert_eq!(
            escape("{{ 年度 }}*加粗*", true),
            "{{ \"{\" }}\\{ 年度 \\}\\}\\*加粗\\*"
        );
        assert_eq!(escape("\u{E000}年度\u{E001}", false), "年度");
    }
}
