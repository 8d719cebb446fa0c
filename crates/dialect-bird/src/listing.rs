//! Bird's list language (`start`, `limit`, `sort`, `filter`, `selectFields`, plain
//! `column=value`, `field` + `query`), applied to a resource's rows as the framework behind every
//! `/client/<Resource>` GET does.
//!
//! Rows are filtered after they are rendered in Bird's shape, so every column a client can see is
//! a column it can filter and sort by, with one implementation for all resources. Resources narrow
//! the rows with indexed store queries first (ids, references, status), so this runs on one
//! client's candidate rows, not on the table.

use std::cmp::Ordering;

use entrepot_wire::{as_string_lenient, get_ci};
use serde_json::{Map, Value};

use crate::envelope::BirdError;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Contains(String),
    Bool(bool),
    Cmp(Ordering, bool, String),
    DayEq(String),
    In(Vec<String>),
    Eq(String),
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
                    filters.push(Filter { field: (*field).to_owned(), test: Test::Eq(t.trim().to_owned()) });
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
        Ok(ListQuery { start, limit, sort, filters, select })
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
        let mut rows: Vec<Value> = rows.into_iter().filter(|r| self.filters.iter().all(|f| f.matches(r))).collect();
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
    let cmp = |v: String| match comparison.as_str() {
        "ne" => Ok(Test::Cmp(Ordering::Equal, true, v)),
        "lt" => Ok(Test::Cmp(Ordering::Less, false, v)),
        "gt" => Ok(Test::Cmp(Ordering::Greater, false, v)),
        "eq" | "" => Ok(Test::Cmp(Ordering::Equal, false, v)),
        other => Err(BirdError::bad(format!("filter on {field}: unknown comparison '{other}'"))),
    };
    let test = match kind.as_str() {
        "string" => Test::Contains(text(&value).to_lowercase()),
        "boolean" => Test::Bool(entrepot_wire::as_bool_lenient(&value).unwrap_or(false)),
        "numeric" => cmp(text(&value))?,
        "date" if comparison == "eq" || comparison.is_empty() => Test::DayEq(text(&value)),
        "date" => match comparison.as_str() {
            // `lt` includes the whole day named.
            "lt" => Test::Cmp(Ordering::Less, false, format!("{} 23:59:59", text(&value).trim())),
            _ => cmp(text(&value))?,
        },
        "list" => Test::In(match &value {
            Value::Array(a) => a.iter().map(text).collect(),
            other => text(other).split(',').map(|s| s.trim().to_owned()).collect(),
        }),
        "" => Test::Eq(text(&value)),
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

impl Filter {
    fn matches(&self, row: &Value) -> bool {
        let v = row.get(&self.field).unwrap_or(&Value::Null);
        let t = text(v);
        match &self.test {
            Test::Contains(q) => t.to_lowercase().contains(q),
            Test::Bool(b) => entrepot_wire::as_bool_lenient(v).unwrap_or(false) == *b,
            Test::Eq(x) => compare_text(&t, x) == Ordering::Equal,
            Test::DayEq(day) => t.starts_with(day.trim()),
            Test::In(list) => list.iter().any(|x| compare_text(&t, x) == Ordering::Equal),
            Test::Cmp(_, _, _) if v.is_null() => false,
            Test::Cmp(Ordering::Equal, negate, x) => (compare_text(&t, x) == Ordering::Equal) != *negate,
            // Bird's `lt`/`gt` are inclusive (<=, >=).
            Test::Cmp(Ordering::Less, _, x) => compare_text(&t, x) != Ordering::Greater,
            Test::Cmp(Ordering::Greater, _, x) => compare_text(&t, x) != Ordering::Less,
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
