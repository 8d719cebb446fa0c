//! A JSON reader as liberal as the servers Entrepot impersonates.
//!
//! BirdSystem runs PHP and OrangeConnex a Java stack; their clients were written against whatever
//! those servers swallowed. Real bodies carry a UTF-8 BOM, `//required` comments copied from Postman
//! collections, trailing commas and repeated keys. `serde_json` rightly refuses all of that, so
//! request bodies go through this hand-written recursive-descent reader instead. It produces an
//! ordinary [`serde_json::Value`], so everything downstream stays plain serde.
//!
//! Accepted beyond RFC 8259: a leading BOM, `//` and `/* */` comments wherever whitespace may go,
//! a trailing comma before `]` or `}`, and duplicate keys (the last one wins, like PHP's
//! `json_decode`). Everything else is standard: strings must be valid UTF-8 with JSON escapes
//! (surrogate pairs combined, lone surrogates refused), numbers follow the JSON grammar (no NaN,
//! no Infinity, no leading `+`; integers that fit `u64`/`i64` stay integers, `-0` included, the
//! rest become `f64`), and nesting is limited to [`MAX_DEPTH`] so a hostile body cannot
//! overflow the stack. The reader never panics; how large an input to accept is the caller's call.

use std::fmt;

use serde_json::{Map, Number, Value};

/// How many arrays/objects may nest. Matches serde_json's default recursion limit, so nothing a
/// well-behaved client sends is refused, and recursion stays far from the stack's end.
pub const MAX_DEPTH: usize = 128;

/// Why a body is not JSON, with a 1-based position a client developer can find in their payload.
/// `column` counts characters (not bytes) from the start of the line; a leading BOM is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for JsonError {}

