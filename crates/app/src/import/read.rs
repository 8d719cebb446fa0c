//! Reading a seller's sheet: XLSX (its first worksheet) or CSV, every cell as text, within
//! bounds. XLSX stores postcodes, phone numbers and platform ids typed as numbers as floats, so
//! a whole float is written without its `.0` (`12345.0` → `12345`).
//!
//! The XLSX is read cell by cell (calamine's streaming reader), never as one rectangle: a stray
//! cell at XFD1048576 must not make the reader allocate the whole sheet. Before calamine inflates
//! anything, the zip directory's declared sizes are checked.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use entrepot_core::{CoreError, CoreResult};

/// Largest file read.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows (blank rows aside).
pub const MAX_ROWS: usize = 10_000;
/// Longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 500;
/// Most columns read (trailing empty columns aside).
pub const MAX_COLUMNS: usize = 64;
/// Most bytes an XLSX's parts may inflate to, as its zip directory declares them.
const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// Most characters of all cells together (shared strings can repeat one long text everywhere).
const MAX_TOTAL_CHARS: usize = 16 * 1024 * 1024;

/// A sheet as read: its header row and its non-blank data rows, all cells text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    /// The header row's number in the sheet (1-based).
    pub header_row: usize,
    pub rows: Vec<SheetRow>,
}

/// One data row, with its number as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell of column `k` (empty past the row's end).
    pub fn cell(&self, k: usize) -> &str {
        self.cells.get(k).map_or("", String::as_str)
    }
}

fn refuse(message: impl Into<String>) -> CoreError {
    CoreError::invalid("file", message)
}

/// Reads `bytes`: an XLSX when it is a zip, else CSV (UTF-8, or GB18030 as a Chinese Excel
/// saves it). `file_name` only names the file in messages.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> CoreResult<Sheet> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refuse(format!("{file_name} is larger than the limit of {} MiB", MAX_FILE_BYTES >> 20)));
    }
    if bytes.is_empty() {
        return Err(refuse(format!("{file_name} is empty")));
    }
    let mut grid = Grid::default();
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, &mut grid)?;
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(refuse("old Excel (.xls) files are not read: save the sheet as .xlsx or .csv"));
    } else {
        read_csv(bytes, &mut grid)?;
    }
    grid.finish(file_name)
}

/// Rows as they come, bounded as they come.
#[derive(Default)]
struct Grid {
    /// (row number, cells), blank rows left out.
    rows: Vec<(usize, Vec<String>)>,
    chars: usize,
}

impl Grid {
    /// Adds cell `col` (0-based) of sheet row `row` (1-based), rows arriving in order.
    fn put(&mut self, row: usize, col: usize, text: String) -> CoreResult<()> {
        if text.is_empty() {
            return Ok(());
        }
        let n = text.chars().count();
        if n > MAX_CELL_CHARS {
            return Err(refuse(format!(
                "row {row}, column {}: a cell is at most {MAX_CELL_CHARS} characters (this one has {n})",
                col + 1
            )));
        }
        if col >= MAX_COLUMNS {
            return Err(refuse(format!("row {row}: a sheet has at most {MAX_COLUMNS} columns")));
        }
        self.chars = self.chars.saturating_add(n);
        if self.chars > MAX_TOTAL_CHARS {
            return Err(refuse(format!("the cells hold more than {} MiB of text", MAX_TOTAL_CHARS >> 20)));
        }
        if self.rows.last().is_none_or(|(r, _)| *r != row) {
            // The header row and MAX_ROWS data rows.
            if self.rows.len() > MAX_ROWS {
                return Err(refuse(format!("a file has at most {MAX_ROWS} rows of orders")));
            }
            self.rows.push((row, vec![]));
        }
        if let Some((_, cells)) = self.rows.last_mut() {
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = text;
        }
        Ok(())
    }

    fn finish(self, file_name: &str) -> CoreResult<Sheet> {
        let mut rows = self.rows.into_iter();
        let Some((header_row, headers)) = rows.next() else {
            return Err(refuse(format!("{file_name} has no rows")));
        };
        let rows = rows.map(|(number, cells)| SheetRow { number, cells }).collect();
        Ok(Sheet { headers, header_row, rows })
    }
}

