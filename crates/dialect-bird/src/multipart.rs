//! `multipart/form-data` bodies, which PHP's cURL sends when `CURLOPT_POSTFIELDS` is an array:
//! their fields are read as a form's are, as PHP fills `$_POST` from either.
//!
//! A synchronous parser over the bytes [`crate::request`] has already read within the route's
//! body limit: no multipart parser is in the dependency tree (axum's `multipart` feature would add
//! `multer`, a streaming parser built for files, which no Bird route takes), and the body is
//! already whole and capped, so the parser only has to bound what the limit does not: the number
//! of parts ([`MAX_PARTS`], PHP's `max_input_vars`) and the size of each part's headers
//! ([`MAX_PART_HEAD`]). File parts (with a `filename`) are skipped, as PHP keeps them out of
//! `$_POST`.

/// The most parts a body may have (PHP's default `max_input_vars`).
pub const MAX_PARTS: usize = 1000;

/// The most bytes of headers one part may have.
pub const MAX_PART_HEAD: usize = 8 * 1024;

/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY: usize = 70;

/// A form field of a multipart body.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
}

/// The `boundary` parameter of a `multipart/form-data` content type; `None` for other types.
/// `Err` when the type is multipart but names no usable boundary.
pub fn boundary(content_type: &str) -> Option<Result<String, String>> {
    let mut params = content_type.split(';');
    if !params.next()?.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let value = params.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    });
    Some(match value {
        Some(b) if !b.is_empty() && b.len() <= MAX_BOUNDARY => Ok(b),
        _ => Err("multipart/form-data body without a valid boundary".to_owned()),
    })
}

/// The form fields of `body`. When `complete` is false, `body` is only a prefix: the fields
/// whose part ends within it are returned, and a part cut off is not an error.
pub fn fields(body: &[u8], boundary: &str, complete: bool) -> Result<Vec<Field>, String> {
    let delimiter = [b"--", boundary.as_bytes()].concat();
    let next_delimiter = [b"\r\n--", boundary.as_bytes()].concat();
    let truncated = |what: &str| if complete { Err(format!("multipart body {what}")) } else { Ok(()) };
    // The first delimiter, at the start or after a preamble.
    let mut at = if body.starts_with(&delimiter) {
        delimiter.len()
    } else {
        match find(body, &next_delimiter) {
            Some(p) => p + next_delimiter.len(),
            None => return truncated("has no boundary").map(|()| vec![]),
        }
    };
    let mut out = Vec::new();
    let mut parts = 0usize;
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(out);
        }
        // Transport padding, then the line break that ends the delimiter line.
        let pad = rest.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
        let Some(rest) = rest[pad..].strip_prefix(b"\r\n") else {
            return truncated("is cut off or malformed after a boundary").map(|()| out);
        };
        parts += 1;
        if parts > MAX_PARTS {
            return Err(format!("multipart body has more than {MAX_PARTS} parts"));
        }
        // Headers may be empty: the part starts with its blank line.
        let head_end = if rest.starts_with(b"\r\n") {
            Some(0)
        } else {
            find(&rest[..rest.len().min(MAX_PART_HEAD + 4)], b"\r\n\r\n")
        };
        let Some(head_end) = head_end else {
            if rest.len() > MAX_PART_HEAD {
                return Err(format!("multipart part headers over {MAX_PART_HEAD} bytes"));
            }
            return truncated("is cut off in a part's headers").map(|()| out);
        };
        let head = &rest[..head_end];
        let data_start = if head_end == 0 { 2 } else { head_end + 4 };
        let data = &rest[data_start..];
        let Some(data_end) = find(data, &next_delimiter) else {
            return truncated("has no closing boundary").map(|()| out);
        };
        if let Some((name, is_file)) = disposition(head) {
            if !is_file {
                out.push(Field { name, value: String::from_utf8_lossy(&data[..data_end]).into_owned() });
            }
        }
        at = body.len() - data.len() + data_end + next_delimiter.len();
    }
}

