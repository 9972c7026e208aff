//! The Language Server Protocol over a byte stream (stdio): messages framed by
//! `Content-Length`, read here so that a malformed one is answered with a JSON-RPC error and
//! the next is read (lsp-server's own stdio reader stops at the first). The answers come
//! from [`Analysis`]; this module only translates positions and shapes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as ask, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionOptions,
    CompletionParams, CompletionResponse, DiagnosticSeverity, DocumentSymbol, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind,
    NumberOrString, OneOf, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    ServerInfo, SymbolKind, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::diag::{Diagnostic, LineIndex, Location, Severity};
use crate::input::source::{DATA_FILE, MAX_TEXT_BYTES, Overlay};
use crate::lsp::analysis::{self, Analysis};
use crate::lsp::uri;

/// The largest message read: an unsaved section as large as a file may be, escaped.
const MAX_MESSAGE_BYTES: usize = 2 * MAX_TEXT_BYTES as usize;
/// The longest header line: `Content-Length: …` and `Content-Type: …` are far shorter.
const MAX_HEADER_BYTES: u64 = 1024;

/// What the reader hands the server: a message, or the error to answer a malformed one with.
enum Incoming {
    Message(Message),
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
}

/// Serves until `exit` or the end of the input. `Ok(true)` when the client shut the server
/// down before `exit`, as the protocol asks.
pub fn serve(input: impl BufRead + Send + 'static, output: impl Write) -> io::Result<bool> {
    let (sender, receiver) = mpsc::channel();
    // A thread reads ahead, so that a burst of changes is analysed once.
    std::thread::spawn(move || read_all(input, &sender));
    let mut server = Server {
        output,
        overlay: Overlay::default(),
        analyses: BTreeMap::new(),
        published: BTreeMap::new(),
        initialized: false,
        shut_down: false,
    };
    while let Ok(first) = receiver.recv() {
        let mut dirty = BTreeSet::new();
        for incoming in std::iter::once(first).chain(receiver.try_iter()) {
            match incoming {
                Incoming::Malformed { id, code, message } => {
                    server.send_error(id, code, &message)?;
                }
                Incoming::Message(Message::Notification(n)) if n.method == notify::Exit::METHOD => {
                    return Ok(server.shut_down);
                }
                Incoming::Message(message) => {
                    // An answer about a report reads its latest text.
                    if matches!(message, Message::Request(_)) {
                        server.refresh(&mut dirty)?;
                    }
                    server.handle(message, &mut dirty)?;
                }
            }
        }
        server.refresh(&mut dirty)?;
    }
    Ok(false)
}

/// Reads messages until the input ends or the server stops listening.
fn read_all(mut input: impl BufRead, sender: &mpsc::Sender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input) {
            Ok(None) => return,
            Ok(Some(Ok(body))) => parse(&body),
            Ok(Some(Err(message))) => Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message,
            },
            Err(_) => return,
        };
        if sender.send(incoming).is_err() {
            return;
        }
    }
}

/// One message's body; `Ok(None)` at the end of the input, `Some(Err(why))` for a frame
/// that cannot be read (after which the next header is looked for).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length = None;
    let mut bad_header = None;
    let mut any = false;
    loop {
        let mut line = Vec::new();
        input
            .by_ref()
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !any {
                continue;
            }
            break;
        }
        any = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("Content-Length 不是数字：{text}")),
                }
            }
            Some(_) => {}
            None => bad_header = Some("消息头不是“名称: 值”的形式".to_string()),
        }
    }
    let Some(length) = length else {
        let why = bad_header.unwrap_or_else(|| "消息头缺少 Content-Length".to_string());
        return Ok(Some(Err(why)));
    };
    if length > MAX_MESSAGE_BYTES {
        // Skipped whole, so that the next message is read from its start.
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Err(format!(
            "消息过大（{length} 字节，上限 {MAX_MESSAGE_BYTES} 字节）"
        ))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(Ok(body)))
}

/// A body as a message: JSON that is not JSON-RPC is an invalid request, answered with its
/// id when it has one.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("消息不是有效的 JSON：{err}"),
            };
        }
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(err) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("消息不是 JSON-RPC 的请求、通知或回复：{err}"),
        },
    }
}

struct Server<W> {
    output: W,
    overlay: Overlay,
    analyses: BTreeMap<PathBuf, Analysis>,
    /// The files of each report that were last sent diagnostics, to clear them when fixed.
    published: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    initialized: bool,
    shut_down: bool,
}

impl<W: Write> Server<W> {
    fn send(&mut self, message: Message) -> io::Result<()> {
        message.write(&mut self.output)?;
        self.output.flush()
    }

