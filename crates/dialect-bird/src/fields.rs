//! The field types of Bird's request structs, read as BirdSystem's PHP reads them: every request
//! body is a `#[derive(Deserialize)]` struct in its resource's `types.rs`, read with
//! [`entrepot_wire::typed::from_value`] (keys in any case, numbers as strings), and these types
//! keep the few rules that are Bird's own:
//! - [`Text`]: any scalar as text, trimmed; blank, `null`, arrays and objects count as absent
//!   (so a required field sent as `[]` is "required", as it always was);
//! - [`Int`]: an integer, or a number as text; blank is absent; anything else is refused with the
//!   field's name (`quantity must be a number`), which the transformer words;
//! - anything free-form or validated field by field later (product lists, packages) stays a
//!   [`serde_json::Value`].

use entrepot_wire::{as_i64_lenient, as_string_lenient, typed};
use serde::{
    de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor},
    Deserialize, Deserializer,
};
use serde_json::{Map, Value};

use crate::envelope::BirdError;

/// Text as Bird reads it: trimmed, blank as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

impl Text {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The text, owned.
    pub fn take(&self) -> Option<String> {
        self.0.clone()
    }

    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    /// A 0/1 flag as ERPs send it (`true`, `yes`... too); absent or empty is `false`.
    pub fn flag(&self, field: &str) -> Result<bool, BirdError> {
        match self.get() {
            None => Ok(false),
            Some(v) => entrepot_wire::value::as_bool_lenient(&Value::String(v.to_owned()))
                .ok_or_else(|| entrepot_core::CoreError::invalid(field, format!("'{v}' is not 0 or 1")).into()),
        }
    }
}

/// Reads a scalar straight into trimmed text (one allocation, no intermediate `Value`): a bulk
/// upload reads some fifty of these per row. Numbers and booleans read as
/// [`entrepot_wire::as_string_lenient`] renders them.
struct TextVisitor;

impl TextVisitor {
    fn text(s: &str) -> Text {
        let s = s.trim();
        Text((!s.is_empty()).then(|| s.to_owned()))
    }
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Text, E> {
        Ok(Self::text(s))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(Some(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(Some(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Self::text(&as_string_lenient(&Value::from(v)).unwrap_or_default()))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Text, E> {
        Ok(Text(Some(if b { "1" } else { "0" }.to_owned())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// An integer as sent: checked when read, so that the refusal names the field Bird's way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Int(Value);

impl Int {
    /// The integer; `None` when absent or blank; `{key} must be a number` otherwise.
    pub fn get(&self, key: &str) -> Result<Option<i64>, BirdError> {
        match &self.0 {
            Value::Null => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            v => as_i64_lenient(v).map(Some).ok_or_else(|| BirdError::bad(format!("{key} must be a number"))),
        }
    }

    /// The integer, or `None` for anything that is not one (fields that fall back to a default).
    pub fn lenient(&self) -> Option<i64> {
        as_i64_lenient(&self.0)
    }

    /// The value as sent.
    pub fn raw(&self) -> &Value {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Int)
    }
}

/// Reads a request struct from a JSON value (a body, or one row of a bulk upload).
pub fn read<T: DeserializeOwned>(v: &Value) -> Result<T, BirdError> {
    typed::from_value(v).map_err(|e| BirdError::bad(e.to_string()))
}

/// Reads a request struct from a request's (or a stored row's) fields.
pub fn read_map<T: DeserializeOwned>(m: &Map<String, Value>) -> Result<T, BirdError> {
    // The typed reader walks a value; one shallow copy per request (not per row of an upload,
    // which is read from its own value).
    read(&Value::Object(m.clone()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Body {
        contact: Text,
        quantity: Int,
        #[serde(rename = "return_consignment_action-id")]
        action: Text,
    }

    #[test]
    fn text_is_trimmed_and_blank_or_structured_values_are_absent() {
        let b: Body = read(&json!({"CONTACT": "  Ann ", "Return_Consignment_Action-ID": 91})).unwrap();
        assert_eq!((b.contact.get(), b.action.get()), (Some("Ann"), Some("91")));
        for absent in [json!(""), json!("   "), json!(null), json!([]), json!([1, [2]]), json!({"a": {"b": 1}})] {
            let b: Body = read(&json!({ "contact": absent })).unwrap();
            assert!(b.contact.is_none(), "{absent}");
        }
        for (sent, read_as) in
            [(json!(1.5), "1.5"), (json!(-3), "-3"), (json!(u64::MAX), "18446744073709551615"), (json!(true), "1")]
        {
            let b: Body = read(&json!({ "contact": sent })).unwrap();
            assert_eq!(b.contact.get(), Some(read_as));
        }
    }

    #[test]
    fn integers_are_refused_in_birds_words() {
        let b: Body = read(&json!({"quantity": " 12 "})).unwrap();
        assert_eq!(b.quantity.get("quantity").unwrap(), Some(12));
        let b: Body = read(&json!({"quantity": ""})).unwrap();
        assert_eq!(b.quantity.get("quantity").unwrap(), None);
        let b: Body = read(&json!({"quantity": "twelve"})).unwrap();
        assert_eq!(b.quantity.get("quantity").unwrap_err().message, "quantity must be a number");
        assert_eq!(b.quantity.lenient(), None);
    }
}
