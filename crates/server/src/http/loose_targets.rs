//! Request targets written without percent-encoding, accepted as BirdSystem's PHP servers accept
//! them. Many ERPs build URLs by string concatenation, e.g.
//! `GET /client/consignment?filter=[{"property":"status","value":"PENDING"}]`.
//!
//! Why below the router: hyper refuses such a request with an empty 400 before any route sees
//! it. `httparse` (the request-line parser) takes every byte `0x21..=0x7E` and `0x80..=0xFF` in
//! the target and ends it at the first space; hyper then builds an `http::Uri`, which refuses,
//! in the path, controls, space, `<`, `>`, `` ` `` and DEL, and in the query, controls, space,
//! `"`, `<`, `>` and DEL (`{`, `}`, `|` pass), and any target that is not UTF-8. No option of
//! hyper or axum relaxes this, so the connection is read through [`LooseTargets`], which
//! percent-encodes exactly those bytes in the request line's target before hyper parses it
//! (spaces too: `METHOD SP target SP HTTP/1.x`, split at the first and last space, as nginx
//! reads it). The router and the dialects' form parsing then decode them back to the bytes the
//! client wrote, which is what PHP's `$_GET` holds.
//!
//! What it never does: change a request line hyper would accept (so signatures over the target,
//! like OC's, see the bytes the client sent), or change headers or bodies. To find each request
//! line of a keep-alive connection, it follows HTTP/1.1 framing (`Content-Length`, chunked, with
//! trailers). Anything it does not follow exactly (a line over [`MAX_LINE`], an HTTP version
//! other than 1.0/1.1, a malformed length or chunk, obsolete line folding, an upgrade) turns the
//! rest of the connection into a plain pass-through, i.e. today's behaviour: hyper sees the raw
//! bytes and answers as it always did. Memory per connection is bounded by [`MAX_LINE`] plus one
//! read.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    task::{ready, Context, Poll},
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};

/// The longest request, header, chunk-size or trailer line followed; longer ones end the
/// rewriting of their connection. An `http::Uri` is at most 64 KB anyway (hyper answers 414).
pub const MAX_LINE: usize = 64 * 1024;

/// Bytes read from the socket at a time.
const READ_SIZE: usize = 8 * 1024;

/// A TCP listener whose connections are read through [`LooseTargets`].
pub struct LooseTargetListener(pub TcpListener);

