//! The HTTP side: serves the embedded runtime page and scripts, and upgrades
//! `/repl` to the runtime WebSocket, but only for a request that carries the
//! per-launch token, names one of our own hosts (defeating DNS rebinding) and,
//! when a browser sends an Origin, comes from an allowed origin. Anything else
//! gets 403 and a log line.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tracing::{debug, warn};

use super::Bridge;
use super::assets;
use crate::accept::{Accepted, Acceptor};
use crate::toolchain::main_module::{self, MainModule};

/// Cross-origin isolation, which gives the page SharedArrayBuffer (the control
/// channel: interrupts and read-line). Everything we serve is same-origin.
const ISOLATION_HEADERS: &str =
    "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\n";

/// Our files are for our own page only...
const SAME_ORIGIN_ONLY: &str = "Cross-Origin-Resource-Policy: same-origin\r\n";

/// Request heads larger than this (request line, headers and the blank line
/// that ends them) are refused.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client has to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Patches and reports can be large (big values); bound them all the same.
const MAX_WS_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// Who may attach a runtime.
#[derive(Clone, Debug)]
pub struct Security {
    /// The per-launch secret every runtime must present as `?token=`.
    pub token: String,
    /// `Host` header values we answer to, e.g. `127.0.0.1:7888`.
    pub allowed_hosts: Vec<String>,
    /// Origins a browser runtime may come from (our own page's, plus `--allow-origin`).
    pub allowed_origins: Vec<String>,
}

impl Security {
    /// The defaults for a server bound to `bind:port`: its own names only.
    pub fn for_address(token: String, bind: &str, port: u16, extra_origins: &[String]) -> Security {
        let mut hosts: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|h| format!("{h}:{port}"))
            .collect();
        let bound = if bind.contains(':') {
            format!("[{bind}]:{port}")
        } else {
            format!("{bind}:{port}")
        };
        if !hosts.contains(&bound) {
            hosts.push(bound);
        }
        let mut origins: Vec<String> = hosts.iter().map(|h| format!("http://{h}")).collect();
        origins.extend(
            extra_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_string()),
        );
        Security {
            token,
            allowed_hosts: hosts,
            allowed_origins: origins,
        }
    }

    /// ...or also for an `--allow-origin` page that embeds the runtime scripts
    /// (module scripts are fetched with CORS): the headers that let it.
    fn cross_origin_grant(&self, origin: Option<&str>) -> String {
        match origin {
            Some(origin) if self.allowed_origins.iter().any(|a| a == origin) => format!(
                "Access-Control-Allow-Origin: {origin}\r\nVary: Origin\r\nCross-Origin-Resource-Policy: cross-origin\r\n"
            ),
            _ => SAME_ORIGIN_ONLY.to_string(),
        }
    }

    /// Why a WebSocket upgrade is refused, or `None` if it may proceed.
    fn refusal(&self, head: &RequestHead) -> Option<&'static str> {
        if !head
            .host
            .as_deref()
            .is_some_and(|h| self.allowed_hosts.iter().any(|a| a == h))
        {
            return Some("unexpected Host header");
        }
        if let Some(origin) = &head.origin
            && !self.allowed_origins.iter().any(|a| a == origin)
        {
            return Some("origin not allowed");
        }
        if head.query_param("token") != Some(self.token.as_str()) {
            return Some("missing or wrong token");
        }
        None
    }
}