fn read_xlsx(bytes: &[u8], grid: &mut Grid) -> CoreResult<()> {
    let bad = |e: &dyn std::fmt::Display| refuse(format!("not a readable XLSX file ({e})"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut inflated: u64 = 0;
    for k in 0..zip.len() {
        let part = zip.by_index_raw(k).map_err(|e| bad(&e))?;
        inflated = inflated.saturating_add(part.size());
    }
    if inflated > MAX_INFLATED_BYTES {
        return Err(refuse(format!("the XLSX unpacks to more than {} MiB", MAX_INFLATED_BYTES >> 20)));
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(refuse("the XLSX has no worksheet"));
    };
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| bad(&e))?;
    while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
        let (row, col) = cell.get_position();
        let row = usize::try_from(row).map_err(|_| CoreError::Internal)?.saturating_add(1);
        let col = usize::try_from(col).map_err(|_| CoreError::Internal)?;
        grid.put(row, col, text_of(cell.get_value()))?;
    }
    Ok(())
}

/// A cell as the seller sees it.
fn text_of(v: &DataRef<'_>) -> String {
    let s = match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => float_text(d.as_f64()),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    s.trim().to_owned()
}

/// A number as text: whole numbers without a fraction (postcodes, ids), others as Rust prints
/// them (shortest round-trip form, no exponent for ordinary magnitudes).
pub fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        // Exact: |f| < 2^53 and whole.
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn read_csv(bytes: &[u8], grid: &mut Grid) -> CoreResult<()> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(_) => {
            let (t, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(refuse("the CSV is neither UTF-8 nor GB18030 text"));
            }
            t
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let (mut seen, mut line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(refuse(format!("not a readable CSV file ({e})"))),
        }
        // The line the record starts on, as a spreadsheet numbers it: blank lines count, though
        // the reader skips them.
        let start = record.position().map_or(seen, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let mut start = start.clamp(seen, text.len());
        // The position the reader gives is before the blank lines it skipped.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line = line.saturating_add(text.as_bytes()[seen..start].iter().filter(|b| **b == b'\n').count());
        seen = start;
        let row = line;
        for (col, cell) in record.iter().enumerate() {
            grid.put(row, col, cell.trim().to_owned())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn whole_floats_lose_their_fraction() {
        assert_eq!(float_text(12345.0), "12345");
        assert_eq!(float_text(447700900123.0), "447700900123");
        assert_eq!(float_text(2.5), "2.5");
        assert_eq!(float_text(-3.0), "-3");
    }

    #[test]
    fn csv_rows_keep_their_numbers_and_skip_blank_ones() {
        let s = read_sheet("a.csv", "\u{feff}a,b\n\n1, 2 \n,,\n3,4,5\n".as_bytes()).unwrap();
        assert_eq!(s.headers, ["a", "b"]);
        assert_eq!(s.header_row, 1);
        assert_eq!(s.rows.len(), 2);
        assert_eq!((s.rows[0].number, s.rows[0].cell(1)), (3, "2"));
        assert_eq!((s.rows[1].number, s.rows[1].cell(2)), (5, "5"));
        assert_eq!(s.rows[1].cell(9), "");
    }

    #[test]
    fn gbk_csv_is_read() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("订单号,数量\nA-1,2\n");
        let s = read_sheet("a.csv", &bytes).unwrap();
        assert_eq!(s.headers, ["订单号", "数量"]);
    }

    #[test]
    fn bounds_are_refused_naming_the_limit() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(read_sheet("a.csv", &big).unwrap_err().to_string().contains("5 MiB"));
        let long = format!("h\n{}\n", "x".repeat(MAX_CELL_CHARS + 1));
        assert!(read_sheet("a.csv", long.as_bytes()).unwrap_err().to_string().contains("500 characters"));
        let mut many = String::from("h\n");
        for k in 0..=MAX_ROWS {
            many.push_str(&format!("{k}\n"));
        }
        assert!(read_sheet("a.csv", many.as_bytes()).unwrap_err().to_string().contains("10000 rows"));
        assert!(read_sheet("a.xls", b"\xD0\xCF\x11\xE0rest").is_err());
        assert!(read_sheet("a.xlsx", b"PK\x03\x04garbage").is_err());
        assert!(read_sheet("a.csv", b"").is_err());
    }
}
