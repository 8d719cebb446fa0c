//! Bird's list language (`start`, `limit`, `sort`, `filter`, `selectFields`, plain
//! `column=value`, `field` + `query`), applied to a resource's rows as the framework behind every
//! `/client/<Resource>` GET does.
//!
//! Rows are filtered after they are rendered in Bird's shape, so every column a client can see is
//! a column it can filter and sort by, with one implementation for all resources. Resources narrow
//! the rows with indexed store queries first (ids, references, status), so this runs on one
//! client's candidate rows, not on the table.
//!
//! Comparisons follow the original's MySQL: each resource declares the types of its columns
//! ([`Columns`], beside its row shape), a filter value is read as its column's type (`"1"`,
//! `1` and `"true"` find a set flag; `"12"` and `12` find `12.000`), and text compares without
//! regard to case (`Local` finds `LOCAL`, as MySQL's default `_ci` collations do). Columns a
//! resource does not name are text; a resource that declares no types compares loosely: as
//! numbers when both sides read as numbers, else as case-insensitive text.
//!
//! Where MySQL would convert a value it cannot read (`weight = 'abc'` compares with 0), a filter
//! here matches no row: a value that is not of its column's type names nothing there, and
//! answering rows the client did not ask for is the worse surprise. This holds for every
//! comparison, `ne` included, and for each member of a `list` (unreadable members drop out). A row
//! whose own value cannot be read as the column's type (null, blank) matches no typed comparison,
//! as SQL's NULL does not.

use std::cmp::Ordering;

use entrepot_wire::{as_bool_lenient, as_decimal_minor, as_i64_lenient, as_string_lenient, get_ci};
use serde_json::{Map, Value};

use crate::envelope::BirdError;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

/// A column's type, which filter values on it are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Compared without regard to case (trailing blanks ignored, as MySQL's PAD SPACE does).
    Text,
    /// Whole numbers: ids, quantities. `"12.0"` reads as 12; `"12.5"` reads as nothing.
    Integer,
    /// Decimal amounts and weights, to six places: `"12"` finds `"12.000"`.
    Decimal,
    /// Flags: `1`/`0`, `true`/`false`, `yes`/`no` in any case or JSON type.
    Boolean,
    /// `YYYY-MM-DD[ HH:MM:SS]`; a bare day reads as its midnight.
    Time,
}

/// A resource's filterable columns with their types, declared once beside its row shape.
pub type Columns = &'static [(&'static str, Column)];

/// A filter value or a row's value, read as its column's type. Values of one column always
/// read into the same variant, so comparing different variants never happens (it answers None).
#[derive(Debug, Clone, PartialEq)]
enum Typed {
    /// Lowercased, trailing blanks trimmed.
    Text(String),
    Int(i64),
    /// Millionths.
    Dec(i64),
    Flag(bool),
    Time(String),
    /// An undeclared column: lowercased text, compared as numbers when both sides are numbers.
    Loose(String),
}

const DECIMAL_PLACES: u32 = 6;

impl Typed {
    fn read(column: Option<Column>, v: &Value) -> Option<Typed> {
        match column {
            None => as_string_lenient(v).map(|s| Typed::Loose(s.to_lowercase())),
            Some(Column::Text) => as_string_lenient(v).map(|s| Typed::Text(s.trim_end().to_lowercase())),
            Some(Column::Integer) => as_i64_lenient(v).map(Typed::Int),
            Some(Column::Decimal) => as_decimal_minor(v, DECIMAL_PLACES).ok().flatten().map(Typed::Dec),
            Some(Column::Boolean) => as_bool_lenient(v).map(Typed::Flag),
            Some(Column::Time) => time_text(v).map(Typed::Time),
        }
    }

    fn compare(&self, other: &Typed) -> Option<Ordering> {
        match (self, other) {
            (Typed::Text(a), Typed::Text(b)) | (Typed::Time(a), Typed::Time(b)) => Some(a.cmp(b)),
            (Typed::Int(a), Typed::Int(b)) | (Typed::Dec(a), Typed::Dec(b)) => Some(a.cmp(b)),
            (Typed::Flag(a), Typed::Flag(b)) => Some(a.cmp(b)),
            (Typed::Loose(a), Typed::Loose(b)) => Some(compare_text(a, b)),
            _ => None,
        }
    }
}

