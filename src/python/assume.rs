//! User pins: values the user asserts for expressions the reader cannot know
//! (`settings.use_postgres`, `os.environ['X']`), read from configuration.
//!
//! A key is Python source text. An expression whose source text, normalised
//! the same way, equals a key evaluates to the pinned value. Normalising
//! removes all whitespace and writes every quote as `"`, so
//! `os.environ[ 'X' ]` matches the key `os.environ["X"]`. A pin applies
//! before evaluation: it overrides what the reader would have computed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::python::value::{PyStr, Value};

#[derive(Debug, Clone, Default)]
pub struct Assumptions {
    /// Normalised key -> (key as the user wrote it, value).
    entries: HashMap<String, (String, Value)>,
    /// First characters of the normalised keys, to skip most expressions
    /// without building their normalised text.
    first_bytes: Vec<u8>,
}

impl Assumptions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn insert(&mut self, key: &str, value: Value) {
        let norm = normalise(key);
        if let Some(&b) = norm.as_bytes().first()
            && !self.first_bytes.contains(&b)
        {
            self.first_bytes.push(b);
        }
        self.entries.insert(norm, (key.to_owned(), value));
    }

    /// Pins from a JSON-like map (`{"settings.use_postgres": true}`).
    pub fn from_json(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        let mut a = Assumptions::new();
        for (k, v) in map {
            a.insert(k, json_to_value(v));
        }
        a
    }

    /// Whether some key could match source text starting with `first`.
    pub(crate) fn may_start_with(&self, first: u8) -> bool {
        self.first_bytes.contains(&first)
    }

    /// The pinned value and the key as written, for normalised source text.
    pub(crate) fn lookup(&self, normalised: &str) -> Option<(&str, &Value)> {
        self.entries.get(normalised).map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.values().map(|(k, _)| k.as_str())
    }
}

/// Whitespace removed, `'` written as `"`.
pub fn normalise(src: &str) -> String {
    src.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect()
}

fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::Str(PyStr::plain(Arc::<str>::from(s.as_str()))),
        serde_json::Value::Array(items) => Value::List(items.iter().map(json_to_value).collect()),
        serde_json::Value::Object(map) => Value::Dict(
            map.iter()
                .map(|(k, v)| (Value::str(k.as_str()), json_to_value(v)))
                .collect(),
        ),
    }
}

impl<'de> Deserialize<'de> for Assumptions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        Ok(Assumptions::from_json(&map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_regardless_of_spacing_and_quotes() {
        let mut a = Assumptions::new();
        a.insert("os.environ['X']", Value::str("y"));
        assert!(a.lookup(&normalise("os.environ[ \"X\" ]")).is_some());
        assert!(a.lookup(&normalise("os.environ['Y']")).is_none());
    }

    #[test]
    fn deserialises_from_json() {
        let a: Assumptions =
            serde_json::from_str(r#"{"settings.use_postgres": true, "n": 3, "l": ["a", null]}"#)
                .unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(
            a.lookup("settings.use_postgres").unwrap().1.as_bool(),
            Some(true)
        );
        assert_eq!(a.lookup("n").unwrap().1.as_int(), Some(3));
        assert!(matches!(a.lookup("l").unwrap().1, Value::List(v) if v.len() == 2));
    }
}
