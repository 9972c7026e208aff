//! `gongwen serve`: the page a writer opens in a browser (the sample's text with its numbered
//! headings, the 自评表, each figure's source, each finding at its place), refreshed after a
//! save; nothing but the page is served, and bad requests do not stop it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `gongwen serve`, its output collected as it comes; killed when dropped.
struct Serving {
    child: Child,
    said: Arc<Mutex<String>>,
    address: String,
}

impl Serving {
    fn start(dir: &Path) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["serve", dir.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gongwen serve");
        let said = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let said = Arc::clone(&said);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    said.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        let mut serving = Serving {
            child,
            said,
            address: String::new(),
        };
        let url = serving.wait_for("the address", |said| {
            let line = said.lines().find(|l| l.starts_with("预览地址：http://"))?;
            Some(
                line["预览地址：http://".len()..]
                    .trim_end_matches('/')
                    .to_string(),
            )
        });
        assert!(url.starts_with("127.0.0.1:"), "bound to {url}");
        serving.address = url;
        serving
    }

    fn said(&self) -> String {
        self.said.lock().unwrap().clone()
    }

    /// Waits until `found` finds something in what the server said, or fails with it.
    fn wait_for<T>(&mut self, what: &str, found: impl Fn(&str) -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = found(&self.said()) {
                return value;
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "serve stopped: {}",
                self.said()
            );
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no {what}: {}",
                self.said()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `request` as it is and returns the status code and the body.
    fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8(answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String) {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        self.raw(request.as_bytes())
    }

    /// Waits for the version to differ from `old`; the page then.
    fn next_page(&mut self, old: &str) -> String {
        let start = Instant::now();
        loop {
            let (status, version) = self.get("/version");
            assert_eq!(status, 200);
            if version != old {
                return self.get("/").1;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the version stayed {old}: {}",
                self.said()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::repo().join("content")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The line of `file` that holds `text`, from 1.
fn line_of(file: &Path, text: &str) -> usize {
    let content = std::fs::read_to_string(file).unwrap();
    content.lines().position(|l| l.contains(text)).unwrap() + 1
}

#[test]
fn the_page_shows_the_sample_with_its_sources_and_follows_each_save() {
    let dir = sample();
    let mut server = Serving::start(dir.path());
    let (status, page) = server.get("/");
    assert_eq!(status, 200, "{}", server.said());
    for text in [
        "一、基本情况",
        "二、部门自评工作开展情况",
        "（一）成立部门自评小组",
        "2023年度部门整体绩效自评表",
        "部门名称",
    ] {
        assert!(page.contains(text), "no {text} in the page");
    }
    // A figure from data.yaml names its line; an indicator its formula and inputs.
    let line = line_of(&dir.path().join("data.yaml"), "年初预算数:");
    let named = format!("data.yaml:{line} 预算.年初预算数");
    let source = format!("data-source=\"{named}\" title=\"{named}\">3369.82<");
    assert!(page.contains(&source), "no {source}");
    let formula = page
        .split("data-source=\"indicators.yaml:")
        .skip(1)
        .map(|source| &source[..source.find('"').unwrap()])
        .find(|source| source.contains(" 预算执行率 = "))
        .expect("预算执行率 with its formula");
    assert!(
        formula.contains("（data.yaml:"),
        "inputs with their lines: {formula}"
    );

    // A save: the new text, and the finding in it marked where it is and listed.
    let (_, version) = server.get("/version");
    let section = dir.path().join("05-下一步拟改进措施.md");
    let mut text = std::fs::read_to_string(&section).unwrap();
    text.push_str("\n这是保存后新增的的一段预览文字。\n");
    std::fs::write(&section, text).unwrap();
    let page = server.next_page(&version);
    assert!(page.contains("这是保存后新增"), "the new text is not shown");
    let id = page
        .split("<li id=\"")
        .skip(1)
        .find(|item| item.contains("W005"))
        .map(|item| item[..item.find('"').unwrap()].to_string())
        .expect("W005 listed");
    let mark = format!("data-diagnostics=\"{id}\">的的<");
    assert!(page.contains(&mark), "W005 not marked: no {mark}");

    // A broken data.yaml: the last good pages stay, with the error beside them.
    let (_, version) = server.get("/version");
    let data = dir.path().join("data.yaml");
    std::fs::write(&data, "预算: [\n").unwrap();
    let page = server.next_page(&version);
    assert!(
        page.contains("这是保存后新增"),
        "the last good pages are gone"
    );
    assert!(page.contains("class=\"stale\""));
    assert!(page.contains("data.yaml:"), "the error is not listed");
}

#[test]
fn only_the_page_is_served_and_bad_requests_do_not_stop_it() {
    let dir = sample();
    let server = Serving::start(dir.path());
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/",
        "/%2E%2E%2FCargo.toml",
        "/data.yaml",
        "/01-基本情况.md",
        "//etc/passwd",
        "/version/../data.yaml",
        "/preview.js/../data.yaml",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("找不到"), "{path}: {body}");
    }
    // The page's one script is a file of the server's: the page runs no inline script.
    let (status, script) = server.get("/preview.js");
    assert_eq!(status, 200);
    assert!(script.contains("/version"), "{script}");
    let (_, page) = server.get("/");
    assert!(page.contains("<script src=\"/preview.js\"></script>"));
    assert_eq!(page.matches("<script").count(), 1, "no inline script");
    let (status, _) = server.raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(status, 405);
    let (status, _) = server.raw(b"GET / HTTP/1.1\r\nHost: evil.example:80\r\n\r\n");
    assert_eq!(status, 403, "another host name is refused");

    // Garbage, binary, and a header that never ends: each connection is dropped.
    for garbage in [
        b"\x00\xff\xfe garbage \x01\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nX: "
            .iter()
            .chain(&[b'a'; 64 * 1024])
            .copied()
            .collect(),
        vec![b'\n'; 20_000],
    ] {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        // The server may close before all is sent.
        let _ = stream.write_all(&garbage);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(answer.is_empty(), "answered garbage with {answer:?}");
    }
    let (status, version) = server.get("/version");
    assert_eq!((status, version.as_str()), (200, "1"), "{}", server.said());
    let (status, page) = server.get("/?measure");
    assert_eq!(status, 200);
    assert!(page.contains("一、基本情况"));
}

/// The value of `name="…"` in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"));
    let rest = &tag[start + name.len() + 2..];
    &rest[..rest.find('"').unwrap()]
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: make test installs it (make deps)"
)]
fn in_a_browser_the_pages_hold_22_lines_of_28_characters() {
    let dir = sample();
    let server = Serving::start(dir.path());
    let profile = tempfile::tempdir().unwrap();
    let output = common::run(
        Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!("http://{}/?measure", server.address)),
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    let body = dom
        .split("<body")
        .nth(1)
        .unwrap_or_else(|| panic!("no page: {}", common::stderr(&output)));
    let body = &body[..body.find('>').unwrap()];
    // The grid as the browser sets the style's fonts and sizes.
    assert_eq!(attribute(body, "data-measured-characters"), "28");
    assert_eq!(attribute(body, "data-measured-rows"), "22");
    let pages: Vec<&str> = dom
        .split("<section class=\"page")
        .skip(1)
        .map(|page| &page[..page.find('>').unwrap()])
        .collect();
    assert!(pages.len() > 10, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let lines: usize = attribute(page, "data-measured-lines").parse().unwrap();
        // A page ends a line early only where a heading went over with the line after it.
        let last = i + 1 == pages.len();
        assert!(
            lines <= 22 && (last || lines >= 21),
            "page {}: {lines} lines",
            i + 1
        );
        assert_eq!(
            attribute(page, "data-measured-overflowing"),
            "0",
            "page {}",
            i + 1
        );
        assert_eq!(
            attribute(page, "data-measured-fits"),
            "true",
            "page {}",
            i + 1
        );
    }
}

#[test]
fn a_port_in_use_is_said_in_chinese() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = sample();
    let output = common::gongwen(&["serve", dir.path().to_str().unwrap(), "--port", &port]);
    assert!(!output.status.success());
    let said = common::stderr(&output);
    assert!(
        said.contains(&format!(
            "无法在 127.0.0.1:{port} 上启动预览：这个端口已被别的程序占用"
        )),
        "{said}"
    );
    assert!(said.contains("--port"), "{said}");
}

#[test]
fn markup_in_the_report_is_shown_as_text() {
    let dir = sample();
    let report = dir.path().join("report.yaml");
    let text = std::fs::read_to_string(&report).unwrap();
    let unit = text.lines().find(|l| l.starts_with("单位:")).unwrap();
    std::fs::write(
        &report,
        text.replace(unit, "单位: \"葛店<img src=x onerror=alert(1)>办公室\""),
    )
    .unwrap();
    let section = dir.path().join("05-下一步拟改进措施.md");
    let mut body = std::fs::read_to_string(&section).unwrap();
    body.push_str("\n加强<b onmouseover=\"alert(2)\">管理</b>，{{ 单位 }}负责。\n");
    std::fs::write(&section, body).unwrap();
    let server = Serving::start(dir.path());
    let (status, page) = server.get("/");
    assert_eq!(status, 200, "{}", server.said());
    assert!(
        !page.contains("<img"),
        "markup from report.yaml reached the page"
    );
    assert!(
        !page.contains("<b onmouseover"),
        "markup from a section reached the page"
    );
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the unit is not shown"
    );
}