/// A time as Bird writes it, `YYYY-MM-DD HH:MM:SS`, which orders as text; a bare day is its
/// midnight. Anything not starting with a date reads as nothing.
fn time_text(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    let b = s.as_bytes();
    let is_day = b.len() >= 10
        && b[..10].iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == b'-' } else { c.is_ascii_digit() });
    match (is_day, b.len()) {
        (false, _) => None,
        (true, 10) => Some(format!("{s} 00:00:00")),
        (true, _) => Some(s.to_owned()),
    }
}

/// A filter as the client sent it; values are read against the column's type when the rows are
/// filtered ([`ListQuery::apply`]), once per query.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `LIKE %v%`, without regard to case, on any column.
    Contains(String),
    /// `type: boolean`: `= 1/0`; None when the value is no flag (matches nothing).
    Bool(Option<bool>),
    /// `eq` (or `ne` when negated), `lt` (<=), `gt` (>=).
    Cmp(Ordering, bool, Value),
    DayEq(String),
    In(Vec<Value>),
}

/// A [`Test`] with its values read as the column's type.
enum Ready {
    Contains(String),
    Bool(Option<bool>),
    Cmp(Ordering, bool, Option<Typed>),
    DayEq(String),
    In(Vec<Typed>),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    field: String,
    test: Test,
}

/// A parsed list request.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub start: usize,
    /// `None` = everything (`limit=-1`).
    pub limit: Option<usize>,
    sort: Vec<(String, bool)>,
    filters: Vec<Filter>,
    select: Option<Vec<String>>,
    /// None until the resource declares its columns ([`ListQuery::typed`]).
    columns: Option<Columns>,
}

fn text(v: &Value) -> String {
    as_string_lenient(v).unwrap_or_default()
}

/// A parameter that is JSON text or already JSON (a body may send either).
fn json_param(v: &Value, name: &str) -> Result<Vec<Value>, BirdError> {
    let parsed = match v {
        Value::String(s) if s.trim().is_empty() => return Ok(vec![]),
        Value::String(s) => {
            entrepot_wire::parse_lenient(s.as_bytes()).map_err(|e| BirdError::bad(format!("{name}: {e}")))?
        }
        other => other.clone(),
    };
    match parsed {
        Value::Array(a) => Ok(a),
        Value::Object(o) => Ok(vec![Value::Object(o)]),
        _ => Err(BirdError::bad(format!("{name} must be a JSON array"))),
    }
}

impl ListQuery {
    /// Parses the list parameters; `search_fields` are the columns that plain `column=value`
    /// parameters may filter on for this resource.
    pub fn parse(params: &Map<String, Value>, search_fields: &[&str]) -> Result<Self, BirdError> {
        Self::parse_with(params, search_fields, DEFAULT_LIMIT, MAX_LIMIT)
    }

