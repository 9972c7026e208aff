//! `gongwen serve [DIR] [--port N]`: the report as pages in a browser, on this computer only
//! (127.0.0.1), rebuilt after each save and refreshed in the page without reloading. No
//! LibreOffice, and nothing written to disk. It serves the page (`/`) and its version
//! (`/version`), which the page polls; every other path is 404.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::{ArgMatches, Command, value_parser};

use gongwen::diag::{Diagnostic, Error, Result};
use gongwen::document::model::Document;
use gongwen::document::provenance;
use gongwen::document::report::{self, Built, Options};
use gongwen::input::style;
use gongwen::render::{grid, html};

use super::check::diagnose;
use super::watch::{next_change, sources};
use super::{one, report_dir, value};

#[derive(Debug)]
pub struct Args {
    pub report_dir: PathBuf,
    pub port: u16,
}

pub fn command() -> Command {
    Command::new("serve")
        .about("在浏览器里按公文版式预览报告和自评表，保存后自动刷新（不需要 LibreOffice）")
        .arg(report_dir())
        .arg(
            value("PORT", "端口（默认由系统选一个空闲端口）")
                .long("port")
                .value_parser(value_parser!(u16)),
        )
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
            port: one(matches, "PORT").unwrap_or(0),
        }
    }
}

/// The largest request read: a browser's GET is well under this; anything longer is dropped.
const MAX_REQUEST: usize = 16 * 1024;

/// Connections served at once; more are dropped (the page asks again).
const MAX_CONNECTIONS: usize = 16;

/// How long a connection may take to send its request or read the answer.
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the server sends: the page of the latest build and its version.
struct Shown {
    version: u64,
    page: Arc<String>,
}

pub fn run(args: &Args) -> Result<()> {
    let dir = &args.report_dir;
    if !dir.is_dir() {
        return Err(Error::MissingReportDir(dir.clone()));
    }
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = TcpListener::bind(address).map_err(|err| {
        let reason = match err.kind() {
            std::io::ErrorKind::AddrInUse => "这个端口已被别的程序占用".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有权限使用这个端口".to_string(),
            _ => err.to_string(),
        };
        Error::Usage(format!(
            "无法在 {address} 上启动预览：{reason}。请换一个端口（--port），或不写 --port，由系统选一个空闲端口。"
        ))
    })?;
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let mut preview = Previewer {
        dir,
        last_good: None,
        version: 0,
    };
    // Taken before the first build: a save while it runs is a change too.
    let mut files = sources(dir);
    let shown = Arc::new(Mutex::new(preview.rebuild()));
    let serving = Arc::clone(&shown);
    std::thread::spawn(move || serve(&listener, port, &serving));
    outln!("预览地址：http://127.0.0.1:{port}/");
    outln!(
        "请在浏览器中打开上面的地址。正在监视 {}：保存文件后页面自动刷新；按 Ctrl+C 结束。",
        dir.display()
    );
    loop {
        let changed = next_change(dir, &mut files, || {});
        if let Some(first) = changed.first() {
            let name = first.strip_prefix(dir).unwrap_or(first).display();
            outln!("\n—— {name} 已修改，重新生成预览 ——");
            let next = preview.rebuild();
            if let Ok(mut shown) = shown.lock() {
                *shown = next;
            }
        }
    }
}

struct Previewer<'a> {
    dir: &'a Path,
    /// The last build that succeeded: shown, with the new error listed, while the sources
    /// cannot be built.
    last_good: Option<Built>,
    version: u64,
}

impl Previewer<'_> {
    /// Builds and checks the report, prints what the check found and renders the page.
    fn rebuild(&mut self) -> Shown {
        let built = report::build(self.dir, &Options::default());
        let diagnosis = diagnose(self.dir, built.as_ref());
        out!("{}", diagnosis.human());
        // A check error is marked in the new pages; a build that failed leaves the last
        // pages that could be built.
        let current = match built {
            Ok(built) => {
                self.last_good = Some(built);
                true
            }
            Err(_) => false,
        };
        self.version += 1;
        let page = match &self.last_good {
            Some(built) => self.page(built, &diagnosis.diagnostics, current),
            None => self.without_build(&diagnosis.diagnostics),
        };
        outln!("预览已更新（第 {} 版）", self.version);
        Shown {
            version: self.version,
            page: Arc::new(page),
        }
    }

    fn page(&self, built: &Built, diagnostics: &[Diagnostic], current: bool) -> String {
        let score_table = built.scores.as_ref().map(|scores| {
            grid::build(
                scores,
                &built.meta,
                built.document.date.as_deref(),
                &built.style.score_table(),
            )
        });
        let figure_source = |at: &gongwen::diag::Location| {
            provenance::figure_source(built, at).map(|source| source.describe(self.dir))
        };
        let faces = built.style_source.fonts().faces();
        html::page(&html::Preview {
            document: &built.document,
            style: &built.style,
            score_table: score_table.as_ref(),
            diagnostics,
            current,
            figure_source: &figure_source,
            root: self.dir,
            version: self.version,
            faces: &faces,
        })
    }

    /// The page before any build has succeeded: the errors beside an empty page.
    fn without_build(&self, diagnostics: &[Diagnostic]) -> String {
        let source = style::Source::Builtin(style::DEFAULT);
        let Ok(layout) = source.load() else {
            return String::new();
        };
        let document = Document {
            attachment: None,
            title: "报告未能生成".to_string(),
            unit: String::new(),
            blocks: Vec::new(),
            date: None,
        };
        html::page(&html::Preview {
            document: &document,
            style: &layout,
            score_table: None,
            diagnostics,
            current: false,
            figure_source: &|_| None,
            root: self.dir,
            version: self.version,
            faces: &source.fonts().faces(),
        })
    }
}

