//! Reading the `data` of an OC request: keys matched case-insensitively (`MFSKUID`, `mfskuid`,
//! `mfSkuId`), numbers accepted as strings, and every refusal a [`CoreError`] naming the field
//! (and the item of a batch, via [`CoreError::at_line`]).
//!
//! Each resource declares its request bodies as structs in its `types.rs`, read with
//! [`decode`] (`entrepot_wire::typed`: keys in any case). A field whose refusal OC's clients know
//! by its wording (`referenceNumber is required.`, `skuQuantity must be a positive integer.`) is a
//! [`Field`]: the value as sent, read by the resource's transformer with the methods below, which
//! word refusals as the dialect always has (text is trimmed and empty text counts as absent).

use entrepot_core::CoreError;
use entrepot_wire::{as_i64_lenient, as_string_lenient, typed};
use serde::{de::DeserializeOwned, Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::{
    envelope::OcError,
    time::{self, DayEnd},
};

/// `v` as a `T`: an object (`null` reads as an empty one) with keys in any case. `what` names it
/// in a refusal (`data`, `productList[2]`).
pub fn decode<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, CoreError> {
    let read = match v {
        Value::Object(_) => typed::from_value::<T>(v),
        Value::Null => typed::from_value::<T>(&Value::Object(Map::new())),
        _ => return Err(CoreError::invalid(what, "must be a JSON object")),
    };
    read.map_err(|e| {
        let field = if e.field.is_empty() { what.to_owned() } else { format!("{what}.{}", e.field) };
        CoreError::invalid(field, e.message)
    })
}

/// A request field as the client sent it (`None` when absent or `null`), read by a transformer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field(pub Option<Value>);

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<Value>::deserialize(d).map(|v| Field(v.filter(|v| !v.is_null())))
    }
}

impl Field {
    /// The value, unless absent or `null`.
    pub fn get(&self) -> Option<&Value> {
        self.0.as_ref()
    }

    /// This field, or `other` when this one is absent (a second name for the same thing).
    pub fn or<'a>(&'a self, other: &'a Field) -> &'a Field {
        if self.0.is_some() {
            self
        } else {
            other
        }
    }

    /// Text, trimmed; empty counts as absent.
    pub fn text(&self) -> Option<String> {
        self.get().and_then(trimmed)
    }

    /// Text that must be present, at most `max` characters; `field` names it in a refusal.
    pub fn required(&self, field: &str, max: usize) -> Result<String, CoreError> {
        let v = self.text().ok_or_else(|| CoreError::invalid(field, "is required"))?;
        check_len(field, &v, max)?;
        Ok(v)
    }

    /// Optional text of at most `max` characters.
    pub fn optional(&self, field: &str, max: usize) -> Result<Option<String>, CoreError> {
        let v = self.text();
        if let Some(v) = &v {
            check_len(field, v, max)?;
        }
        Ok(v)
    }

    /// An integer (number or numeric string); blank text counts as absent.
    pub fn int(&self, field: &str) -> Result<Option<i64>, CoreError> {
        match self.get() {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => as_i64_lenient(v)
                .map(Some)
                .ok_or_else(|| CoreError::invalid(field, format!("must be an integer, not {v}"))),
        }
    }

    /// A flag: `true`/`false`, `1`/`0` (number or text, any case); absent, `null` or blank text
    /// is `None`.
    pub fn flag(&self, field: &str) -> Result<Option<bool>, CoreError> {
        let text = match self.get() {
            None => return Ok(None),
            Some(Value::Bool(b)) => return Ok(Some(*b)),
            Some(v) => trimmed(v),
        };
        match text.map(|t| t.to_ascii_lowercase()).as_deref() {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(_) => Err(CoreError::invalid(field, "must be true or false")),
        }
    }

    /// A time in any of OC's forms; blank text counts as absent.
    pub fn time(&self, field: &str, end: DayEnd) -> Result<Option<i64>, CoreError> {
        match self.get() {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => time::parse(v, end).map(Some).map_err(|m| CoreError::invalid(field, m)),
        }
    }

    /// The items of a list; absent reads as empty, a single object as a list of one.
    pub fn list(&self, field: &str) -> Result<Vec<&Value>, CoreError> {
        match self.get() {
            None => Ok(vec![]),
            Some(Value::Array(a)) => Ok(a.iter().collect()),
            Some(v @ Value::Object(_)) => Ok(vec![v]),
            Some(_) => Err(CoreError::invalid(field, "must be a list")),
        }
    }

