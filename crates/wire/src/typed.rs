//! Typed wire structs read with the same tolerance as the accessors in [`crate::value`].
//!
//! The dialects declare each request body as a `#[derive(Deserialize)]` struct, so a body's shape
//! is documented in one place, and read it from the value [`crate::parse_lenient`] produced with
//! [`from_value`]. The deserializer here applies exactly the rules the field-by-field accessors
//! apply, so a client that worked before works unchanged:
//! - struct keys match field names (and `#[serde(alias)]`es) ignoring case: an exact match wins,
//!   else the first case-insensitive one in the body's order ([`crate::get_ci`]);
//! - integers from numbers or numeric strings ([`crate::as_i64_lenient`]), range-checked for the
//!   field's type; floats only from numbers (amounts are [`Decimal`], never `f64`);
//! - booleans from `1/0`, `true/false`, `yes/no`, `y/n`, `on/off` ([`crate::as_bool_lenient`]);
//! - strings from strings, numbers or booleans ([`crate::as_string_lenient`]);
//! - `Option<T>`: absent or `null` is `None`;
//! - unit enum variants from their (renamed) names ignoring case, so status names sent in any case
//!   map to one enum.
//!
//! Errors carry the path of the offending field (`items[2].quantity`), so each dialect can answer
//! in its own words without re-reading the body.

use std::fmt;

use serde::{
    de::{
        self, value::StrDeserializer, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess,
        SeqAccess, VariantAccess, Visitor,
    },
    Deserialize, Deserializer,
};
use serde_json::{Map, Value};

use crate::value::{as_bool_lenient, as_decimal_minor, as_i64_lenient, as_string_lenient, eq_ignore_case};

/// Deserializes `T` from a lenient-parsed value under the rules of this module.
pub fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, TypedError> {
    T::deserialize(Lenient(v)).map_err(|e| TypedError { field: e.path(), message: e.message })
}

/// Why a body did not fit its struct, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedError {
    /// The offending field's path, like `items[2].quantity`; empty for the body itself.
    pub field: String,
    /// What was wrong, in plain English.
    pub message: String,
}

impl fmt::Display for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for TypedError {}

/// A decimal amount (money, weight, size) kept as sent: the transformer converts it to integer
/// minor units with the exponent the field needs, so no amount passes through floating point.
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal(Value);

impl Decimal {
    /// The amount in minor units (`"10.5"` with exponent 2 is 1050); blank is `Ok(None)`, as
    /// [`as_decimal_minor`] reads it.
    pub fn minor(&self, exponent: u32) -> Result<Option<i64>, String> {
        as_decimal_minor(&self.0, exponent)
    }

    /// The value as the client sent it.
    pub fn raw(&self) -> &Value {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Decimal)
    }
}