/// Serves HTTP until `shutdown` turns true.
/// `bundle` is the `--runtime-bundle` (`--compiler jank`), served under `/bundle/`.
/// Connections past `--max-connections` get 503.
pub async fn serve(
    mut acceptor: Acceptor,
    bridge: Bridge,
    security: Security,
    bundle: Option<Arc<MainModule>>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = acceptor.accept() => match accepted {
                Accepted::Admitted(stream, _, permit) => {
                    let (bridge, security) = (bridge.clone(), security.clone());
                    let bundle = bundle.clone();
                    tokio::spawn(async move {
                        handle(stream, bridge, security, bundle).await;
                        drop(permit);
                    });
                }
                Accepted::OverCap(mut stream, _) => {
                    tokio::spawn(async move {
                        let body = b"too many connections (--max-connections)\n";
                        let refused = respond(&mut stream, 503, "text/plain", body);
                        let _ = tokio::time::timeout(HEAD_TIMEOUT, refused).await;
                    });
                }
            },
            _ = shutdown.changed() => return,
        }
    }
}

/// The parts of a request head we act on.
#[derive(Debug, Default)]
struct RequestHead {
    method: String,
    path: String,
    query: String,
    host: Option<String>,
    origin: Option<String>,
    websocket_key: Option<String>,
    upgrade_websocket: bool,
}

impl RequestHead {
    fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

async fn handle(
    mut stream: TcpStream,
    bridge: Bridge,
    security: Security,
    bundle: Option<Arc<MainModule>>,
) {
    let head = match tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(head)) => head,
        Ok(Err(HeadError::TooLarge)) => {
            let body = format!("request head larger than {MAX_HEAD_BYTES} bytes\n");
            let _ = respond(&mut stream, 431, "text/plain", body.as_bytes()).await;
            return;
        }
        Ok(Err(HeadError::Duplicate(name))) => {
            warn!("refused a request with more than one {name} header");
            let body = format!("bad request: more than one {name} header\n");
            let _ = respond(&mut stream, 400, "text/plain", body.as_bytes()).await;
            return;
        }
        _ => {
            let _ = respond(&mut stream, 400, "text/plain", b"bad request\n").await;
            return;
        }
    };
    debug!(method = %head.method, path = %head.path, "HTTP request");
    if head.path == "/repl" {
        upgrade_runtime(stream, head, bridge, &security).await;
        return;
    }
    if head.method != "GET" && head.method != "HEAD" {
        let _ = respond(&mut stream, 405, "text/plain", b"method not allowed\n").await;
        return;
    }
    if let Some(bundle) = bundle.as_deref()
        && head.path.starts_with(main_module::URL_PREFIX)
    {
        return serve_bundle_file(&mut stream, &head, bundle, &security).await;
    }
    match assets::lookup(&head.path) {
        Some(asset) => {
            let cors = security.cross_origin_grant(head.origin.as_deref());
            let body = if head.method == "HEAD" {
                &b""[..]
            } else {
                asset.body.as_bytes()
            };
            let _ = respond_with(&mut stream, 200, asset.content_type, body, &cors).await;
        }
        None => {
            let _ = respond(&mut stream, 404, "text/plain", b"not found\n").await;
        }
    }
}

/// A file of the runtime bundle, or its manifest; read at each request, so a
/// rebuilt bundle is served at the next page load.
async fn serve_bundle_file(
    stream: &mut TcpStream,
    head: &RequestHead,
    bundle: &MainModule,
    security: &Security,
) {
    let found = if head.path == format!("{}manifest.json", main_module::URL_PREFIX) {
        Some((bundle.manifest_json().into_bytes(), "application/json"))
    } else {
        match bundle.file_for(&head.path) {
            Some((path, content_type)) => {
                tokio::fs::read(&path).await.ok().map(|b| (b, content_type))
            }
            None => None,
        }
    };
    let _ = match found {
        Some((body, content_type)) => {
            let cors = security.cross_origin_grant(head.origin.as_deref());
            let body = if head.method == "HEAD" {
                &[][..]
            } else {
                &body[..]
            };
            respond_with(stream, 200, content_type, body, &cors).await
        }
        None => respond(stream, 404, "text/plain", b"not found\n").await,
    };
}

