//! Reading request bodies so that the caller never decides how much memory they take: a declared
//! `Content-Length` above the limit is refused before a byte is read, a chunked body is refused
//! as soon as it passes the limit, and a prefix can be read (to find credentials sent in a form)
//! before the rest is allowed in. Each dialect refuses in its own error shape; the limits per
//! route are each dialect's [`RouteLimits`].

use std::pin::Pin;

use axum::{
    body::{Body, Bytes, HttpBody},
    http::{header::CONTENT_LENGTH, HeaderMap},
};

/// Bodies of unknown length grow as a `Vec` does up to this size, then get room for their limit.
const SMALL_BODY: usize = 64 * 1024;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// The body is, or says it is, larger than `limit` bytes.
    TooLarge { limit: usize },
    /// The connection failed before the body was complete.
    Read(String),
}

/// The body limit of each route of a dialect: a default, and the routes that need more (or less),
/// by route template (`axum::extract::MatchedPath`). Declared once per dialect.
#[derive(Debug, Clone, Copy)]
pub struct RouteLimits {
    pub default: usize,
    pub routes: &'static [(&'static str, usize)],
}

impl RouteLimits {
    /// The limit of the route `template` (the default for unknown or unmatched routes).
    pub fn for_route(&self, template: Option<&str>) -> usize {
        template
            .and_then(|t| self.routes.iter().find(|(r, _)| *r == t))
            .map(|(_, limit)| *limit)
            .unwrap_or(self.default)
    }
}

/// `8 MB`, `64 KB`: a limit as an error message names it.
pub fn describe(limit: usize) -> String {
    if limit >= 1 << 20 && limit & ((1 << 20) - 1) == 0 {
        format!("{} MB", limit >> 20)
    } else if limit >= 1 << 10 && limit & ((1 << 10) - 1) == 0 {
        format!("{} KB", limit >> 10)
    } else {
        format!("{limit} bytes")
    }
}

/// A request body read on demand, holding what has been read so far.
pub struct CappedBody {
    body: Body,
    held: Vec<u8>,
    declared: Option<u64>,
    complete: bool,
}

impl CappedBody {
    pub fn new(body: Body, headers: &HeaderMap) -> Self {
        let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        let complete = declared == Some(0);
        Self { body, held: Vec::new(), declared, complete }
    }

    /// What has been read so far (the whole body once [`Self::is_complete`]).
    pub fn held(&self) -> &[u8] {
        &self.held
    }

    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The next chunk of data, `None` at the end (trailers are skipped).
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, BodyError> {
        loop {
            match std::future::poll_fn(|cx| Pin::new(&mut self.body).poll_frame(cx)).await {
                None => return Ok(None),
                Some(Err(e)) => return Err(BodyError::Read(e.to_string())),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Ok(Some(data));
                    }
                }
            }
        }
    }

    /// Reads until at least `n` bytes are held or the body ends (one network chunk may take it a
    /// little past `n`); says whether the body is complete.
    pub async fn fill(&mut self, n: usize) -> Result<bool, BodyError> {
        while !self.complete && self.held.len() < n {
            match self.next_chunk().await? {
                Some(chunk) => {
                    self.held.extend_from_slice(&chunk);
                    // Known to be over without waiting for the end-of-stream frame.
                    self.complete = self.body.is_end_stream() || self.declared == Some(self.held.len() as u64);
                }
                None => self.complete = true,
            }
        }
        Ok(self.complete)
    }

    /// The whole body, refused as soon as it is known to exceed `limit`: at once when its
    /// `Content-Length` says so, otherwise when the bytes read pass it. Never holds more than
    /// `limit` bytes plus one network chunk.
    pub async fn read_all(mut self, limit: usize) -> Result<Bytes, BodyError> {
        let too_large = BodyError::TooLarge { limit };
        if self.declared.is_some_and(|d| d > limit as u64) || self.held.len() > limit {
            return Err(too_large);
        }
        if let Some(d) = self.declared {
            // Within the limit, so a bounded reservation: one allocation, no copies as it grows.
            self.held.reserve(usize::try_from(d).unwrap_or(0).saturating_sub(self.held.len()));
        }
        while !self.complete {
            match self.next_chunk().await? {
                Some(chunk) if self.held.len() + chunk.len() > limit => return Err(too_large),
                Some(chunk) => {
                    let need = self.held.len() + chunk.len();
                    if need > self.held.capacity() && need > SMALL_BODY {
                        // A body of unknown length past the small ones: room for the limit at
                        // once. Pages are only resident once written, and no trail of smaller
                        // buffers (as doubling would leave) is kept by the allocator.
                        self.held.reserve_exact(limit - self.held.len());
                    }
                    self.held.extend_from_slice(&chunk);
                }
                None => self.complete = true,
            }
        }
        Ok(Bytes::from(self.held))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn limits_by_route_and_their_names() {
        const L: RouteLimits = RouteLimits { default: 1 << 20, routes: &[("/bulk", 8 << 20)] };
        assert_eq!(L.for_route(Some("/bulk")), 8 << 20);
        assert_eq!(L.for_route(Some("/other")), 1 << 20);
        assert_eq!(L.for_route(None), 1 << 20);
        assert_eq!(
            (describe(8 << 20), describe(64 << 10), describe(1000)),
            ("8 MB".into(), "64 KB".into(), "1000 bytes".into())
        );
    }

    #[tokio::test]
    async fn declared_length_over_the_limit_is_refused_unread() {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_LENGTH, HeaderValue::from_static("60000000"));
        let b = CappedBody::new(Body::from("small"), &h);
        assert_eq!(b.read_all(1024).await, Err(BodyError::TooLarge { limit: 1024 }));
    }

    #[tokio::test]
    async fn undeclared_length_is_refused_when_it_passes_the_limit() {
        let b = CappedBody::new(Body::from(vec![b'x'; 2048]), &HeaderMap::new());
        assert_eq!(b.read_all(1024).await, Err(BodyError::TooLarge { limit: 1024 }));
        let b = CappedBody::new(Body::from(vec![b'x'; 1024]), &HeaderMap::new());
        assert_eq!(b.read_all(1024).await.map(|b| b.len()), Ok(1024));
    }

    #[tokio::test]
    async fn a_prefix_then_the_rest() {
        let mut b = CappedBody::new(Body::from("a=1&b=2"), &HeaderMap::new());
        assert!(b.fill(3).await.unwrap());
        assert_eq!(b.held(), b"a=1&b=2");
        assert_eq!(&b.read_all(100).await.unwrap()[..], b"a=1&b=2");
    }
}
