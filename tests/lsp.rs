//! `gongwen lsp` spoken to as an editor speaks to it: over stdin and stdout, with
//! Content-Length frames, on a copy of the sample report edited in memory (never saved).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{Value, json};

/// How long to wait for an answer before the test fails rather than hangs: far beyond any.
const PATIENCE: Duration = Duration::from_secs(300);

/// A running server, its messages read as they come; killed when dropped.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gongwen lsp");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&body.to_string());
    }

    /// Sends a request and returns its response (`result` or `error`), skipping the
    /// notifications that come before it.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&body.to_string());
        self.response(&json!(id))
    }

    fn response(&mut self, id: &Value) -> Value {
        self.wait(&format!("the response to {id}"), |m| {
            m.get("method").is_none() && m["id"] == *id
        })
    }

    /// The next message that `wanted` accepts.
    fn wait(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.messages.recv_timeout(PATIENCE) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(err) => panic!("no {what}: {err}; the server: {:?}", self.child.try_wait()),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A file URI as VS Code writes it: every byte but ASCII letters, digits and `-._~/`
/// percent-encoded (a Chinese name, a drive's colon).
fn uri_of(path: &Path) -> String {
    let text = path.to_str().unwrap().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let mut uri = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// A copy of the sample report in a temporary folder.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// How many UTF-16 code units `text` takes: an editor's columns.
fn utf16(text: &str) -> u64 {
    text.encode_utf16().count() as u64
}

/// The line (from 0) of `text` holding `needle`, and the UTF-16 column where it starts.
fn find(text: &str, needle: &str) -> (u64, u64) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| line.find(needle).map(|at| (i as u64, utf16(&line[..at]))))
        .unwrap_or_else(|| panic!("{needle} is not in the text"))
}

fn position(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn initialized(client: &mut Client, root: &Path) {
    let answer = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri_of(root), "capabilities": {}}),
    );
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{answer}");
    assert_eq!(capabilities["definitionProvider"], true, "{answer}");
    client.notify("initialized", json!({}));
}

const SECTION: &str = "03-部门整体绩效目标完成情况.md";