    /// The items of a list of objects, each read as a `T` (`field[k]` in a refusal).
    pub fn objects<T: DeserializeOwned>(&self, field: &str) -> Result<Vec<T>, CoreError> {
        self.list(field)?.into_iter().enumerate().map(|(k, v)| decode(v, &format!("{field}[{k}]"))).collect()
    }

    /// Texts from a list of objects holding one (`key` picks it) or of plain strings, e.g.
    /// `mfskulist:[{mfskuid}]` or `["OC1"]`.
    pub fn texts<T: DeserializeOwned>(
        &self,
        field: &str,
        key: impl Fn(&T) -> &Field,
    ) -> Result<Vec<String>, CoreError> {
        let mut out = vec![];
        for (k, v) in self.list(field)?.into_iter().enumerate() {
            let t = match v {
                Value::Object(_) => key(&decode::<T>(v, &format!("{field}[{k}]"))?).text(),
                other => trimmed(other),
            };
            out.extend(t);
        }
        Ok(out)
    }
}

/// A scalar as text, trimmed; empty counts as absent.
pub fn trimmed(v: &Value) -> Option<String> {
    as_string_lenient(v).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The `data` of a call as a `T`; anything but an object (or nothing) is refused naming what
/// was expected.
pub fn data<T: DeserializeOwned>(data: &Value) -> Result<T, OcError> {
    match data {
        Value::Object(_) | Value::Null => Ok(decode(data, "data")?),
        _ => Err(OcError::invalid("data must be a JSON object.")),
    }
}

/// The items of a batch `data` (a single object is taken as a batch of one): at least one, at
/// most `max`; `what` names an item in the plural (`orders`, `SKUs`). Refused whole otherwise.
pub fn batch<'a>(data: &'a Value, what: &str, max: usize) -> Result<Vec<&'a Value>, OcError> {
    let items: Vec<&Value> = match data {
        Value::Array(a) => a.iter().collect(),
        v @ Value::Object(_) => vec![v],
        Value::Null => vec![],
        _ => return Err(OcError::invalid(format!("data must be a list of {what}."))),
    };
    if items.is_empty() {
        return Err(OcError::invalid(format!("data must list at least one of the {what}.")));
    }
    if items.len() > max {
        return Err(OcError::invalid(format!(
            "At most {max} {what} are allowed per request; this request has {}. Nothing was created.",
            items.len()
        )));
    }
    Ok(items)
}

fn check_len(field: &str, v: &str, max: usize) -> Result<(), CoreError> {
    if v.chars().count() > max {
        return Err(CoreError::invalid(field, format!("is longer than {max} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    struct Probe {
        mfskuid: Field,
        quantity: Field,
        mfsku_list: Field,
        blank: Field,
        q: Field,
        x: Field,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct Entry {
        mfskuid: Field,
    }

    #[test]
    fn keys_any_case_numbers_as_strings() {
        let v = json!({"MFSKUID": "OC1", "Quantity": "10", "mfskulist": [{"mfSkuId": "OC2"}, "OC3"], "blank": " "});
        let o: Probe = decode(&v, "data").unwrap();
        assert_eq!(o.mfskuid.text().as_deref(), Some("OC1"));
        assert_eq!(o.quantity.int("quantity").unwrap(), Some(10));
        assert_eq!(o.mfsku_list.texts("mfskuList", |e: &Entry| &e.mfskuid).unwrap(), vec!["OC2", "OC3"]);
        assert_eq!(o.blank.text(), None);
        assert!(o.blank.required("blank", 5).unwrap_err().to_string().contains("blank: is required"));
        assert!(o.mfskuid.required("mfskuid", 2).is_err());
        assert!(decode::<Probe>(&json!({"q": "x"}), "d").unwrap().q.int("q").is_err());
        assert!(decode::<Probe>(&Value::Null, "data").unwrap().x.get().is_none());
    }

    #[test]
    fn flags_read_booleans_and_their_usual_spellings() {
        let flag = |v: Value| Field(Some(v).filter(|v| !v.is_null())).flag("f");
        for (v, want) in [(json!(true), Some(true)), (json!("TRUE"), Some(true)), (json!(1), Some(true))] {
            assert_eq!(flag(v).unwrap(), want);
        }
        for (v, want) in [(json!(false), Some(false)), (json!(" false "), Some(false)), (json!("0"), Some(false))] {
            assert_eq!(flag(v).unwrap(), want);
        }
        assert_eq!(flag(Value::Null).unwrap(), None);
        assert_eq!(flag(json!(" ")).unwrap(), None);
        assert_eq!(flag(json!("yes")).unwrap_err().to_string(), "f: must be true or false");
        assert!(flag(json!(2)).is_err());
    }
}