/// Parses a request body the way the original servers would have accepted it (see the module
/// docs for exactly what is tolerated).
pub fn parse_lenient(input: &[u8]) -> Result<Value, JsonError> {
    let src = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut parser = Parser { src, pos: 0 };
    let value = parser.value(0)?;
    parser.skip_ws()?;
    if parser.pos < src.len() {
        return Err(parser.error_at(parser.pos, "unexpected characters after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn error_at(&self, at: usize, message: impl Into<String>) -> JsonError {
        let before = self.src.get(..at).unwrap_or(self.src);
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Count UTF-8 lead bytes (anything but continuation bytes) so columns are in characters.
        let column = 1 + before[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        JsonError { line, column, message: message.into() }
    }

    /// Error at the current position, naming what was found there.
    fn unexpected(&self, expected: &str) -> JsonError {
        let found = match self.peek() {
            None => "end of input".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        };
        self.error_at(self.pos, format!("expected {expected}, found {found}"))
    }

    /// Skips whitespace and comments.
    fn skip_ws(&mut self) -> Result<(), JsonError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => match self.src.get(self.pos + 1) {
                    Some(b'/') => {
                        let rest = &self.src[self.pos..];
                        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                    }
                    Some(b'*') => {
                        let start = self.pos;
                        let body = &self.src[self.pos + 2..];
                        match body.windows(2).position(|w| w == b"*/") {
                            Some(end) => self.pos += 2 + end + 2,
                            None => return Err(self.error_at(start, "unterminated /* comment")),
                        }
                    }
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.skip_ws()?;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_at(self.pos, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws()?;
            match self.peek() {
                // A comma directly before `]` is tolerated by the check at the top of the loop.
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut map = Map::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                Some(b'"') => {}
                _ => return Err(self.unexpected("a string key or '}'")),
            }
            let key = self.string()?;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':'"));
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            // Last duplicate wins, as with PHP's json_decode.
            map.insert(key, value);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn digits(&mut self) -> usize {
        let n = self.src[self.pos..].iter().take_while(|b| b.is_ascii_digit()).count();
        self.pos += n;
        n
    }

    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("a digit")),
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after '.'"));
            }
            integral = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
            integral = false;
        }
        // The grammar above admits only ASCII, so this conversion cannot fail.
        let text = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or_default();
        if integral {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Number::from(n));
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Number::from(n));
            }
        }
        // Integers beyond 64 bits become floats, as serde_json does without arbitrary_precision.
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .ok_or_else(|| self.error_at(start, format!("number {text} is out of range")))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let chunk_start = self.pos;
            let rest = &self.src[self.pos..];
            // '"', '\\' and control bytes are ASCII, so they never split a multi-byte character.
            self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            match std::str::from_utf8(&self.src[chunk_start..self.pos]) {
                Ok(chunk) => out.push_str(chunk),
                Err(e) => return Err(self.error_at(chunk_start + e.valid_up_to(), "invalid UTF-8 in string")),
            }
            match self.peek() {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => return Err(self.error_at(self.pos, "control character in string (it must be escaped)")),
            }
        }
    }

    /// Reads one escape sequence; `pos` is at the backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let start = self.pos;
        let c = match self.src.get(self.pos + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(self.error_at(start, "invalid escape sequence")),
        };
        self.pos += 2;
        Ok(c)
    }

    /// Reads `\uXXXX`, and the second half of a surrogate pair when the first is a high surrogate.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let start = self.pos;
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.src.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error_at(start, "unpaired surrogate in \\u escape"));
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(start, "unpaired surrogate in \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error_at(start, "unpaired surrogate in \\u escape")),
            // No text a client means has NUL in it, and PostgreSQL cannot store it: refusing it
            // here keeps it out of every field of both dialects.
            0 => return Err(self.error_at(start, "\\u0000 (NUL) is not accepted in strings")),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error_at(start, "invalid \\u escape"))
    }

    /// Reads `\u` and four hex digits at `pos`, returning their value.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let start = self.pos;
        let digits =
            self.src.get(self.pos + 2..self.pos + 6).ok_or_else(|| self.error_at(start, "invalid \\u escape"))?;
        let mut value = 0;
        for &d in digits {
            let nibble = (d as char).to_digit(16).ok_or_else(|| self.error_at(start, "invalid \\u escape"))?;
            value = value * 16 + nibble;
        }
        self.pos += 6;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn parse(s: &str) -> Result<Value, JsonError> {
        parse_lenient(s.as_bytes())
    }

    #[test]
    fn standard_json_agrees_with_serde_json() {
        let cases = [
            "null",
            "true",
            " false ",
            "0",
            "-1",
            "42",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "1.5",
            "-0.25e-3",
            "1E10",
            "2e+2",
            "123456789012345678901234567890",
            r#""""#,
            r#""plain""#,
            r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \u4e2d \ud83d\ude00""#,
            r#""raw 中文 ✓ 😀""#,
            "[]",
            "[1, [2, [3, []]], {}]",
            r#"{"a": 1, "b": [true, null], "c": {"d": "e"}}"#,
            "\t\r\n [ 1 ,\n 2 ] \n",
            r#"[{"contact":"Norman","business_name":null,"quantity":"1","price":10.50}]"#,
        ];
        for case in cases {
            let expected: Value = serde_json::from_str(case).unwrap();
            assert_eq!(parse(case).unwrap(), expected, "case {case}");
        }
    }

    #[test]
    fn integers_stay_integers_and_others_become_floats() {
        assert_eq!(parse("7").unwrap().as_u64(), Some(7));
        assert_eq!(parse("-7").unwrap().as_i64(), Some(-7));
        assert!(parse("7.0").unwrap().is_f64());
        assert!(parse("18446744073709551616").unwrap().is_f64());
    }

    #[test]
    fn accepts_a_byte_order_mark() {
        assert_eq!(parse_lenient(b"\xEF\xBB\xBF{\"a\":1}").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn accepts_comments() {
        let body = "// header comment\n{\n  \"sku\": \"A1\", //required\n  /* block\n comment */ \"qty\": 2 /* trailing */\n}// end";
        assert_eq!(parse(body).unwrap(), json!({"sku": "A1", "qty": 2}));
        assert_eq!(parse("[1 /**/, /***/ 2]").unwrap(), json!([1, 2]));
        // A comment marker inside a string is just text.
        assert_eq!(parse(r#""http://x/*y*/""#).unwrap(), json!("http://x/*y*/"));
    }

    #[test]
    fn accepts_trailing_commas() {
        assert_eq!(parse("[1, 2,]").unwrap(), json!([1, 2]));
        assert_eq!(parse(r#"{"a": 1, "b": [true,], }"#).unwrap(), json!({"a": 1, "b": [true]}));
        // The Bird wiki example: a trailing comma after the last member.
        let bird = "[\n{\n\"status\": \"PENDING\",\n\"thirty_system_id\":\"2222222\",\n}\n]";
        assert_eq!(parse(bird).unwrap(), json!([{"status": "PENDING", "thirty_system_id": "2222222"}]));
    }

    #[test]
    fn still_refuses_empty_elements() {
        assert!(parse("[,]").is_err());
        assert!(parse("[1,,2]").is_err());
        assert!(parse("{,}").is_err());
        assert!(parse(r#"{"a":1,,}"#).is_err());
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let body = r#"{"product_company_ref": "a", "x": 1, "product_company_ref": "b"}"#;
        assert_eq!(parse(body).unwrap(), json!({"product_company_ref": "b", "x": 1}));
    }

    #[test]
    fn refuses_non_json() {
        for bad in [
            "",
            "   ",
            "// only a comment",
            "NaN",
            "Infinity",
            "-Infinity",
            "+1",
            "01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "tru",
            "nul",
            "'single'",
            "{a: 1}",
            "[1 2]",
            r#"{"a" 1}"#,
            "[1] [2]",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            "\"tab\there\"",
            "\"open",
            "/* open",
            "1e400",
            "-1e400",
            "[1,",
            "{\"a\":",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
        assert!(parse_lenient(b"\"\xff\"").is_err());
        assert!(parse_lenient(b"\xEF\xBB").is_err());
    }

    #[test]
    fn error_positions_are_line_and_character_column() {
        let e = parse("{\n  \"a\": 1,\n  \"bcdefgh\": 2 3\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 16));
        assert_eq!(e.to_string(), "invalid JSON at line 3, column 16: expected ',' or '}', found '3'");

        let e = parse("[\"中文\" x]").unwrap_err();
        assert_eq!((e.line, e.column), (1, 7));

        let e = parse("[1,\n").unwrap_err();
        assert_eq!((e.line, e.column, e.message.as_str()), (2, 1, "expected a value, found end of input"));

        let e = parse("  \"never closed").unwrap_err();
        assert_eq!((e.line, e.column, e.message.as_str()), (1, 3, "unterminated string"));

        let e = parse_lenient(b"\xEF\xBB\xBF{\"a\" 1}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 6), "the BOM is not counted");
    }

    #[test]
    fn nul_is_refused() {
        for input in ["\"a\\u0000b\"", "{\"\\u0000\": 1}", "[\"\\u0000\"]"] {
            let e = parse(input).unwrap_err();
            assert!(e.message.contains("NUL"), "{input}: {e}");
        }
        assert_eq!(parse("\"\\u0001\"").unwrap(), Value::String("\u{1}".into()));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&too_deep).unwrap_err().message.contains("nesting"));
        let objects = "{\"a\":".repeat(100_000);
        assert!(parse(&objects).is_err());
    }

    /// Any string but NUL, which is refused (see `nul_is_refused`).
    fn text() -> impl Strategy<Value = String> {
        any::<String>().prop_map(|s| s.replace('\0', ""))
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(text(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn serde_json_output_round_trips(v in arb_value()) {
            let compact = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(&parse(&compact).unwrap(), &v);
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(&parse(&pretty).unwrap(), &v);
        }

        #[test]
        fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse_lenient(&bytes);
        }

        #[test]
        fn never_panics_on_json_like_text(s in r#"[\[\]{}",:0-9eE.+\-tfnul/*\\ \n]{0,64}"#) {
            let _ = parse(&s);
        }
    }
}