#[test]
fn an_editor_sees_diagnostics_hovers_completions_and_definitions() {
    let dir = sample();
    let section = dir.path().join(SECTION);
    let uri = uri_of(&section);
    let original = std::fs::read_to_string(&section).unwrap();
    let mut client = Client::start();
    initialized(&mut client, dir.path());

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": original}}),
    );
    let clean = client.diagnostics(&uri);
    assert!(
        clean.iter().all(|d| d["severity"] != 1),
        "the sample has no error: {clean:?}"
    );

    // A wrong figure typed over a placeholder, and a misspelt placeholder after a character
    // outside the BMP (two UTF-16 units, one character).
    let edited = original
        .replace("预算执行率为{{ 预算执行率 }}", "预算执行率为95.12%")
        .replace(
            "预算调整率为{{ 预算调整率 }}",
            "𠮷预算调整率为{{ 预算调正率 }}",
        );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let found = client.diagnostics(&uri);
    let with_code = |code: &str| {
        found
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {found:?}"))
            .clone()
    };
    let wrong_figure = with_code("N002");
    let (line, column) = find(&edited, "95.12%");
    assert_eq!(wrong_figure["range"]["start"], position(line, column));
    assert_eq!(wrong_figure["range"]["end"], position(line, column + 6));
    let message = wrong_figure["message"].as_str().unwrap();
    assert!(
        message.contains("95.12%") && message.contains("90.54%"),
        "{message}"
    );
    assert!(message.contains("{{ 预算执行率 }}"), "the fix: {message}");

    let misspelt = with_code("E005");
    let (line, column) = find(&edited, "预算调正率");
    assert_eq!(misspelt["range"]["start"], position(line, column));
    assert_eq!(misspelt["range"]["end"], position(line, column + 5));
    assert_eq!(misspelt["severity"], 1);
    let message = misspelt["message"].as_str().unwrap();
    assert!(
        message.contains("预算调正率") && message.contains("预算调整率"),
        "{message}"
    );

    // Both fixes are replacements: offered as quick fixes.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": misspelt["range"], "context": {"diagnostics": []}}),
    );
    let edit = &actions["result"][0]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "预算调整率", "{actions}");
    assert_eq!(edit["range"], misspelt["range"]);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": wrong_figure["range"], "context": {"diagnostics": []}}),
    );
    let change = &actions["result"][0]["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["uri"], uri, "{actions}");
    let edit = &change["edits"][0];
    assert_eq!(edit["newText"], "{{ 预算执行率 }}", "{actions}");
    assert_eq!(edit["range"], wrong_figure["range"]);

    // Hover on a placeholder of an indicator: its value, formula and inputs.
    let (line, column) = find(&edited, "（1－预算执行率{{ 预算执行率 }}");
    let column = column + utf16("（1－预算执行率{{ 预");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(line, column)}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    let data = std::fs::read_to_string(dir.path().join("data.yaml")).unwrap();
    let (spent_line, _) = find(&data, "决算支出: 2806.19 万元");
    let spent = format!(
        "预算.决算支出 = 2806.19万元（data.yaml 第 {} 行）",
        spent_line + 1
    );
    for part in [
        "填入：90.54%",
        "公式：`预算.决算支出 / 预算.调整后预算数`",
        &spent,
        "预算.调整后预算数 = 3099.42万元",
        "目标：不低于95%",
        "结论：未达到年初目标",
        "自评表得分：9.05（分值 10）",
    ] {
        assert!(shown.contains(part), "{part} not in the hover: {hover}");
    }

    // Definition of a data figure: its line in data.yaml.
    let (line, column) = find(&edited, "{{ 公用经费.实际支出 }}");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(line, column + 5)}),
    );
    let (data_line, _) = find(&data, "实际支出: 210.18 万元");
    let target = &definition["result"];
    assert_eq!(
        target["uri"],
        uri_of(&dir.path().join("data.yaml")),
        "{definition}"
    );
    assert_eq!(target["range"]["start"]["line"], data_line, "{definition}");

    // Hover on a data.yaml figure: its value and the indicators that use it.
    let (data_line, _) = find(&data, "决算支出:");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri_of(&dir.path().join("data.yaml"))}, "position": position(data_line, 3)}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    for part in ["2806.19万元", "{{ 预算.决算支出 }}", "预算执行率：90.54%"] {
        assert!(shown.contains(part), "{part} not in the hover: {hover}");
    }

    // The outline numbered as the document: 三、 with （一） under it.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let top = &symbols["result"][0];
    assert_eq!(top["name"], "三、部门整体绩效目标完成情况", "{symbols}");
    assert_eq!(top["children"][0]["name"], "（一）运行成本指标完成情况");

    // A half-typed placeholder: an error where it starts, and completions inside it.
    let typing = format!("{edited}\n本年度{{{{ 预算执");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": typing}]}),
    );
    let found = client.diagnostics(&uri);
    let last_line = typing.lines().count() as u64 - 1;
    assert!(
        found
            .iter()
            .any(|d| d["severity"] == 1 && d["range"]["start"]["line"] == last_line),
        "no error on the half-typed line: {found:?}"
    );
    let end = utf16(typing.lines().last().unwrap());
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(last_line, end)}),
    );
    let items = completion["result"].as_array().expect("completion items");
    let item = items
        .iter()
        .find(|i| i["label"] == "预算执行率")
        .unwrap_or_else(|| panic!("预算执行率 not offered: {completion}"));
    assert_eq!(item["detail"], "90.54%");
    assert_eq!(
        item["textEdit"]["range"]["start"],
        position(last_line, end - 3)
    );
    assert!(
        items
            .iter()
            .all(|i| i["label"].as_str().unwrap().starts_with("预算执"))
    );

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn garbage_is_answered_with_errors_and_the_server_goes_on() {
    let dir = sample();
    let mut client = Client::start();

    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "before initialize: {early}");
    initialized(&mut client, dir.path());

    client.send_raw("{这不是 JSON");
    let parse_error = client.response(&Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");

    client.send_raw(r#"{"jsonrpc": "2.0", "id": 7, "params": 3}"#);
    let invalid = client.response(&json!(7));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");

    write!(client.stdin, "Content-Type: 什么\r\n\r\n").unwrap();
    let no_length = client.response(&Value::Null);
    assert_eq!(no_length["error"]["code"], -32700, "{no_length}");

    let unknown = client.request("gongwen/没有这个方法", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let bad_params = client.request("textDocument/hover", json!("不是参数"));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    let message = bad_params["error"]["message"].as_str().unwrap();
    assert!(message.contains("textDocument/hover"), "{message}");

    // Broken YAML in an unsaved data.yaml: an error at its line, not a crash.
    let data = dir.path().join("data.yaml");
    let uri = uri_of(&data);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": "预算:\n  年初预算数: [3369.82\n"}}),
    );
    let found = client.diagnostics(&uri);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "E002" && d["severity"] == 1),
        "{found:?}"
    );

    // Writing data.yaml: where a key goes, the keys the formulas use that it lacks, though
    // the build fails for want of them.
    let data_text = std::fs::read_to_string(&data).unwrap();
    let typing: String = data_text
        .lines()
        .map(|line| {
            if line.contains("决算支出") {
                "  决".to_string()
            } else {
                line.to_string()
            }
        })
        .map(|line| line + "\n")
        .collect();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": typing}]}),
    );
    let (line, _) = find(&typing, "  决");
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(line, 3)}),
    );
    let items = completion["result"].as_array().expect("completion items");
    assert_eq!(items.len(), 1, "{completion}");
    assert_eq!(items[0]["label"], "决算支出");
    assert_eq!(items[0]["textEdit"]["newText"], "决算支出: ");
    assert_eq!(items[0]["textEdit"]["range"]["start"], position(line, 2));

    // data.yaml closed: read from disk again, the report builds.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let section = dir.path().join(SECTION);
    let found = client.diagnostics(&uri_of(&section));
    assert!(found.iter().all(|d| d["code"] != "N002"), "{found:?}");
    // A section changed on disk, not in the editor: told so, the server reads it again.
    let on_disk = std::fs::read_to_string(&section).unwrap();
    let wrong = on_disk.replace("预算执行率为{{ 预算执行率 }}", "预算执行率为95.12%");
    std::fs::write(&section, wrong).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&section), "type": 2}]}),
    );
    let found = client.diagnostics(&uri_of(&section));
    assert!(found.iter().any(|d| d["code"] == "N002"), "{found:?}");

    // Still answering: a hover where nothing is, and a clean shutdown.
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(0, 0)}),
    );
    assert_eq!(nothing["result"], Value::Null, "{nothing}");
    let shutdown = client.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    let after = client.request("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], -32600, "after shutdown: {after}");
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

#[test]
fn exit_without_shutdown_fails() {
    let mut client = Client::start();
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}