    pub fn parse_with(
        params: &Map<String, Value>,
        search_fields: &[&str],
        default: usize,
        max: usize,
    ) -> Result<Self, BirdError> {
        let start = match get_ci(params, "start").map(text) {
            Some(s) if !s.trim().is_empty() => {
                s.trim().parse().map_err(|_| BirdError::bad("start must be a number"))?
            }
            _ => 0,
        };
        let limit = match get_ci(params, "limit").map(text) {
            Some(s) if s.trim() == "-1" => None,
            Some(s) if !s.trim().is_empty() => {
                let n: i64 = s.trim().parse().map_err(|_| BirdError::bad("limit must be a number"))?;
                Some(if n <= 0 || n as usize > max { default } else { n as usize })
            }
            _ => Some(default),
        };
        let mut sort = vec![];
        if let Some(v) = get_ci(params, "sort") {
            for s in json_param(v, "sort")? {
                let prop = s.get("property").or_else(|| s.get("field")).map(text).unwrap_or_default();
                let desc = s.get("direction").map(text).is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
                if !prop.is_empty() {
                    sort.push((prop, desc));
                }
            }
        }
        let mut filters = vec![];
        if let Some(v) = get_ci(params, "filter") {
            for f in json_param(v, "filter")? {
                if let Some(parsed) = parse_filter(&f)? {
                    filters.push(parsed);
                }
            }
        }
        for field in search_fields {
            if let Some(v) = get_ci(params, field) {
                let t = text(v);
                if !t.trim().is_empty() {
                    let test = Test::Cmp(Ordering::Equal, false, Value::String(t.trim().to_owned()));
                    filters.push(Filter { field: (*field).to_owned(), test });
                }
            }
        }
        if let (Some(field), Some(q)) = (get_ci(params, "field").map(text), get_ci(params, "query").map(text)) {
            if !field.is_empty() && !q.is_empty() {
                filters.push(Filter { field, test: Test::Contains(q.to_lowercase()) });
            }
        }
        let select = get_ci(params, "selectFields")
            .map(text)
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect());
        Ok(ListQuery { start, limit, sort, filters, select, columns: None })
    }

    /// The types of the resource's columns, which filter values are read as; a column not
    /// named is text.
    pub fn typed(self, columns: Columns) -> Self {
        ListQuery { columns: Some(columns), ..self }
    }

    /// None (loose) for a resource that declared no columns.
    fn column(&self, field: &str) -> Option<Column> {
        let columns = self.columns?;
        Some(columns.iter().find(|(name, _)| *name == field).map_or(Column::Text, |(_, c)| *c))
    }

    /// Whether only paging and projection were asked for (then the store can page).
    pub fn is_plain(&self) -> bool {
        self.filters.is_empty() && self.sort.is_empty()
    }

    /// Projects rows the store already paged.
    pub fn apply_without_paging(&self, rows: Vec<Value>, primary_keys: &[&str]) -> (usize, Vec<Value>) {
        ListQuery { start: 0, limit: None, ..self.clone() }.apply(rows, primary_keys)
    }

    /// Filters, sorts, pages and projects rows; returns the total before paging.
    pub fn apply(&self, rows: Vec<Value>, primary_keys: &[&str]) -> (usize, Vec<Value>) {
        let ready: Vec<(&str, Option<Column>, Ready)> = self
            .filters
            .iter()
            .map(|f| {
                let column = self.column(&f.field);
                (f.field.as_str(), column, f.test.ready(column))
            })
            .collect();
        let mut rows: Vec<Value> = rows
            .into_iter()
            .filter(|r| {
                ready.iter().all(|(field, column, t)| t.matches(*column, r.get(*field).unwrap_or(&Value::Null)))
            })
            .collect();
        for (field, desc) in self.sort.iter().rev() {
            rows.sort_by(|a, b| {
                let o = compare(a.get(field).unwrap_or(&Value::Null), b.get(field).unwrap_or(&Value::Null));
                if *desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        let total = rows.len();
        let page: Vec<Value> = rows.into_iter().skip(self.start).take(self.limit.unwrap_or(usize::MAX)).collect();
        let page = match &self.select {
            None => page,
            Some(fields) => page
                .into_iter()
                .map(|r| {
                    let mut out = Map::new();
                    for f in fields.iter().map(String::as_str).chain(primary_keys.iter().copied()) {
                        if let Some(v) = r.get(f) {
                            out.insert(f.to_owned(), v.clone());
                        }
                    }
                    Value::Object(out)
                })
                .collect(),
        };
        (total, page)
    }
}

fn parse_filter(f: &Value) -> Result<Option<Filter>, BirdError> {
    let field = f.get("field").or_else(|| f.get("property")).map(text).unwrap_or_default();
    let value = f.get("value").cloned().unwrap_or(Value::Null);
    let blank = match &value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if field.is_empty() || blank {
        return Ok(None);
    }
    let kind = f.get("type").map(text).unwrap_or_default().to_ascii_lowercase();
    let comparison = f.get("comparison").map(text).unwrap_or_else(|| "eq".into()).to_ascii_lowercase();
    let cmp = |v: Value| match comparison.as_str() {
        "ne" => Ok(Test::Cmp(Ordering::Equal, true, v)),
        "lt" => Ok(Test::Cmp(Ordering::Less, false, v)),
        "gt" => Ok(Test::Cmp(Ordering::Greater, false, v)),
        "eq" | "" => Ok(Test::Cmp(Ordering::Equal, false, v)),
        other => Err(BirdError::bad(format!("filter on {field}: unknown comparison '{other}'"))),
    };
    let test = match kind.as_str() {
        "string" => Test::Contains(text(&value).to_lowercase()),
        "boolean" => Test::Bool(as_bool_lenient(&value)),
        "numeric" => cmp(value)?,
        "date" if comparison == "eq" || comparison.is_empty() => Test::DayEq(text(&value)),
        "date" => match comparison.as_str() {
            // `lt` includes the whole day named.
            "lt" => Test::Cmp(Ordering::Less, false, Value::String(format!("{} 23:59:59", text(&value).trim()))),
            _ => cmp(value)?,
        },
        "list" => Test::In(match &value {
            Value::Array(a) => a.clone(),
            other => text(other).split(',').map(|s| Value::String(s.trim().to_owned())).collect(),
        }),
        "" => Test::Cmp(Ordering::Equal, false, value),
        other => return Err(BirdError::bad(format!("filter on {field}: unknown type '{other}'"))),
    };
    Ok(Some(Filter { field, test }))
}

/// Numbers compare as numbers, everything else as text; null sorts first.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        _ => compare_text(&text(a), &text(b)),
    }
}

