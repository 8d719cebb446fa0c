//! A test-only PDF reader, strict about exactly the structure our writer
//! promises (header, object offsets, xref, trailer, page tree, stream
//! lengths), so every document test also proves the file is well formed.

/// What the tests need to know about a parsed document.
pub(crate) struct ParsedPdf {
    pub pages: Vec<ParsedPage>,
}

pub(crate) struct ParsedPage {
    pub media_box: [f32; 4],
    pub content: String,
}

/// One `Tj` text run as written by `Page::text_in`.
#[derive(Debug)]
pub(crate) struct TextRun {
    pub font: String,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub text: String,
}

impl ParsedPdf {
    /// All text of all pages, one run per line.
    pub fn text(&self) -> String {
        self.pages.iter().flat_map(|p| p.texts()).map(|t| t.text + "\n").collect()
    }
}

impl ParsedPage {
    pub fn texts(&self) -> Vec<TextRun> {
        self.content.lines().filter(|l| l.starts_with("BT ")).map(parse_text_line).collect()
    }

    /// Rectangles drawn by `Page::barcode` (inside `q ... f Q`), as [x, y, w, h].
    pub fn bars(&self) -> Vec<[f32; 4]> {
        self.content
            .lines()
            .filter(|l| l.ends_with(" re"))
            .map(|l| {
                let v: Vec<f32> = l.split(' ').take(4).map(|n| n.parse().expect("number")).collect();
                [v[0], v[1], v[2], v[3]]
            })
            .collect()
    }
}

fn parse_text_line(line: &str) -> TextRun {
    let open = line.find('(').expect("text string start");
    let close = line.rfind(") Tj ET").expect("text string end");
    let head: Vec<&str> = line[..open].split_whitespace().collect();
    // BT /F1 size Tf x y Td
    assert_eq!(head.len(), 7, "{line}");
    assert_eq!((head[0], head[3], head[6]), ("BT", "Tf", "Td"), "{line}");
    TextRun {
        font: head[1].trim_start_matches('/').to_owned(),
        size: head[2].parse().expect("size"),
        x: head[4].parse().expect("x"),
        y: head[5].parse().expect("y"),
        text: unescape(&line[open + 1..close]),
    }
}

/// Undoes PDF literal-string escaping and maps WinAnsi back to text
/// (Latin-1 is enough for the tests).
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            let next = bytes[i + 1];
            if next.is_ascii_digit() {
                let oct = std::str::from_utf8(&bytes[i + 1..i + 4]).expect("ascii");
                out.push(char::from(u8::from_str_radix(oct, 8).expect("octal")));
                i += 4;
            } else {
                assert!(matches!(next, b'(' | b')' | b'\\'), "bad escape");
                out.push(char::from(next));
                i += 2;
            }
        } else {
            assert!(b != b'(' && b != b')', "unescaped paren in {s}");
            out.push(char::from(b));
            i += 1;
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("ascii structure")
}

/// Reads the integer that follows `key` in a dictionary.
fn int_after(dict: &str, key: &str) -> usize {
    let at = dict.find(key).unwrap_or_else(|| panic!("{key} in {dict}")) + key.len();
    dict[at..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("number after {key} in {dict}"))
}

/// Parses and validates `bytes`; panics with a description on any defect.
pub(crate) fn parse(bytes: &[u8]) -> ParsedPdf {
    assert!(bytes.starts_with(b"%PDF-1.4\n"), "header");
    assert!(bytes.ends_with(b"%%EOF\n"), "trailer end");
    let sx = rfind(bytes, b"startxref\n").expect("startxref");
    let xref_at: usize = ascii(&bytes[sx + 10..bytes.len() - 6]).trim().parse().expect("startxref value");
    assert!(bytes[xref_at..].starts_with(b"xref\n0 "), "xref at startxref");
    let header_end = find(bytes, b"\n", xref_at + 5).expect("subsection line");
    let size: usize = ascii(&bytes[xref_at + 7..header_end]).parse().expect("xref count");
    let entries = header_end + 1;
    assert_eq!(&bytes[entries..entries + 20], b"0000000000 65535 f \n", "free entry 0");
    let mut objects = vec![String::new(); size];
    for (n, obj) in objects.iter_mut().enumerate().skip(1) {
        let e = &bytes[entries + 20 * n..entries + 20 * (n + 1)];
        assert_eq!(&e[10..], b" 00000 n \n", "entry {n} format");
        let offset: usize = ascii(&e[..10]).parse().expect("offset");
        let head = format!("{n} 0 obj\n");
        assert!(bytes[offset..].starts_with(head.as_bytes()), "xref entry {n} points at {offset}, not at its object");
        let body_start = offset + head.len();
        let end = find(bytes, b"\nendobj\n", body_start).expect("endobj");
        // Streams contain binary-safe content; keep them lossless for ASCII.
        *obj = String::from_utf8_lossy(&bytes[body_start..end]).into_owned();
    }
    let trailer_at = entries + 20 * size;
    let trailer = ascii(&bytes[trailer_at..sx]);
    assert!(trailer.starts_with("trailer\n<<"), "trailer follows xref");
    assert_eq!(int_after(trailer, "/Size "), size, "trailer /Size");
    let root = int_after(trailer, "/Root ");
    assert!(objects[root].contains("/Type /Catalog"));
    let pages_obj = int_after(&objects[root], "/Pages ");
    let pages_dict = &objects[pages_obj];
    assert!(pages_dict.contains("/Type /Pages"));
    let kids_at = pages_dict.find("/Kids [").expect("kids") + 7;
    let kids_end = kids_at + pages_dict[kids_at..].find(']').expect("kids end");
    let kid_refs: Vec<usize> = pages_dict[kids_at..kids_end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .chunks(3)
        .map(|c| {
            assert_eq!(&c[1..], &["0", "R"]);
            c[0].parse().expect("kid ref")
        })
        .collect();
    assert_eq!(int_after(pages_dict, "/Count "), kid_refs.len(), "/Count");
    let pages = kid_refs
        .iter()
        .map(|&kid| {
            let page = &objects[kid];
            assert!(page.contains("/Type /Page "), "page {kid}");
            assert!(page.contains("/Parent 2 0 R"));
            let mb_at = page.find("/MediaBox [").expect("media box") + 11;
            let mb_end = mb_at + page[mb_at..].find(']').expect("media box end");
            let mb: Vec<f32> =
                page[mb_at..mb_end].split_whitespace().map(|n| n.parse().expect("media box number")).collect();
            let stream = &objects[int_after(page, "/Contents ")];
            let length = int_after(stream, "/Length ");
            let data_at = stream.find(">>\nstream\n").expect("stream keyword") + 10;
            assert_eq!(stream.len() - data_at, length + "\nendstream".len(), "stream /Length");
            ParsedPage {
                media_box: [mb[0], mb[1], mb[2], mb[3]],
                content: stream[data_at..data_at + length].to_owned(),
            }
        })
        .collect();
    ParsedPdf { pages }
}