    fn send_error(
        &mut self,
        id: Option<RequestId>,
        code: ErrorCode,
        message: &str,
    ) -> io::Result<()> {
        let id = id.map_or(serde_json::Value::Null, |id| serde_json::json!(id));
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code as i32, "message": message },
        })
        .to_string();
        write!(self.output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.output.flush()
    }

    fn handle(&mut self, message: Message, dirty: &mut BTreeSet<PathBuf>) -> io::Result<()> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => {
                self.notification(notification, dirty);
                Ok(())
            }
            // The server asks the client nothing.
            Message::Response(_) => Ok(()),
        }
    }

    fn request(&mut self, request: Request) -> io::Result<()> {
        let id = request.id.clone();
        if request.method == ask::Initialize::METHOD {
            self.initialized = true;
            return self.send(Response::new_ok(id, capabilities()).into());
        }
        if !self.initialized {
            let message = "请先发送 initialize 请求。".to_string();
            let code = ErrorCode::ServerNotInitialized as i32;
            return self.send(Response::new_err(id, code, message).into());
        }
        if self.shut_down {
            // The protocol: after shutdown, every request but exit is an invalid request.
            let message = "服务器已关闭（shutdown），只等 exit 通知。".to_string();
            let code = ErrorCode::InvalidRequest as i32;
            return self.send(Response::new_err(id, code, message).into());
        }
        let answer = match request.method.as_str() {
            ask::Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            ask::HoverRequest::METHOD => self.answer(request, Self::hover),
            ask::Completion::METHOD => self.answer(request, Self::completion),
            ask::GotoDefinition::METHOD => self.answer(request, Self::definition),
            ask::DocumentSymbolRequest::METHOD => self.answer(request, Self::symbols),
            ask::CodeActionRequest::METHOD => self.answer(request, Self::code_actions),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("gongwen lsp 不支持 {method}。"),
            )),
        };
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into())
    }

    /// The request's parameters as `P`, answered by `f`; parameters of the wrong shape are
    /// an InvalidParams error.
    fn answer<P, R>(
        &self,
        request: Request,
        f: fn(&Self, P) -> R,
    ) -> Result<serde_json::Value, (ErrorCode, String)>
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let params: P = serde_json::from_value(request.params).map_err(|err| {
            let message = format!("{} 的参数不对：{err}", request.method);
            (ErrorCode::InvalidParams, message)
        })?;
        serde_json::to_value(f(self, params))
            .map_err(|err| (ErrorCode::InternalError, err.to_string()))
    }

    fn notification(&mut self, notification: Notification, dirty: &mut BTreeSet<PathBuf>) {
        let method = notification.method.clone();
        let opened = |n: Notification| {
            n.extract::<lsp_types::DidOpenTextDocumentParams>(notify::DidOpenTextDocument::METHOD)
                .ok()
                .map(|p| (p.text_document.uri, Some(p.text_document.text)))
        };
        let changed = |n: Notification| {
            n.extract::<lsp_types::DidChangeTextDocumentParams>(
                notify::DidChangeTextDocument::METHOD,
            )
            .ok()
            .and_then(|p| {
                // Full sync: the last change holds the whole text.
                let text = p.content_changes.into_iter().next_back()?.text;
                Some((p.text_document.uri, Some(text)))
            })
        };
        let closed = |n: Notification| {
            n.extract::<lsp_types::DidCloseTextDocumentParams>(notify::DidCloseTextDocument::METHOD)
                .ok()
                .map(|p| (p.text_document.uri, None))
        };
        let saved = |n: Notification| {
            n.extract::<lsp_types::DidSaveTextDocumentParams>(notify::DidSaveTextDocument::METHOD)
                .ok()
                .map(|p| (p.text_document.uri, None::<String>))
        };
        let update = match method.as_str() {
            notify::DidOpenTextDocument::METHOD => opened(notification),
            notify::DidChangeTextDocument::METHOD => changed(notification),
            notify::DidCloseTextDocument::METHOD => closed(notification),
            notify::DidSaveTextDocument::METHOD => {
                // The text stays the editor's; a save may matter to a report read from disk.
                if let Some((uri, _)) = saved(notification)
                    && let Some(dir) =
                        uri::to_path(&uri).and_then(|p| analysis::report_dir(&p, &self.overlay))
                {
                    dirty.insert(dir);
                }
                None
            }
            notify::DidChangeWatchedFiles::METHOD => {
                // A file changed on disk (another program, a checkout): its report is read
                // again, the texts the editor holds still standing over it.
                let changes = notification
                    .extract::<lsp_types::DidChangeWatchedFilesParams>(
                        notify::DidChangeWatchedFiles::METHOD,
                    )
                    .map(|p| p.changes)
                    .unwrap_or_default();
                for change in changes {
                    if let Some(dir) = uri::to_path(&change.uri)
                        .and_then(|p| analysis::report_dir(&p, &self.overlay))
                    {
                        dirty.insert(dir);
                    }
                }
                None
            }
            // Anything else (initialized, $/cancelRequest, settings) needs nothing.
            _ => None,
        };
        let Some((uri, text)) = update else {
            return;
        };
        let Some(path) = uri::to_path(&uri) else {
            return;
        };
        match text {
            Some(text) => self.overlay.set(path.clone(), text),
            None => self.overlay.remove(&path),
        }
        if let Some(dir) = analysis::report_dir(&path, &self.overlay) {
            dirty.insert(dir);
        }
    }

    /// Analyses the reports whose texts changed and sends their diagnostics.
    fn refresh(&mut self, dirty: &mut BTreeSet<PathBuf>) -> io::Result<()> {
        for dir in std::mem::take(dirty) {
            let analysis = Analysis::run(&dir, &self.overlay);
            let mut by_file: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = analysis
                .files()
                .into_iter()
                .map(|f| (f, Vec::new()))
                .collect();
            let mut files = FileLines::new();
            for d in &analysis.diagnostics {
                let at = analysis::placed(d, &dir);
                let line = self.line_of(&analysis, &mut files, &at);
                let range = range_of(line, &at, d.length as usize);
                by_file
                    .entry(at.file.clone())
                    .or_default()
                    .push(to_lsp_diagnostic(d, range));
            }
            let before = self.published.remove(&dir).unwrap_or_default();
            for gone in before {
                by_file.entry(gone).or_default();
            }
            let mut sent = BTreeSet::new();
            for (file, diagnostics) in by_file {
                let Some(uri) = uri::from_path(&file) else {
                    continue;
                };
                let params = PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version: None,
                };
                let method = notify::PublishDiagnostics::METHOD.to_string();
                self.send(Notification::new(method, params).into())?;
                sent.insert(file);
            }
            self.published.insert(dir.clone(), sent);
            self.analyses.insert(dir, analysis);
        }
        Ok(())
    }

    /// The text of the line a location is on, through `files`: each file's lines found once
    /// for all the diagnostics in it, not by a search through a long file for each of many.
    fn line_of<'t>(
        &'t self,
        analysis: &'t Analysis,
        files: &mut FileLines<'t>,
        at: &Location,
    ) -> Option<String> {
        let text = analysis
            .text(&at.file)
            .or_else(|| self.overlay.get(&at.file))?;
        let lines = files
            .entry(at.file.clone())
            .or_insert_with(|| LineIndex::new(text, 1));
        lines.line(at.line).map(str::to_string)
    }

    /// The text of the line a location is on: as built, else as the editor holds it.
    fn line_text(&self, analysis: &Analysis, at: &Location) -> Option<String> {
        let text = analysis
            .text(&at.file)
            .or_else(|| self.overlay.get(&at.file))?;
        line_of(text, at.line).map(str::to_string)
    }

    /// The analysis of the report a document belongs to, its path and the line's text.
    fn at(&self, uri: &Uri, line: u32) -> Option<(&Analysis, PathBuf, String)> {
        let path = uri::to_path(uri)?;
        let dir = analysis::report_dir(&path, &self.overlay)?;
        let analysis = self.analyses.get(&dir)?;
        let text = analysis.text(&path).or_else(|| self.overlay.get(&path))?;
        let line = line_of(text, line as usize + 1)?.to_string();
        Some((analysis, path, line))
    }

    fn hover(&self, params: HoverParams) -> Option<Hover> {
        let doc = params.text_document_position_params;
        let (analysis, path, line) = self.at(&doc.text_document.uri, doc.position.line)?;
        let (number, column) = position_in(&line, doc.position);
        let (text, range) = match analysis.name_at(&path, number, column) {
            Some(name) => {
                let range = range_of(Some(line.clone()), &name.location, name.length);
                (analysis.describe(&name.name)?, range)
            }
            None => {
                let name = analysis.datum_at(&path, number, column)?;
                let whole = Range::new(
                    Position::new(doc.position.line, 0),
                    Position::new(doc.position.line, utf16_len(&line)),
                );
                (analysis.describe_datum(&name)?, whole)
            }
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(range),
        })
    }

    fn completion(&self, params: CompletionParams) -> Option<CompletionResponse> {
        let doc = params.text_document_position;
        let (analysis, path, line) = self.at(&doc.text_document.uri, doc.position.line)?;
        let (_, column) = position_in(&line, doc.position);
        let before: String = line.chars().take(column - 1).collect();
        if path.file_name() == Some(std::ffi::OsStr::new(DATA_FILE)) {
            return self.data_key_completion(analysis, &path, doc.position, &before);
        }
        let typed = analysis::typing_in_tag(&before)?;
        let start = Position::new(doc.position.line, utf16_len(&before) - utf16_len(typed));
        let replaced = Range::new(start, Position::new(doc.position.line, utf16_len(&before)));
        let items = analysis
            .completions(typed)
            .into_iter()
            .map(|c| CompletionItem {
                label: c.name.clone(),
                kind: Some(if c.name.contains('.') {
                    CompletionItemKind::PROPERTY
                } else {
                    CompletionItemKind::VARIABLE
                }),
                detail: Some(c.detail),
                filter_text: Some(c.name.clone()),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    replaced, c.name,
                ))),
                ..CompletionItem::default()
            })
            .collect();
        Some(CompletionResponse::Array(items))
    }

    /// In data.yaml, where a key goes: the keys the formulas use that it lacks.
    fn data_key_completion(
        &self,
        analysis: &Analysis,
        path: &std::path::Path,
        position: Position,
        before: &str,
    ) -> Option<CompletionResponse> {
        let text = analysis.text(path).or_else(|| self.overlay.get(path))?;
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let (parents, typed) =
            analysis::typing_yaml_key(lines.get(..position.line as usize)?, before)?;
        let start = Position::new(position.line, utf16_len(before) - utf16_len(typed));
        let replaced = Range::new(start, Position::new(position.line, utf16_len(before)));
        let items = analysis
            .data_keys(&parents, typed)
            .into_iter()
            .map(|k| {
                let (kind, text) = if k.group {
                    (CompletionItemKind::MODULE, format!("{}:", k.key))
                } else {
                    (CompletionItemKind::FIELD, format!("{}: ", k.key))
                };
                CompletionItem {
                    label: k.key.clone(),
                    kind: Some(kind),
                    detail: Some(format!("indicators.yaml 的公式用到 {}", k.path)),
                    filter_text: Some(k.key),
                    text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                        replaced, text,
                    ))),
                    ..CompletionItem::default()
                }
            })
            .collect();
        Some(CompletionResponse::Array(items))
    }

    fn definition(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let doc = params.text_document_position_params;
        let (analysis, path, line) = self.at(&doc.text_document.uri, doc.position.line)?;
        let (number, column) = position_in(&line, doc.position);
        let name = analysis.name_at(&path, number, column)?;
        let target = analysis.definition(&name.name)?;
        let range = range_of(self.line_text(analysis, &target), &target, 1);
        let range = Range::new(range.start, range.start);
        Some(GotoDefinitionResponse::Scalar(lsp_types::Location::new(
            uri::from_path(&target.file)?,
            range,
        )))
    }

    fn symbols(&self, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let uri = params.text_document.uri;
        let path = uri::to_path(&uri)?;
        let dir = analysis::report_dir(&path, &self.overlay)?;
        let analysis = self.analyses.get(&dir)?;
        // Each heading goes under the nearest one above it of a higher level.
        let mut stack: Vec<(u8, DocumentSymbol)> = Vec::new();
        let mut top = Vec::new();
        let close = |stack: &mut Vec<(u8, DocumentSymbol)>, top: &mut Vec<DocumentSymbol>| {
            if let Some((_, done)) = stack.pop() {
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
                    None => top.push(done),
                }
            }
        };
        for heading in analysis.outline(&path) {
            let level = heading.level.get();
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                close(&mut stack, &mut top);
            }
            let line = self.line_text(analysis, &heading.location);
            let length = line.as_deref().map_or(1, |l| l.chars().count());
            let start = Location::new(&heading.location.file, heading.location.line, 1);
            let range = range_of(line, &start, length);
            #[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must spell out
            let symbol = DocumentSymbol {
                name: heading.text,
                detail: None,
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range,
                selection_range: range,
                children: None,
            };
            stack.push((level, symbol));
        }
        while !stack.is_empty() {
            close(&mut stack, &mut top);
        }
        Some(DocumentSymbolResponse::Nested(top))
    }

    /// A quick fix for each diagnostic in the range whose fix is a replacement.
    fn code_actions(&self, params: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = params.text_document.uri;
        let path = uri::to_path(&uri)?;
        let dir = analysis::report_dir(&path, &self.overlay)?;
        let analysis = self.analyses.get(&dir)?;
        let mut actions = Vec::new();
        let mut files = FileLines::new();
        for d in &analysis.diagnostics {
            let Some(replacement) = d.replacement() else {
                continue;
            };
            if d.location.file != path {
                continue;
            }
            let range = range_of(
                self.line_of(analysis, &mut files, &d.location),
                &d.location,
                d.length as usize,
            );
            let wanted = params.range;
            if range.end < wanted.start || wanted.end < range.start {
                continue;
            }
            let edit = TextEdit::new(range, replacement.to_string());
            // As document changes: lsp-types keys `changes` by a URI type clippy counts as
            // mutable.
            let changes = lsp_types::DocumentChanges::Edits(vec![lsp_types::TextDocumentEdit {
                text_document: lsp_types::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: None,
                },
                edits: vec![OneOf::Left(edit)],
            }]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: if d.fix().is_empty() {
                    format!("改为“{replacement}”")
                } else {
                    d.fix().to_string()
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp_diagnostic(d, range)]),
                edit: Some(WorkspaceEdit {
                    document_changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        Some(actions)
    }
}

fn capabilities() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["{".into(), " ".into(), ".".into()]),
                ..CompletionOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "gongwen".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}

