//! HTTP/1.1 by hand over a TCP socket, for what an HTTP client library will not do: declare a
//! 60 MB body and send only part of it, stream a chunked body that never ends, and see whether
//! the server answers before the upload is over. Plus the server's resident memory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{Read, Write},
    net::TcpStream,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use serde_json::Value;

/// How the body is framed.
#[derive(Clone, Copy, Debug)]
pub enum Framing {
    /// `Content-Length: declared`.
    Length(usize),
    /// `Transfer-Encoding: chunked`, never terminated.
    Chunked,
}

/// An upload in progress: its head is sent, then `send` bytes of body (the `filler` repeated),
/// from a thread of its own, which then waits with the connection open.
pub struct Upload {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub framing: Framing,
    /// Bytes of body to send (at most the declared length).
    pub send: usize,
    /// The body's first bytes, sent before the filler.
    pub start: Vec<u8>,
    pub filler: Vec<u8>,
}

/// What came back: status, headers (names lower-cased), body, and how many body bytes had been
/// sent when the answer arrived.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub sent_when_answered: usize,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Upload {
    pub fn new(method: &'static str, path: &str, framing: Framing, send: usize) -> Self {
        Self {
            method,
            path: path.to_owned(),
            headers: vec![],
            framing,
            send,
            start: vec![],
            filler: b"{\"contact\":\"Buyer\",\"address_line1\":\"1 High Street\",\"city\":\"Leeds\"},".repeat(1000),
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn start(mut self, b: &[u8]) -> Self {
        self.start = b.to_vec();
        self
    }

    /// Sends the upload to `base` (`http://host:port`) and waits up to `wait` for the answer.
    /// Panics if none comes: the server is still reading (or buffering) the body.
    pub fn run(self, base: &str, wait: Duration) -> Answer {
        let addr = base.trim_start_matches("http://").to_owned();
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(wait)).unwrap();
        let mut head = format!("{} {} HTTP/1.1\r\nHost: {addr}\r\n", self.method, self.path);
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        match self.framing {
            Framing::Length(n) => head.push_str(&format!("Content-Length: {n}\r\n")),
            Framing::Chunked => head.push_str("Transfer-Encoding: chunked\r\n"),
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let sent = Arc::new(AtomicUsize::new(0));
        let answered = Arc::new(AtomicBool::new(false));
        let mut writer = stream.try_clone().unwrap();
        let (sent_w, answered_w) = (sent.clone(), answered.clone());
        let (framing, total, start, filler) = (self.framing, self.send, self.start, self.filler);
        std::thread::spawn(move || {
            let mut piece = start;
            while sent_w.load(Ordering::SeqCst) < total && !answered_w.load(Ordering::SeqCst) {
                if piece.is_empty() {
                    piece = filler.clone();
                }
                let n = piece.len().min(total - sent_w.load(Ordering::SeqCst));
                let ok = match framing {
                    Framing::Length(_) => writer.write_all(&piece[..n]),
                    Framing::Chunked => writer
                        .write_all(format!("{n:x}\r\n").as_bytes())
                        .and_then(|_| writer.write_all(&piece[..n]))
                        .and_then(|_| writer.write_all(b"\r\n")),
                };
                if ok.is_err() {
                    return;
                }
                sent_w.fetch_add(n, Ordering::SeqCst);
                piece.clear();
            }
            // Keep the connection open, as a slow client would, until the answer is read.
            while !answered_w.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let mut raw = vec![];
        let mut buf = [0u8; 16 * 1024];
        let answer = loop {
            match stream.read(&mut buf) {
                Ok(0) => break parse(&raw),
                Ok(n) => {
                    raw.extend_from_slice(&buf[..n]);
                    if let Some(a) = parse(&raw) {
                        break Some(a);
                    }
                }
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    answered.store(true, Ordering::SeqCst);
                    panic!("no answer within {wait:?}; {} body bytes sent", sent.load(Ordering::SeqCst));
                }
                Err(_) => break parse(&raw),
            }
        };
        let sent_when_answered = sent.load(Ordering::SeqCst);
        answered.store(true, Ordering::SeqCst);
        let (status, headers, body) = answer.unwrap_or_else(|| panic!("no complete answer: {raw:?}"));
        Answer { status, headers, body, sent_when_answered }
    }
}

type Parsed = (u16, Vec<(String, String)>, String);

/// A complete response (`Content-Length` framed), if `raw` holds one.
fn parse(raw: &[u8]) -> Option<Parsed> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok())?;
    let body = raw.get(end + 4..end + 4 + len)?;
    Some((status, headers, String::from_utf8_lossy(body).into_owned()))
}

/// The resident memory of process `pid`, in MB (VmRSS).
pub fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024.0
}