async fn upgrade_runtime(
    mut stream: TcpStream,
    head: RequestHead,
    bridge: Bridge,
    security: &Security,
) {
    let refusal = security
        .refusal(&head)
        .or(match (&head.websocket_key, head.upgrade_websocket) {
            (Some(_), true) => None,
            _ => Some("not a WebSocket upgrade"),
        });
    if let Some(why) = refusal {
        warn!(host = ?head.host, origin = ?head.origin, "refused a runtime connection: {why}");
        let _ = respond(
            &mut stream,
            403,
            "text/plain",
            format!("forbidden: {why}\n").as_bytes(),
        )
        .await;
        return;
    }
    let key = head.websocket_key.unwrap_or_default();
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
        derive_accept_key(key.as_bytes())
    );
    if stream.write_all(response.as_bytes()).await.is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_WS_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_WS_MESSAGE_BYTES));
    let socket = WebSocketStream::from_raw_socket(stream, Role::Server, Some(config)).await;
    bridge.serve_socket(socket).await;
}

/// Why a request head was not taken.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// Not HTTP, or the connection ended first.
    Malformed,
    /// Longer than `MAX_HEAD_BYTES`.
    TooLarge,
    /// A header that decides who may connect (`Host`, `Origin`) came twice:
    /// which copy counts would be a guess, so neither does.
    Duplicate(&'static str),
}

/// Reads and parses the request head, reading no further than `MAX_HEAD_BYTES`.
async fn read_head(stream: &mut TcpStream) -> Result<RequestHead, HeadError> {
    let mut buffer = Vec::with_capacity(1024);
    loop {
        let mut chunk = [0u8; 1024];
        let room = (MAX_HEAD_BYTES - buffer.len()).min(chunk.len());
        let n = stream
            .read(&mut chunk[..room])
            .await
            .map_err(|_| HeadError::Malformed)?;
        if n == 0 {
            return Err(HeadError::Malformed);
        }
        // Only the newly read bytes (and the 3 before them) can complete the end mark.
        let from = buffer.len().saturating_sub(3);
        buffer.extend_from_slice(&chunk[..n]);
        if buffer[from..].windows(4).any(|w| w == b"\r\n\r\n") {
            return parse_head(&buffer);
        }
        if buffer.len() >= MAX_HEAD_BYTES {
            return Err(HeadError::TooLarge);
        }
    }
}

fn parse_head(bytes: &[u8]) -> Result<RequestHead, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    request.parse(bytes).map_err(|_| HeadError::Malformed)?;
    let target = request.path.ok_or(HeadError::Malformed)?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut head = RequestHead {
        method: request.method.ok_or(HeadError::Malformed)?.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        ..RequestHead::default()
    };
    for header in request.headers.iter() {
        let value = String::from_utf8_lossy(header.value).trim().to_string();
        match header.name.to_ascii_lowercase().as_str() {
            "host" => set_once(&mut head.host, value, "Host")?,
            "origin" => set_once(&mut head.origin, value, "Origin")?,
            "sec-websocket-key" => head.websocket_key = Some(value),
            "upgrade" => head.upgrade_websocket = value.eq_ignore_ascii_case("websocket"),
            _ => {}
        }
    }
    Ok(head)
}