fn to_lsp_diagnostic(d: &Diagnostic, range: Range) -> lsp_types::Diagnostic {
    let message = if d.fix().is_empty() {
        d.message.clone()
    } else {
        format!("{}\n修改：{}", d.message, d.fix())
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("gongwen".into()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// Line `line` (from 1) of `text`, without its line ending.
fn line_of(text: &str, line: usize) -> Option<&str> {
    let found = text.split('\n').nth(line.checked_sub(1)?)?;
    Some(found.strip_suffix('\r').unwrap_or(found))
}

/// Each file's lines, by file.
type FileLines<'t> = std::collections::HashMap<PathBuf, LineIndex<'t>>;

/// How many UTF-16 code units `text` takes: an editor's unit of columns.
fn utf16_len(text: &str) -> u32 {
    let units: usize = text.chars().map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The editor's range of `length` characters from a location (a whole-file one is the
/// file's start); on its line when the line's text is known, clamped to its end.
fn range_of(line: Option<String>, at: &Location, length: usize) -> Range {
    if at.line == 0 {
        return Range::default();
    }
    let number = u32::try_from(at.line - 1).unwrap_or(u32::MAX);
    let skip = at.column.saturating_sub(1);
    let (start, end) = match line {
        Some(line) => {
            let before: String = line.chars().take(skip).collect();
            let covered: String = line.chars().skip(skip).take(length.max(1)).collect();
            let start = utf16_len(&before);
            (start, start + utf16_len(&covered))
        }
        None => {
            let start = u32::try_from(skip).unwrap_or(u32::MAX);
            (
                start,
                start.saturating_add(u32::try_from(length).unwrap_or(1)),
            )
        }
    };
    Range::new(Position::new(number, start), Position::new(number, end))
}

/// An editor's position on `line` as a line and a column in characters, both from 1. A
/// position inside a surrogate pair or past the line's end stands after the character.
fn position_in(line: &str, position: Position) -> (usize, usize) {
    let mut units = 0;
    let mut column = 1;
    for c in line.chars() {
        if units >= position.character as usize {
            break;
        }
        units += c.len_utf16();
        column += 1;
    }
    (position.line as usize + 1, column)
}

/// Serves the standard streams: what `gongwen lsp` runs.
pub fn serve_stdio() -> io::Result<bool> {
    let input = io::BufReader::new(io::stdin());
    serve(input, io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // "𠀀" is outside the Basic Multilingual Plane: two UTF-16 units, one character.
        let line = "甲𠀀乙 x";
        let at = Location::new("a.md", 3, 3);
        let range = range_of(Some(line.to_string()), &at, 2);
        assert_eq!(range.start, Position::new(2, 3));
        assert_eq!(range.end, Position::new(2, 5));
        assert_eq!(position_in(line, Position::new(2, 3)), (3, 3));
        // Inside the pair: after the character.
        assert_eq!(position_in(line, Position::new(0, 2)), (1, 3));
        assert_eq!(position_in(line, Position::new(0, 99)), (1, 6));
    }

    #[test]
    fn a_frame_without_length_is_an_error_and_the_next_is_read() {
        let mut input: &[u8] = b"Foo: bar\r\n\r\nContent-Length: 2\r\n\r\n{}";
        assert!(matches!(read_frame(&mut input), Ok(Some(Err(_)))));
        assert_eq!(read_frame(&mut input).unwrap().unwrap().unwrap(), b"{}");
        assert!(read_frame(&mut input).unwrap().is_none());
    }
}