impl axum::serve::Listener for LooseTargetListener {
    type Io = LooseTargets<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // Axum's own accept loop (it logs and retries accept errors).
        let (io, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (LooseTargets::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection whose request targets are percent-encoded where hyper would refuse them.
pub struct LooseTargets<S> {
    inner: S,
    framing: Framing,
    /// Bytes ready for hyper, from `pos`.
    out: Vec<u8>,
    pos: usize,
    scratch: Box<[u8]>,
    eof: bool,
}

impl<S> LooseTargets<S> {
    pub fn new(inner: S) -> Self {
        Self { inner, framing: Framing::default(), out: Vec::new(), pos: 0, scratch: Box::new([]), eof: false }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for LooseTargets<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.pos < this.out.len() {
                let n = (this.out.len() - this.pos).min(buf.remaining());
                buf.put_slice(&this.out[this.pos..this.pos + n]);
                this.pos += n;
                if this.pos == this.out.len() {
                    this.out.clear();
                    this.pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof || buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            if this.framing.is_passthrough() {
                return Pin::new(&mut this.inner).poll_read(cx, buf);
            }
            if this.scratch.is_empty() {
                this.scratch = vec![0; READ_SIZE].into_boxed_slice();
            }
            let mut read = ReadBuf::new(&mut this.scratch);
            ready!(Pin::new(&mut this.inner).poll_read(cx, &mut read))?;
            let got = read.filled().len();
            if got == 0 {
                this.framing.finish(&mut this.out);
                this.eof = true;
            } else {
                this.framing.feed(&this.scratch[..got], &mut this.out);
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for LooseTargets<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Where the connection's byte stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    RequestLine,
    Header,
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    Trailer,
    Passthrough,
}

/// HTTP/1.1 framing of the requests on one connection, as far as needed to find request lines.
#[derive(Debug)]
struct Framing {
    at: At,
    /// The line being gathered (without rewriting, until it is complete).
    line: Vec<u8>,
    head: Head,
}

/// What the headers of the current request say about its body.
#[derive(Debug, Default)]
struct Head {
    content_length: Option<u64>,
    transfer_encoding: bool,
    chunked: bool,
    http10: bool,
    upgrade: bool,
}

impl Default for Framing {
    fn default() -> Self {
        Self { at: At::RequestLine, line: Vec::new(), head: Head::default() }
    }
}

impl Framing {
    fn is_passthrough(&self) -> bool {
        self.at == At::Passthrough && self.line.is_empty()
    }

    /// The end of the connection: a partial line goes on as it was.
    fn finish(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.line);
    }

    fn passthrough(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.line);
        self.at = At::Passthrough;
    }

    /// Takes bytes read from the socket, appends what hyper is to read.
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            match self.at {
                At::Passthrough => {
                    out.extend_from_slice(input);
                    return;
                }
                At::Body(left) | At::ChunkData(left) => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    out.extend_from_slice(&input[..n]);
                    input = &input[n..];
                    let left = left - n as u64;
                    self.at = match (self.at, left) {
                        (At::Body(_), 0) => At::RequestLine,
                        (At::Body(_), _) => At::Body(left),
                        (_, 0) => At::ChunkEnd,
                        _ => At::ChunkData(left),
                    };
                }
                _ => {
                    let end = input.iter().position(|b| *b == b'\n');
                    let take = end.map_or(input.len(), |e| e + 1);
                    if self.line.len() + take > MAX_LINE {
                        self.passthrough(out);
                        continue;
                    }
                    self.line.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if end.is_some() {
                        let line = std::mem::take(&mut self.line);
                        self.on_line(&line, out);
                        // Keep the allocation for the next line.
                        self.line = line;
                        self.line.clear();
                    }
                }
            }
        }
    }

    /// A complete line (with its `\n`), in any line state.
    fn on_line(&mut self, line: &[u8], out: &mut Vec<u8>) {
        let content = trim_eol(line);
        match self.at {
            At::RequestLine => {
                // Empty lines before a request are skipped by httparse.
                if !content.is_empty() {
                    match request_line(content) {
                        Some((method, target, version)) => {
                            self.head = Head {
                                http10: version == b"HTTP/1.0",
                                upgrade: method.eq_ignore_ascii_case(b"CONNECT"),
                                ..Head::default()
                            };
                            self.at = At::Header;
                            if let Some(encoded) = encode_target(target) {
                                out.extend_from_slice(method);
                                out.push(b' ');
                                out.extend_from_slice(&encoded);
                                out.push(b' ');
                                out.extend_from_slice(version);
                                out.extend_from_slice(&line[content.len()..]);
                                return;
                            }
                        }
                        None => {
                            out.extend_from_slice(line);
                            self.at = At::Passthrough;
                            return;
                        }
                    }
                }
                out.extend_from_slice(line);
            }
            At::Header => {
                out.extend_from_slice(line);
                if content.is_empty() {
                    self.at = self.body_start();
                } else if !self.header(content) {
                    self.at = At::Passthrough;
                }
            }
            At::ChunkSize => {
                out.extend_from_slice(line);
                self.at = match chunk_size(content) {
                    Some(0) => At::Trailer,
                    Some(n) => At::ChunkData(n),
                    None => At::Passthrough,
                };
            }
            At::ChunkEnd => {
                out.extend_from_slice(line);
                self.at = if content.is_empty() { At::ChunkSize } else { At::Passthrough };
            }
            At::Trailer => {
                out.extend_from_slice(line);
                if content.is_empty() {
                    self.at = At::RequestLine;
                }
            }
            At::Body(_) | At::ChunkData(_) | At::Passthrough => out.extend_from_slice(line),
        }
    }

    /// Reads one header line; false when the framing can no longer be followed.
    fn header(&mut self, content: &[u8]) -> bool {
        if matches!(content.first(), Some(b' ' | b'\t')) {
            return false;
        }
        let Some(colon) = content.iter().position(|b| *b == b':') else { return false };
        let (name, value) = (&content[..colon], content[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"content-length") {
            let Some(n) = parse_decimal(value) else { return false };
            if self.head.content_length.is_some_and(|m| m != n) {
                return false;
            }
            self.head.content_length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            self.head.transfer_encoding = true;
            self.head.chunked = value
                .rsplit(|b| *b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case(b"upgrade") {
            self.head.upgrade = true;
        }
        true
    }

    /// Where the stream is after the blank line ending a request's headers.
    fn body_start(&self) -> At {
        let h = &self.head;
        if h.upgrade || (h.transfer_encoding && (!h.chunked || h.http10)) {
            At::Passthrough
        } else if h.transfer_encoding {
            At::ChunkSize
        } else {
            match h.content_length {
                Some(n) if n > 0 => At::Body(n),
                _ => At::RequestLine,
            }
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `METHOD SP target SP HTTP/1.x`, the target being everything between the first and the last
/// space (so it may hold spaces).
fn request_line(content: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let first = content.iter().position(|b| *b == b' ')?;
    let last = content.iter().rposition(|b| *b == b' ')?;
    let version = &content[last + 1..];
    if last <= first || !(version == b"HTTP/1.1" || version == b"HTTP/1.0") {
        return None;
    }
    Some((&content[..first], &content[first + 1..last], version))
}

/// The target with every byte `http::Uri` refuses percent-encoded, or `None` when it has none
/// (then the request line goes on untouched). Bytes above 0x7F are encoded only when the target
/// is not UTF-8 (`http::Uri` takes UTF-8). `%` and `#` are left as written.
fn encode_target(target: &[u8]) -> Option<Vec<u8>> {
    let high = std::str::from_utf8(target).is_err();
    let query_at = target.iter().position(|b| *b == b'?').unwrap_or(target.len());
    let refused = |i: usize, b: u8| match b {
        0..=0x20 | b'<' | b'>' | 0x7F => true,
        b'`' => i < query_at,
        b'"' => i > query_at,
        0x80..=0xFF => high,
        _ => false,
    };
    if !target.iter().enumerate().any(|(i, b)| refused(i, *b)) {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(target.len() + target.len() / 2);
    for (i, &b) in target.iter().enumerate() {
        if refused(i, b) {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

fn parse_decimal(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 19 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// A chunk-size line: hex digits, then optionally extensions (`;...`) or whitespace.
fn chunk_size(content: &[u8]) -> Option<u64> {
    let digits = content.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 15 || !matches!(content.get(digits), None | Some(b';' | b' ' | b'\t')) {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(&content[..digits]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` in pieces of `step` bytes, as the network may cut it.
    fn rewrite(input: &[u8], step: usize) -> Vec<u8> {
        let mut f = Framing::default();
        let mut out = vec![];
        for piece in input.chunks(step) {
            f.feed(piece, &mut out);
        }
        f.finish(&mut out);
        out
    }

    fn each_cut(input: &[u8], expected: &[u8]) {
        for step in [1, 2, 3, 7, 64, input.len().max(1)] {
            assert_eq!(
                String::from_utf8_lossy(&rewrite(input, step)),
                String::from_utf8_lossy(expected),
                "step {step}"
            );
        }
    }

    #[test]
    fn accepted_lines_are_untouched() {
        let raw = b"GET /client/consignment?filter=[{%22a%22:1}]&x={|} HTTP/1.1\r\nHost: h\r\n\r\n";
        each_cut(raw, raw);
        let utf8 = "GET /client/product?name=中文 HTTP/1.1\r\n\r\n".as_bytes();
        each_cut(utf8, utf8);
    }

    #[test]
    fn refused_bytes_of_the_target_are_encoded() {
        each_cut(
            b"GET /client/consignment?filter=[{\"property\":\"status\",\"value\":\"A B\"}]&q=<x> HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET /client/consignment?filter=[{%22property%22:%22status%22,%22value%22:%22A%20B%22}]&q=%3Cx%3E HTTP/1.1\r\nHost: h\r\n\r\n",
        );
        // In the path, `"` is accepted and `` ` `` is not; bytes that are not UTF-8 are encoded.
        each_cut(b"GET /a\"`?b=\xC4 HTTP/1.0\n\n", b"GET /a\"%60?b=%C4 HTTP/1.0\n\n");
    }

    #[test]
    fn bodies_are_untouched_and_pipelined_requests_are_each_read() {
        let body = b"GET /x?a=\" HTTP/1.1\r\n";
        let mut raw = format!("POST /p?a=\" HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        raw.extend_from_slice(body);
        raw.extend_from_slice(b"GET /q?b=\" HTTP/1.1\r\n\r\n");
        let mut expected = format!("POST /p?a=%22 HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        expected.extend_from_slice(body);
        expected.extend_from_slice(b"GET /q?b=%22 HTTP/1.1\r\n\r\n");
        each_cut(&raw, &expected);
    }

    #[test]
    fn chunked_bodies_with_trailers_are_followed() {
        let raw = b"POST /p HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
            5;ext=1\r\nGET /\r\n11\r\nGET /x?\" HTTP/1.1\r\n0\r\nX-T: 1\r\n\r\nGET /y?\" HTTP/1.1\r\n\r\n";
        let expected = b"POST /p HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
            5;ext=1\r\nGET /\r\n11\r\nGET /x?\" HTTP/1.1\r\n0\r\nX-T: 1\r\n\r\nGET /y?%22 HTTP/1.1\r\n\r\n";
        each_cut(raw, expected);
    }

    #[test]
    fn what_is_not_followed_passes_through() {
        // Not HTTP/1.x, a bad length, folding, an upgrade: nothing after is rewritten.
        for raw in [
            &b"PRI * HTTP/2.0\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n"[..],
            b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET /a?\" HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET /a?\" HTTP/1.1\r\n\r\n",
        ] {
            each_cut(raw, raw);
        }
    }

    #[test]
    fn long_lines_pass_through_and_partial_lines_are_kept() {
        let mut raw = b"GET /a?x=\"".to_vec();
        raw.extend(std::iter::repeat_n(b'a', MAX_LINE));
        raw.extend_from_slice(b" HTTP/1.1\r\n\r\nGET /b?\" HTTP/1.1\r\n\r\n");
        each_cut(&raw, &raw);
        each_cut(b"GET /a?\" HTTP/1.1\r\nHost", b"GET /a?%22 HTTP/1.1\r\nHost");
    }

    #[tokio::test]
    async fn read_through_a_stream() {
        use tokio::io::AsyncReadExt;
        let (mut client, server) = tokio::io::duplex(64);
        let writer = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            client.write_all(b"GET /a?f=[{\"v\":\"x y\"}] HTTP/1.1\r\n\r\n").await.unwrap();
        });
        let mut got = vec![];
        LooseTargets::new(server).read_to_end(&mut got).await.unwrap();
        writer.await.unwrap();
        assert_eq!(got, b"GET /a?f=[{%22v%22:%22x%20y%22}] HTTP/1.1\r\n\r\n");
    }
}
