//! The design's JSON form (a scenario file's `"canvas"`, what the page saves, what it sends its
//! tools worker), read and written by hand from [`Value`]s.
//!
//! serde's derive wrote the same form, but its visitors cost the page about 14 KB gzip'd; these
//! readers are a few calls per field, and their errors say which field is wrong and how
//! (`durable: expected true or false, found "yes"`). Unknown fields are ignored, as they were.

use serde_json::{Map, Value};
use warren_engine::names::VecMap;

/// A value with a JSON form.
pub trait Json {
    /// The value `v` stands for, or what is wrong with it.
    fn read(v: &Value) -> Result<Self, String>
    where
        Self: Sized;
    fn write(&self) -> Value;
}

/// A place a [`Json`] value is read into (so that [`field`] is one function for every type).
pub trait Slot {
    fn set(&mut self, v: &Value) -> Result<(), String>;
}

impl<T: Json> Slot for T {
    fn set(&mut self, v: &Value) -> Result<(), String> {
        *self = T::read(v)?;
        Ok(())
    }
}

/// What `v` is, for an error: `found "yes"`, `found an object`.
pub fn found(v: &Value) -> String {
    match v {
        Value::Object(_) => "found an object".into(),
        Value::Array(_) => "found an array".into(),
        _ => format!("found {v}"),
    }
}

/// Object `v`'s fields.
pub fn object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("expected an object, {}", found(v)))
}

/// Read field `key` of `o` into `slot` if it is there (else `slot` keeps its default).
#[inline(never)]
pub fn field(o: &Map<String, Value>, key: &str, slot: &mut dyn Slot) -> Result<(), String> {
    match o.get(key) {
        Some(v) => slot.set(v).map_err(|e| format!("{key}: {e}")),
        None => Ok(()),
    }
}

/// Write `v` as field `key` of `o`.
#[inline(never)]
pub fn put(o: &mut Map<String, Value>, key: &str, v: &dyn Json) {
    o.insert(key.into(), v.write());
}

/// Field `key` of `o`, which must be there.
pub fn need<T: Json>(o: &Map<String, Value>, key: &str) -> Result<T, String> {
    let v = o.get(key).ok_or_else(|| format!("missing field `{key}`"))?;
    T::read(v).map_err(|e| format!("{key}: {e}"))
}

impl Json for bool {
    fn read(v: &Value) -> Result<bool, String> {
        v.as_bool()
            .ok_or_else(|| format!("expected true or false, {}", found(v)))
    }
    fn write(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Json for String {
    fn read(v: &Value) -> Result<String, String> {
        v.as_str()
            .map(String::from)
            .ok_or_else(|| format!("expected a string, {}", found(v)))
    }
    fn write(&self) -> Value {
        Value::String(self.clone())
    }
}

/// A whole number up to `max`.
fn whole(v: &Value, max: u64) -> Result<u64, String> {
    v.as_u64()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("expected a whole number from 0 to {max}, {}", found(v)))
}

macro_rules! whole_json {
    ($($t:ty),*) => {$(
        impl Json for $t {
            fn read(v: &Value) -> Result<$t, String> {
                whole(v, <$t>::MAX as u64).map(|n| n as $t)
            }
            fn write(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
whole_json!(u8, u16, u32, u64);

impl Json for f32 {
    fn read(v: &Value) -> Result<f32, String> {
        v.as_f64()
            .map(|f| f as f32)
            .ok_or_else(|| format!("expected a number, {}", found(v)))
    }
    fn write(&self) -> Value {
        Value::from(*self)
    }
}

/// `null` for none.
impl<T: Json> Json for Option<T> {
    fn read(v: &Value) -> Result<Option<T>, String> {
        match v {
            Value::Null => Ok(None),
            v => T::read(v).map(Some),
        }
    }
    fn write(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::write)
    }
}

impl<T: Json> Json for Vec<T> {
    fn read(v: &Value) -> Result<Vec<T>, String> {
        let a = v.as_array().ok_or_else(|| format!("expected an array, {}", found(v)))?;
        a.iter()
            .enumerate()
            .map(|(i, v)| T::read(v).map_err(|e| format!("item {}: {e}", i + 1)))
            .collect()
    }
    fn write(&self) -> Value {
        Value::Array(self.iter().map(T::write).collect())
    }
}

/// A two-item array.
impl<A: Json, B: Json> Json for (A, B) {
    fn read(v: &Value) -> Result<(A, B), String> {
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok((A::read(a)?, B::read(b)?)),
            _ => Err(format!("expected a pair, {}", found(v))),
        }
    }
    fn write(&self) -> Value {
        Value::Array(vec![self.0.write(), self.1.write()])
    }
}

/// Headers and arguments: an object of strings.
impl Json for VecMap<String, String> {
    fn read(v: &Value) -> Result<Self, String> {
        // inserted one by one: `collect()` would first sort with a copy of the sort algorithm
        let mut m = VecMap::new();
        for (k, v) in object(v)? {
            m.insert(k.clone(), String::read(v).map_err(|e| format!("{k}: {e}"))?);
        }
        Ok(m)
    }
    fn write(&self) -> Value {
        let mut o = Map::new();
        for (k, v) in self {
            o.insert(k.clone(), v.write());
        }
        Value::Object(o)
    }
}

/// [`Json`] for a struct whose missing fields take the struct's `Default`: each line is a key and
/// the field it is read into and written from; `[is_empty]` after a field leaves it out of what is
/// written when empty.
macro_rules! json_object {
    ($ty:ty { $($key:literal: $field:ident $([$omit:ident])?),* $(,)? }) => {
        impl $crate::json::Json for $ty {
            fn read(v: &serde_json::Value) -> Result<$ty, String> {
                let o = $crate::json::object(v)?;
                let mut s = <$ty>::default();
                $( $crate::json::field(o, $key, &mut s.$field)?; )*
                Ok(s)
            }
            fn write(&self) -> serde_json::Value {
                let mut o = serde_json::Map::new();
                $(
                    if true $(&& !self.$field.$omit())? {
                        $crate::json::put(&mut o, $key, &self.$field);
                    }
                )*
                serde_json::Value::Object(o)
            }
        }
    };
}