fn compare_text(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

impl Test {
    fn ready(&self, column: Option<Column>) -> Ready {
        match self {
            Test::Contains(q) => Ready::Contains(q.clone()),
            Test::Bool(b) => Ready::Bool(*b),
            Test::Cmp(o, negate, v) => Ready::Cmp(*o, *negate, Typed::read(column, v)),
            Test::DayEq(day) => Ready::DayEq(day.trim().to_owned()),
            Test::In(list) => Ready::In(list.iter().filter_map(|v| Typed::read(column, v)).collect()),
        }
    }
}

impl Ready {
    fn matches(&self, column: Option<Column>, v: &Value) -> bool {
        match self {
            Ready::Contains(q) => text(v).to_lowercase().contains(q),
            // An unreadable row value is false, as Bird's flags default to 0.
            Ready::Bool(Some(b)) => as_bool_lenient(v).unwrap_or(false) == *b,
            Ready::Bool(None) => false,
            Ready::DayEq(day) => text(v).starts_with(day.as_str()),
            Ready::In(list) => {
                Typed::read(column, v).is_some_and(|t| list.iter().any(|x| t.compare(x) == Some(Ordering::Equal)))
            }
            Ready::Cmp(o, negate, Some(x)) => match Typed::read(column, v).and_then(|t| t.compare(x)) {
                None => false,
                Some(found) => match o {
                    Ordering::Equal => (found == Ordering::Equal) != *negate,
                    // Bird's `lt`/`gt` are inclusive (<=, >=).
                    Ordering::Less => found != Ordering::Greater,
                    Ordering::Greater => found != Ordering::Less,
                },
            },
            Ready::Cmp(_, _, None) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rows() -> Vec<Value> {
        vec![
            json!({"id": "1", "status": "FINISHED", "update_time": "2017-09-10 08:00:00", "weight": "100", "name": "Blue Mug"}),
            json!({"id": "2", "status": "PENDING", "update_time": "2017-09-11 09:00:00", "weight": "20", "name": "Red mug"}),
            json!({"id": "3", "status": "FINISHED", "update_time": "2017-09-12 10:00:00", "weight": "300", "name": "Tee"}),
        ]
    }

    fn q(params: Value) -> ListQuery {
        ListQuery::parse(params.as_object().unwrap(), &["status", "id"]).unwrap()
    }

    fn ids(r: &[Value]) -> Vec<&str> {
        r.iter().map(|r| r["id"].as_str().unwrap()).collect()
    }

    #[test]
    fn wiki_filter_example() {
        let f = r#"[{"type":"date","comparison":"gt","value":"2017-09-11","field":"update_time"},{"type":"list","value":["FINISHED"],"field":"status"}]"#;
        let (total, r) = q(json!({"filter": f})).apply(rows(), &["id"]);
        assert_eq!((total, ids(&r)), (1, vec!["3"]));
    }

    #[test]
    fn filter_as_array_numeric_inclusive_and_strings() {
        let (_, r) = q(json!({"filter": [{"type": "numeric", "comparison": "lt", "value": "100", "field": "weight"}]}))
            .apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["1", "2"]);
        let (_, r) =
            q(json!({"filter": [{"type": "string", "value": "MUG", "property": "name"}]})).apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["1", "2"]);
        let (_, r) = q(json!({"filter": [{"type": "date", "value": "2017-09-11", "field": "update_time"}]}))
            .apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["2"]);
        let (_, r) = q(json!({"filter": [{"type": "numeric", "comparison": "ne", "value": "20", "field": "weight"}]}))
            .apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["1", "3"]);
    }

    #[test]
    fn paging_sorting_selecting() {
        let query = q(
            json!({"sort": "[{\"property\":\"weight\",\"direction\":\"DESC\"}]", "start": "1", "limit": "1", "selectFields": "status"}),
        );
        let (total, r) = query.apply(rows(), &["id"]);
        assert_eq!(total, 3);
        assert_eq!(r, vec![json!({"status": "FINISHED", "id": "1"})]);
        assert_eq!(q(json!({"limit": "-1"})).limit, None);
        assert_eq!(q(json!({"limit": "9999"})).limit, Some(50), "over the max falls back to the default");
        assert_eq!(q(json!({})).limit, Some(50));
    }

    #[test]
    fn plain_columns_and_field_query() {
        let (_, r) = q(json!({"status": "PENDING"})).apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["2"]);
        let (_, r) = q(json!({"field": "name", "query": "tee"})).apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["3"]);
        let (_, r) = q(json!({"name": "Tee"})).apply(rows(), &["id"]);
        assert_eq!(r.len(), 3, "only search fields filter");
    }

    const COLUMNS: Columns = &[("id", Column::Integer), ("weight", Column::Decimal), ("urgent", Column::Boolean)];

    fn typed_rows() -> Vec<Value> {
        vec![
            json!({"id": "1", "type": "LOCAL", "weight": "12.000", "urgent": "1", "code": "012"}),
            json!({"id": "2", "type": "DIRECT", "weight": "12.5", "urgent": "0", "code": "12"}),
            json!({"id": "3", "type": "local ", "weight": null, "urgent": "true", "code": "Abc"}),
        ]
    }

    fn typed(filter: Value) -> Vec<String> {
        let query = ListQuery::parse(json!({"filter": filter}).as_object().unwrap(), &[]).unwrap().typed(COLUMNS);
        query.apply(typed_rows(), &["id"]).1.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn values_are_read_as_the_columns_type() {
        // Text ignores case and trailing blanks, and never compares as a number.
        assert_eq!(typed(json!([{"property": "type", "value": "Local"}])), ["1", "3"]);
        assert_eq!(typed(json!([{"property": "type", "type": "list", "value": ["local", "direct"]}])), ["1", "2", "3"]);
        assert_eq!(typed(json!([{"property": "code", "value": 12}])), ["2"]);
        assert_eq!(typed(json!([{"property": "code", "type": "string", "value": "aB"}])), ["3"]);
        // Numbers as strings or numbers; decimals exactly.
        assert_eq!(typed(json!([{"property": "weight", "value": "12"}])), ["1"]);
        assert_eq!(typed(json!([{"property": "weight", "value": 12}])), ["1"]);
        assert_eq!(
            typed(json!([{"property": "weight", "type": "numeric", "comparison": "gt", "value": "12.1"}])),
            ["2"]
        );
        assert_eq!(typed(json!([{"property": "id", "value": 2}])), ["2"]);
        // Flags in every spelling.
        for yes in [json!("true"), json!("1"), json!(1), json!(true), json!("TRUE")] {
            assert_eq!(typed(json!([{"property": "urgent", "value": yes}])), ["1", "3"], "{yes}");
        }
        assert_eq!(typed(json!([{"property": "urgent", "value": "false"}])), ["2"]);
        // A value of the wrong type matches nothing, whatever the comparison.
        assert!(typed(json!([{"property": "weight", "value": "abc"}])).is_empty());
        assert!(
            typed(json!([{"property": "weight", "type": "numeric", "comparison": "ne", "value": "abc"}])).is_empty()
        );
        assert!(typed(json!([{"property": "urgent", "value": "maybe"}])).is_empty());
        assert!(typed(json!([{"property": "id", "value": "1.5"}])).is_empty());
        assert_eq!(typed(json!([{"property": "id", "type": "list", "value": ["x", "3"]}])), ["3"]);
    }

    #[test]
    fn undeclared_resources_compare_loosely_and_without_case() {
        let (_, r) = q(json!({"status": "pending"})).apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["2"]);
        let (_, r) = q(json!({"filter": [{"field": "weight", "value": 20.0}]})).apply(rows(), &["id"]);
        assert_eq!(ids(&r), vec!["2"]);
    }

    #[test]
    fn bad_filters_are_clear_errors() {
        assert!(ListQuery::parse(json!({"filter": "[{"}).as_object().unwrap(), &[]).is_err());
        assert!(ListQuery::parse(
            json!({"filter": [{"type": "weird", "field": "a", "value": 1}]}).as_object().unwrap(),
            &[]
        )
        .is_err());
        assert!(ListQuery::parse(json!({"limit": "ten"}).as_object().unwrap(), &[]).is_err());
    }
}