fn set_once(slot: &mut Option<String>, value: String, name: &'static str) -> Result<(), HeadError> {
    match slot {
        Some(_) => Err(HeadError::Duplicate(name)),
        None => {
            *slot = Some(value);
            Ok(())
        }
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    respond_with(stream, status, content_type, body, SAME_ORIGIN_ONLY).await
}

/// `respond` with the given resource-sharing headers (each ending in CRLF).
async fn respond_with(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    sharing: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{ISOLATION_HEADERS}{sharing}Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(host: &str, origin: Option<&str>, query: &str) -> RequestHead {
        RequestHead {
            method: "GET".into(),
            path: "/repl".into(),
            query: query.into(),
            host: Some(host.into()),
            origin: origin.map(str::to_string),
            websocket_key: Some("k".into()),
            upgrade_websocket: true,
        }
    }

    #[test]
    fn accepts_only_our_host_origin_and_token() {
        let security = Security::for_address("secret".into(), "127.0.0.1", 7888, &[]);
        let ok = head(
            "127.0.0.1:7888",
            Some("http://127.0.0.1:7888"),
            "token=secret",
        );
        assert_eq!(security.refusal(&ok), None);
        let node = head("localhost:7888", None, "token=secret");
        assert_eq!(security.refusal(&node), None);
        let rebinding = head("evil.example:7888", None, "token=secret");
        assert!(security.refusal(&rebinding).is_some());
        let foreign = head(
            "127.0.0.1:7888",
            Some("http://evil.example"),
            "token=secret",
        );
        assert!(security.refusal(&foreign).is_some());
        let no_token = head("127.0.0.1:7888", Some("http://127.0.0.1:7888"), "");
        assert!(security.refusal(&no_token).is_some());
    }

    #[test]
    fn only_allowed_origins_may_load_the_scripts_cross_origin() {
        let extra = vec!["http://localhost:3000".to_string()];
        let security = Security::for_address("t".into(), "127.0.0.1", 7888, &extra);
        let granted = security.cross_origin_grant(Some("http://localhost:3000"));
        assert!(granted.contains("Access-Control-Allow-Origin: http://localhost:3000\r\n"));
        assert_eq!(
            security.cross_origin_grant(Some("http://evil.example")),
            SAME_ORIGIN_ONLY
        );
        assert_eq!(security.cross_origin_grant(None), SAME_ORIGIN_ONLY);
    }

    #[test]
    fn a_second_host_or_origin_header_is_refused_not_taken() {
        let twice = |header: &str| {
            format!(
                "GET /repl?token=t HTTP/1.1\r\nHost: 127.0.0.1:7888\r\n{header}\r\n{header}\r\n\r\n"
            )
        };
        let hosts = "GET / HTTP/1.1\r\nHost: 127.0.0.1:7888\r\nHost: evil.example\r\n\r\n";
        assert_eq!(
            parse_head(hosts.as_bytes()).unwrap_err(),
            HeadError::Duplicate("Host")
        );
        let origins = twice("Origin: http://127.0.0.1:7888");
        assert_eq!(
            parse_head(origins.as_bytes()).unwrap_err(),
            HeadError::Duplicate("Origin")
        );
        let once = "GET / HTTP/1.1\r\nhost: 127.0.0.1:7888\r\n\r\n";
        assert_eq!(
            parse_head(once.as_bytes()).unwrap().host.as_deref(),
            Some("127.0.0.1:7888")
        );
    }

    #[tokio::test]
    async fn the_head_limit_is_exact() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        // A head of exactly `len` bytes: the request line, one padding header, the end.
        let head_of = |len: usize| {
            let fixed = "GET / HTTP/1.1\r\nX-Pad: \r\n\r\n".len();
            format!(
                "GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n",
                "a".repeat(len - fixed)
            )
        };
        for (len, fits) in [(MAX_HEAD_BYTES, true), (MAX_HEAD_BYTES + 1, false)] {
            let head = head_of(len);
            assert_eq!(head.len(), len);
            let mut client = TcpStream::connect(address).await.unwrap();
            let (mut server, _) = listener.accept().await.unwrap();
            client.write_all(head.as_bytes()).await.unwrap();
            let read = read_head(&mut server).await;
            assert_eq!(read.is_ok(), fits, "a head of {len} bytes");
            if !fits {
                assert_eq!(read.unwrap_err(), HeadError::TooLarge);
            }
        }
    }

    #[test]
    fn allow_origin_adds_an_origin() {
        let extra = vec!["http://localhost:3000/".to_string()];
        let security = Security::for_address("t".into(), "127.0.0.1", 7888, &extra);
        let dev = head("127.0.0.1:7888", Some("http://localhost:3000"), "token=t");
        assert_eq!(security.refusal(&dev), None);
    }
}