/// The deserializer's error: a message and the path walked to the field, innermost last.
#[derive(Debug)]
pub struct Error {
    path: Vec<Segment>,
    message: String,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Error {
    fn at(mut self, s: Segment) -> Self {
        self.path.insert(0, s);
        self
    }

    fn path(&self) -> String {
        let mut out = String::new();
        for s in &self.path {
            match s {
                Segment::Key(k) if out.is_empty() => out.push_str(k),
                Segment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error { path: vec![], message: msg.to_string() }
    }

    fn missing_field(field: &'static str) -> Self {
        Error { path: vec![Segment::Key(field.to_string())], message: "is required".to_string() }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> Error {
    let found = match v {
        Value::String(s) if s.chars().count() <= 40 => format!("`{s}`"),
        other => kind(other).to_string(),
    };
    de::Error::custom(format!("expected {what}, found {found}"))
}

/// A borrowed value read leniently.
struct Lenient<'a>(&'a Value);

impl Lenient<'_> {
    fn int(&self) -> Result<i64, Error> {
        as_i64_lenient(self.0).ok_or_else(|| expected("an integer", self.0))
    }

    fn int_in<T: TryFrom<i64>>(&self) -> Result<T, Error> {
        let n = self.int()?;
        T::try_from(n).map_err(|_| de::Error::custom(format!("{n} is out of range")))
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.int_in::<$ty>()?)
        }
    };
}

impl<'de, 'a> Deserializer<'de> for Lenient<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => visitor.visit_i64(i),
                (None, Some(u), _) => visitor.visit_u64(u),
                (None, None, Some(f)) => visitor.visit_f64(f),
                _ => Err(expected("a number", self.0)),
            },
            Value::String(s) => visitor.visit_str(s),
            Value::Array(a) => visitor.visit_seq(Seq { items: a.iter().enumerate() }),
            Value::Object(m) => visitor.visit_map(Fields::all(m)),
        }
    }

    int_method!(deserialize_i8, visit_i8, i8);
    int_method!(deserialize_i16, visit_i16, i16);
    int_method!(deserialize_i32, visit_i32, i32);
    int_method!(deserialize_i64, visit_i64, i64);
    int_method!(deserialize_u8, visit_u8, u8);
    int_method!(deserialize_u16, visit_u16, u16);
    int_method!(deserialize_u32, visit_u32, u32);
    int_method!(deserialize_u64, visit_u64, u64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(as_bool_lenient(self.0).ok_or_else(|| expected("a yes/no flag", self.0))?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => visitor.visit_f64(n.as_f64().ok_or_else(|| expected("a number", self.0))?),
            other => Err(expected("a number", other)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            other => self.deserialize_string_of(other, visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            other => Err(expected("null", other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(Seq { items: a.iter().enumerate() }),
            other => Err(expected("a list", other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(Fields::all(m)),
            other => Err(expected("an object", other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(Fields::matching(m, fields)),
            other => Err(expected("an object", other)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) if m.len() == 1 => {
                let (k, v) = m.iter().next().ok_or_else(|| expected("one variant", self.0))?;
                visitor.visit_enum(Variant { name: canonical(k, variants), value: Some(v) })
            }
            Value::Object(_) | Value::Array(_) | Value::Null => Err(expected("one of the names allowed", self.0)),
            other => {
                let text = as_string_lenient(other).unwrap_or_default();
                let name = canonical(text.trim(), variants);
                if !variants.contains(&name) {
                    return Err(de::Error::custom(format!("`{text}` is not one of {}", variants.join(", "))));
                }
                visitor.visit_enum(Variant { name, value: None })
            }
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

impl Lenient<'_> {
    fn deserialize_string_of<'de, V: Visitor<'de>>(&self, v: &Value, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(as_string_lenient(v).ok_or_else(|| expected("text", v))?)
    }
}

/// The name in `names` that `key` stands for: itself if listed, else the first listed name equal
/// to it ignoring case, else `key` unchanged (an unknown key, which the struct ignores).
fn canonical<'k>(key: &'k str, names: &'static [&'static str]) -> &'k str {
    if names.contains(&key) {
        return key;
    }
    names.iter().find(|n| eq_ignore_case(key, n)).copied().unwrap_or(key)
}

struct Seq<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some((i, v)) => seed.deserialize(Lenient(v)).map(Some).map_err(|e| e.at(Segment::Index(i))),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's entries as the visitor sees them: for a struct, one entry per field the body holds
/// (under the field's own name, whatever case the body used), then the keys matching no field.
struct Fields<'a> {
    entries: std::vec::IntoIter<(&'a str, &'a Value)>,
    pending: Option<(&'a str, &'a Value)>,
}

impl<'a> Fields<'a> {
    fn all(m: &'a Map<String, Value>) -> Self {
        let entries: Vec<_> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
        Fields { entries: entries.into_iter(), pending: None }
    }

    fn matching(m: &'a Map<String, Value>, fields: &'static [&'static str]) -> Self {
        let mut entries = Vec::with_capacity(m.len());
        let mut taken = vec![false; m.len()];
        for field in fields {
            let exact = m.keys().position(|k| k == field);
            let found = exact.or_else(|| m.keys().position(|k| eq_ignore_case(k, field)));
            if let Some(i) = found {
                if !taken[i] {
                    taken[i] = true;
                    if let Some((_, v)) = m.iter().nth(i) {
                        entries.push((*field, v));
                    }
                }
            }
        }
        // Keys no field claimed stay visible to `#[serde(flatten)]` or `deny_unknown_fields`;
        // plain structs ignore them. A second spelling of a claimed field is dropped, as `get_ci`
        // never sees it either.
        for (i, (k, v)) in m.iter().enumerate() {
            if !taken[i] && !fields.iter().any(|f| eq_ignore_case(k, f)) {
                entries.push((k.as_str(), v));
            }
        }
        Fields { entries: entries.into_iter(), pending: None }
    }
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.pending = Some((k, v));
                let key: StrDeserializer<'_, Error> = k.into_deserializer();
                seed.deserialize(key).map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (k, v) = self.pending.take().ok_or_else(|| de::Error::custom("value asked before its key"))?;
        seed.deserialize(Lenient(v)).map_err(|e| e.at(Segment::Key(k.to_string())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'a> {
    name: &'a str,
    value: Option<&'a Value>,
}

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = VariantValue<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantValue<'a>), Error> {
        let key: StrDeserializer<'_, Error> = self.name.into_deserializer();
        let name = seed.deserialize(key)?;
        Ok((name, VariantValue(self.value)))
    }
}

struct VariantValue<'a>(Option<&'a Value>);

impl<'de> VariantAccess<'de> for VariantValue<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(expected("a name alone", v)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(v) => seed.deserialize(Lenient(v)),
            None => Err(de::Error::custom("expected a value with the name")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(v) => Lenient(v).deserialize_seq(visitor),
            None => Err(de::Error::custom("expected a list with the name")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(v) => Lenient(v).deserialize_struct("", fields, visitor),
            None => Err(de::Error::custom("expected an object with the name")),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    enum Status {
        #[serde(rename = "PREPARING")]
        Preparing,
        #[serde(rename = "SENT")]
        Sent,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Line {
        sku: String,
        quantity: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        reference_no: String,
        #[serde(alias = "remark")]
        note: Option<String>,
        urgent: Option<bool>,
        status: Option<Status>,
        #[serde(default)]
        lines: Vec<Line>,
        weight: Option<Decimal>,
    }

    #[test]
    fn keys_in_any_case_and_scalars_as_php_sends_them() {
        let v = json!({
            "REFERENCENO": 12345, "Remark": "fragile", "urgent": "yes", "status": "sent",
            "Lines": [{"SKU": "A-1", "Quantity": "3"}, {"sku": 7, "quantity": 2.0}], "weight": "1.250"
        });
        let o: Order = from_value(&v).unwrap();
        assert_eq!(o.reference_no, "12345");
        assert_eq!(o.note.as_deref(), Some("fragile"));
        assert_eq!(o.urgent, Some(true));
        assert_eq!(o.status, Some(Status::Sent));
        assert_eq!(o.lines, vec![Line { sku: "A-1".into(), quantity: 3 }, Line { sku: "7".into(), quantity: 2 }]);
        assert_eq!(o.weight.unwrap().minor(3), Ok(Some(1250)));
    }

    #[test]
    fn an_exact_match_wins_over_other_spellings() {
        let v = json!({"ReferenceNo": "first", "referenceNo": "exact"});
        let o: Order = from_value(&v).unwrap();
        assert_eq!(o.reference_no, "exact");
        let v = json!({"REFERENCENO": "first", "Referenceno": "second"});
        assert_eq!(from_value::<Order>(&v).unwrap().reference_no, "first");
    }

    #[test]
    fn absent_and_null_are_none_and_unknown_keys_are_ignored() {
        let o: Order = from_value(&json!({"referenceNo": "r", "note": null, "extra": [1, 2]})).unwrap();
        assert_eq!((o.note, o.urgent, o.status, o.lines.len()), (None, None, None, 0));
    }

    #[test]
    fn errors_name_the_field_by_its_path() {
        let e = from_value::<Order>(
            &json!({"referenceNo": "r", "lines": [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": "7.5"}]}),
        )
        .unwrap_err();
        assert_eq!(e.field, "lines[1].quantity");
        assert_eq!(e.message, "expected an integer, found `7.5`");
        let e = from_value::<Order>(&json!({"lines": []})).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("referenceNo", "is required"));
        let e = from_value::<Order>(&json!({"referenceNo": "r", "lines": [{"sku": "a", "quantity": -1}]})).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("lines[0].quantity", "-1 is out of range"));
        let e = from_value::<Order>(&json!({"referenceNo": "r", "status": "LOST"})).unwrap_err();
        assert_eq!(e.to_string(), "status: `LOST` is not one of PREPARING, SENT");
        let e = from_value::<Order>(&json!({"referenceNo": "r", "urgent": "maybe"})).unwrap_err();
        assert_eq!(e.to_string(), "urgent: expected a yes/no flag, found `maybe`");
        let e = from_value::<Order>(&json!([1])).unwrap_err();
        assert_eq!(e.to_string(), "expected an object, found an array");
    }

    #[test]
    fn maps_and_values_pass_through() {
        #[derive(Deserialize)]
        struct Free {
            attrs: std::collections::BTreeMap<String, String>,
            raw: Value,
        }
        let f: Free = from_value(&json!({"Attrs": {"Colour": 3}, "raw": {"a": [1, "b"]}})).unwrap();
        assert_eq!(f.attrs.get("Colour").map(String::as_str), Some("3"));
        assert_eq!(f.raw, json!({"a": [1, "b"]}));
    }
}