/// The `name` of a part's `Content-Disposition: form-data`, and whether it is a file.
fn disposition(head: &[u8]) -> Option<(String, bool)> {
    let head = String::from_utf8_lossy(head);
    let value = head.split("\r\n").find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case("content-disposition").then_some(v)
    })?;
    let mut params = split_params(value);
    if params.is_empty() || !params.remove(0).0.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let name = params.iter().find(|(k, _)| k.eq_ignore_ascii_case("name")).map(|(_, v)| v.clone())?;
    let is_file = params.iter().any(|(k, _)| k.eq_ignore_ascii_case("filename") || k.eq_ignore_ascii_case("filename*"));
    Some((name, is_file))
}

/// `form-data; name="a;b"; filename=x` into `(key, value)` pairs (the first with an empty
/// value); quoted values may escape `"` and `\` with `\`.
fn split_params(v: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = v.chars().peekable();
    loop {
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == ';' || c == '=' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\')) => value.extend(chars.next()),
                        c => value.push(c),
                    }
                }
                while chars.peek().is_some_and(|c| *c != ';') {
                    chars.next();
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ';' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim().to_owned();
            }
        }
        out.push((key.trim().to_owned(), value));
        if chars.next().is_none() {
            return out;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(p) = hay.get(from..)?.iter().position(|b| *b == first) {
        let at = from + p;
        if hay.get(at..at + needle.len())? == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as PHP's cURL writes it.
    fn body(fields: &[(&str, &str)]) -> Vec<u8> {
        let mut b = Vec::new();
        for (k, v) in fields {
            b.extend_from_slice(
                format!("--XyZ\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        b.extend_from_slice(b"--XyZ--\r\n");
        b
    }

    fn pairs(v: Vec<Field>) -> Vec<(String, String)> {
        v.into_iter().map(|f| (f.name, f.value)).collect()
    }

    #[test]
    fn boundaries_of_content_types() {
        assert_eq!(boundary("multipart/form-data; boundary=----abc"), Some(Ok("----abc".into())));
        assert_eq!(boundary("Multipart/Form-Data;charset=utf-8; Boundary=\"a b\""), Some(Ok("a b".into())));
        assert!(matches!(boundary("multipart/form-data"), Some(Err(_))));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
    }

    #[test]
    fn fields_as_curl_sends_them() {
        let b = body(&[("api_key", "K"), ("products[]", "a\r\nb"), ("empty", "")]);
        assert_eq!(
            pairs(fields(&b, "XyZ", true).unwrap()),
            vec![("api_key".into(), "K".into()), ("products[]".into(), "a\r\nb".into()), ("empty".into(), "".into())]
        );
    }

    #[test]
    fn preamble_padding_quoting_and_files() {
        let b = b"preamble\r\n--B  \r\ncontent-disposition: form-data; name=\"a\\\"b\"\r\nContent-Type: text/plain\r\n\r\n1\r\n\
            --B\r\nContent-Disposition: form-data; name=f; filename=\"x.csv\"\r\n\r\nfile\r\n\
            --B\r\nContent-Disposition: attachment; name=z\r\n\r\n2\r\n--B--";
        assert_eq!(pairs(fields(b, "B", true).unwrap()), vec![("a\"b".into(), "1".into())]);
    }

    #[test]
    fn truncation_is_an_error_only_in_a_whole_body() {
        let b = body(&[("a", "1"), ("api_key", "K"), ("c", "3")]);
        for cut in 0..b.len() {
            let got = fields(&b[..cut], "XyZ", false).unwrap();
            assert!(got.len() <= 3);
            if let Some(last) = got.last() {
                assert!(["1", "K", "3"].contains(&last.value.as_str()), "cut {cut}: {got:?}");
            }
            if cut + 10 < b.len() {
                assert!(fields(&b[..cut], "XyZ", true).is_err(), "cut {cut}");
            }
        }
        assert!(fields(b"", "XyZ", true).is_err());
    }

    #[test]
    fn parts_and_part_headers_are_bounded() {
        let many: Vec<(String, String)> = (0..=MAX_PARTS).map(|i| (format!("f{i}"), "v".to_owned())).collect();
        let refs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert!(fields(&body(&refs), "XyZ", true).unwrap_err().contains("parts"));
        let big = format!("--XyZ\r\nX-Pad: {}\r\n", "p".repeat(MAX_PART_HEAD + 10));
        assert!(fields(big.as_bytes(), "XyZ", false).unwrap_err().contains("headers"));
    }
}