/// Answers each connection on a thread of its own, at most [`MAX_CONNECTIONS`] at once.
fn serve(listener: &TcpListener, port: u16, shown: &Arc<Mutex<Shown>>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            continue;
        }
        let (counted, shown) = (Arc::clone(&open), Arc::clone(shown));
        let spawned = std::thread::Builder::new().spawn(move || {
            answer(stream, port, &shown);
            counted.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    Page,
    Version,
    /// The page's script ([`html::SCRIPT`]).
    Script,
    NotFound,
    /// Not GET or HEAD.
    NotAllowed,
    /// Sent to another host name: a web page elsewhere reaching this server through its own
    /// name (DNS rebinding) is refused.
    WrongHost,
}

/// Reads one request, within [`MAX_REQUEST`] bytes and [`TIMEOUT`], and answers it; a
/// request that is not HTTP, too large or too slow is dropped.
fn answer(mut stream: TcpStream, port: u16, shown: &Mutex<Shown>) {
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let Some((asked, head)) = read_request(&mut stream, port) else {
        return;
    };
    let (status, kind, body) = match asked {
        Asked::Page | Asked::Version => {
            let Ok(shown) = shown.lock() else { return };
            if asked == Asked::Page {
                ("200 OK", "text/html", Arc::clone(&shown.page))
            } else {
                ("200 OK", "text/plain", Arc::new(shown.version.to_string()))
            }
        }
        Asked::Script => (
            "200 OK",
            "text/javascript",
            Arc::new(html::SCRIPT.to_string()),
        ),
        Asked::NotFound => (
            "404 Not Found",
            "text/plain",
            Arc::new("找不到这个地址：预览只有首页 /。".to_string()),
        ),
        Asked::NotAllowed => (
            "405 Method Not Allowed",
            "text/plain",
            Arc::new("预览只接受 GET 请求。".to_string()),
        ),
        Asked::WrongHost => (
            "403 Forbidden",
            "text/plain",
            Arc::new("预览只在本机地址 127.0.0.1 上打开。".to_string()),
        ),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: default-src 'none'; connect-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if !head {
        let _ = stream.write_all(body.as_bytes());
    }
    let _ = stream.flush();
}

/// The request's target and whether it is a HEAD; `None` for what is not a complete HTTP
/// request within the limits.
fn read_request(stream: &mut impl Read, port: u16) -> Option<(Asked, bool)> {
    let mut buffer = vec![0; MAX_REQUEST];
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buffer[filled..]).ok()?;
        if n == 0 {
            return None;
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer[..filled]) {
            Ok(httparse::Status::Complete(_)) => return Some(asked(&request, port)),
            Ok(httparse::Status::Partial) if filled < buffer.len() => {}
            _ => return None,
        }
    }
}

fn asked(request: &httparse::Request, port: u16) -> (Asked, bool) {
    let head = request.method == Some("HEAD");
    if !matches!(request.method, Some("GET" | "HEAD")) {
        return (Asked::NotAllowed, head);
    }
    let host = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| h.value);
    let ours = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if host.is_some_and(|host| !ours.iter().any(|o| o.as_bytes() == host)) {
        return (Asked::WrongHost, head);
    }
    let target = request.path.unwrap_or("");
    // Only these exact paths: `..`, encoded or not, or any file name is not one of them.
    let path = target.split_once('?').map_or(target, |(path, _)| path);
    let asked = match path {
        "/" => Asked::Page,
        "/version" => Asked::Version,
        html::SCRIPT_PATH => Asked::Script,
        _ => Asked::NotFound,
    };
    (asked, head)
}
