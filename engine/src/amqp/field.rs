//! AMQP field tables and values, as RabbitMQ sees them (types kept, ordered keys).
//!
//! Scenario files carry plain JSON; [`FieldValue::from_json`] gives each JSON value the AMQP type
//! that pika, the client the scenario format follows, would send: strings are `longstr`, integers
//! `signedint` when they fit 32 bits and `long` otherwise, booleans `bool`, `null` is `void`,
//! objects are tables and arrays arrays. pika cannot encode floats in tables, so neither can a
//! scenario. The typed form `["decimal", "1.5"]`-style pairs is used by the conformance vectors.

use crate::names::VecMap;
use std::cmp::Ordering;
use std::fmt;

/// A field table: ordered by key, so iteration (and everything derived from it) is deterministic.
pub type FieldTable = VecMap<String, FieldValue>;

/// A field table's size on the wire: its length (four bytes), then each field's name (a short
/// string) and value.
pub fn table_encoded_len(t: &FieldTable) -> u64 {
    4 + t.iter().map(|(k, v)| 1 + k.len() as u64 + v.encoded_len()).sum::<u64>()
}

/// One typed AMQP field value.
#[derive(Clone, Debug)]
pub enum FieldValue {
    /// `bool` (`t`).
    Bool(bool),
    /// `byte` (`b`), `short` (`s`), `signedint` (`I`), `long` (`l`), and the unsigned variants:
    /// integers keep their wire type for error texts; equality ignores it ([`FieldValue::num_eq`]).
    Int(IntType, i64),
    /// `float`/`double`.
    Float(f64),
    /// `decimal` (`D`), written as its decimal string (e.g. `"1"`, `"1.50"`): scale and digits.
    Decimal(String),
    /// `longstr` (`S`); bytes, usually UTF-8.
    Str(String),
    /// `timestamp` (`T`), seconds.
    Timestamp(u64),
    /// `table` (`F`).
    Table(FieldTable),
    /// `array` (`A`).
    Array(Vec<FieldValue>),
    /// `void` (`V`).
    Void,
}

/// The wire type of an integer field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntType {
    Byte,
    UnsignedByte,
    Short,
    UnsignedShort,
    SignedInt,
    UnsignedInt,
    Long,
}

impl IntType {
    pub fn name(self) -> &'static str {
        match self {
            IntType::Byte => "byte",
            IntType::UnsignedByte => "unsignedbyte",
            IntType::Short => "short",
            IntType::UnsignedShort => "unsignedshort",
            IntType::SignedInt => "signedint",
            IntType::UnsignedInt => "unsignedint",
            IntType::Long => "long",
        }
    }
}

impl FieldValue {
    /// Its size on the wire in a field table or array: the type octet and the value (AMQP 0-9-1
    /// §4.2.5.5, as RabbitMQ encodes it: a float is a `double`, a decimal a scale octet and four
    /// bytes).
    pub fn encoded_len(&self) -> u64 {
        1 + match self {
            FieldValue::Bool(_) => 1,
            FieldValue::Int(t, _) => match t {
                IntType::Byte | IntType::UnsignedByte => 1,
                IntType::Short | IntType::UnsignedShort => 2,
                IntType::SignedInt | IntType::UnsignedInt => 4,
                IntType::Long => 8,
            },
            FieldValue::Float(_) | FieldValue::Timestamp(_) => 8,
            FieldValue::Decimal(_) => 5,
            FieldValue::Str(s) => 4 + s.len() as u64,
            FieldValue::Table(t) => table_encoded_len(t),
            FieldValue::Array(a) => 4 + a.iter().map(FieldValue::encoded_len).sum::<u64>(),
            FieldValue::Void => 0,
        }
    }

    /// RabbitMQ's name for the value's type, as in its error texts (`signedint`, `longstr`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            FieldValue::Bool(_) => "bool",
            FieldValue::Int(t, _) => t.name(),
            FieldValue::Float(_) => "double",
            FieldValue::Decimal(_) => "decimal",
            FieldValue::Str(_) => "longstr",
            FieldValue::Timestamp(_) => "timestamp",
            FieldValue::Table(_) => "table",
            FieldValue::Array(_) => "array",
            FieldValue::Void => "void",
        }
    }

    /// `rabbit_misc:type_class/1`: integer types compare as one class, floats as another.
    pub fn type_class(&self) -> &'static str {
        match self {
            FieldValue::Int(..) => "int",
            FieldValue::Float(_) => "float",
            other => other.type_name(),
        }
    }

    /// The integer, for integer-typed values.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            FieldValue::Int(_, v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Erlang `==` on the decoded values (RabbitMQ 3.10's headers matching): numbers compare by
    /// value whatever their wire type (`signedint 1 == long 1 == 1.0`); everything else compares
    /// structurally. Nested tables and arrays keep their element types (they are `{Type, Value}`
    /// tuples in Erlang), so there integer types must agree.
    pub fn num_eq(&self, other: &FieldValue) -> bool {
        match (self, other) {
            (FieldValue::Int(_, a), FieldValue::Int(_, b)) => a == b,
            (FieldValue::Int(_, a), FieldValue::Float(b)) | (FieldValue::Float(b), FieldValue::Int(_, a)) => {
                (*a as f64) == *b
            }
            (FieldValue::Float(a), FieldValue::Float(b)) => a == b,
            (FieldValue::Timestamp(a), FieldValue::Timestamp(b)) => a == b,
            (FieldValue::Int(_, a), FieldValue::Timestamp(b)) | (FieldValue::Timestamp(b), FieldValue::Int(_, a)) => {
                *a >= 0 && *a as u64 == *b
            }
            _ => self.strict_eq(other),
        }
    }

    /// Equality of `{Type, Value}` pairs: the type takes part.
    pub fn strict_eq(&self, other: &FieldValue) -> bool {
        self.cmp(other) == Ordering::Equal
    }

    fn rank(&self) -> u8 {
        match self {
            FieldValue::Bool(_) => 0,
            FieldValue::Int(..) => 1,
            FieldValue::Float(_) => 2,
            FieldValue::Decimal(_) => 3,
            FieldValue::Str(_) => 4,
            FieldValue::Timestamp(_) => 5,
            FieldValue::Table(_) => 6,
            FieldValue::Array(_) => 7,
            FieldValue::Void => 8,
        }
    }

    /// The value as pika would send it, from a plain JSON value (see the module doc). Floats are
    /// refused, as pika refuses them.
    pub fn from_json(v: &serde_json::Value) -> Result<FieldValue, String> {
        use serde_json::Value;
        Ok(match v {
            Value::Null => FieldValue::Void,
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    if i32::try_from(i).is_ok() {
                        FieldValue::Int(IntType::SignedInt, i)
                    } else {
                        FieldValue::Int(IntType::Long, i)
                    }
                } else {
                    return Err(format!(
                        "{n} cannot be sent in a field table (pika encodes only integers within 64 bits, not floats)"
                    ));
                }
            }
            Value::String(s) => FieldValue::Str(s.clone()),
            Value::Array(a) => FieldValue::Array(a.iter().map(FieldValue::from_json).collect::<Result<_, _>>()?),
            Value::Object(o) => FieldValue::Table(table_from_json(o)?),
        })
    }

    /// The typed form `[amqp_type, value]` used by the conformance vectors.
    pub fn from_typed_json(v: &serde_json::Value) -> Result<FieldValue, String> {
        let pair = v
            .as_array()
            .filter(|a| a.len() == 2)
            .ok_or_else(|| format!("expected [type, value], got {v}"))?;
        let ty = pair[0].as_str().ok_or("type must be a string")?;
        let val = &pair[1];
        let int = |t| {
            val.as_i64()
                .map(|i| FieldValue::Int(t, i))
                .ok_or_else(|| format!("{ty} needs an integer"))
        };
        Ok(match ty {
            "bool" => FieldValue::Bool(val.as_bool().ok_or("bool needs true or false")?),
            "byte" => int(IntType::Byte)?,
            "short" => int(IntType::Short)?,
            "signedint" => int(IntType::SignedInt)?,
            "long" => int(IntType::Long)?,
            "float" | "double" => FieldValue::Float(val.as_f64().ok_or("float needs a number")?),
            "decimal" => FieldValue::Decimal(val.as_str().ok_or("decimal needs a string")?.to_string()),
            "longstr" => FieldValue::Str(val.as_str().ok_or("longstr needs a string")?.to_string()),
            "timestamp" => FieldValue::Timestamp(val.as_u64().ok_or("timestamp needs seconds")?),
            "void" => FieldValue::Void,
            "table" => {
                let o = val.as_object().ok_or("table needs an object")?;
                let mut t = FieldTable::new();
                for (k, v) in o {
                    t.insert(k.clone(), FieldValue::from_typed_json(v)?);
                }
                FieldValue::Table(t)
            }
            "array" => FieldValue::Array(
                val.as_array()
                    .ok_or("array needs a list")?
                    .iter()
                    .map(FieldValue::from_typed_json)
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("unknown AMQP type '{other}'")),
        })
    }

    /// The value as pika decodes it (strings, integers, booleans, lists, objects).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::Int(_, i) => Value::from(*i),
            FieldValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            FieldValue::Decimal(d) => Value::String(d.clone()),
            FieldValue::Str(s) => Value::String(s.clone()),
            FieldValue::Timestamp(t) => Value::from(*t),
            FieldValue::Table(t) => table_to_json(t),
            FieldValue::Array(a) => Value::Array(a.iter().map(FieldValue::to_json).collect()),
            FieldValue::Void => Value::Null,
        }
    }
}

/// A table from a plain JSON object (pika's typing, see the module doc).
pub fn table_from_json(o: &serde_json::Map<String, serde_json::Value>) -> Result<FieldTable, String> {
    let mut t = FieldTable::new();
    for (k, v) in o {
        t.insert(k.clone(), FieldValue::from_json(v).map_err(|e| format!("'{k}': {e}"))?);
    }
    Ok(t)
}

pub fn table_to_json(t: &FieldTable) -> serde_json::Value {
    serde_json::Value::Object(crate::sort::map_of(t.iter().map(|(k, v)| (k.clone(), v.to_json()))))
}

impl PartialEq for FieldValue {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for FieldValue {}
impl PartialOrd for FieldValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for FieldValue {
    fn cmp(&self, other: &Self) -> Ordering {
        use FieldValue::*;
        match (self, other) {
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(ta, a), Int(tb, b)) => ta.cmp(tb).then(a.cmp(b)),
            (Float(a), Float(b)) => a.total_cmp(b),
            (Decimal(a), Decimal(b)) => a.cmp(b),
            (Str(a), Str(b)) => a.cmp(b),
            (Timestamp(a), Timestamp(b)) => a.cmp(b),
            (Table(a), Table(b)) => a.cmp(b),
            (Array(a), Array(b)) => a.cmp(b),
            (Void, Void) => Ordering::Equal,
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl fmt::Display for FieldValue {
    /// Erlang's `~p`-like rendering used inside RabbitMQ's error texts for a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Int(_, i) => write!(f, "{i}"),
            FieldValue::Float(x) => f.write_str(&crate::num::float_text(*x)),
            FieldValue::Decimal(d) => write!(f, "{d}"),
            FieldValue::Str(s) => write!(f, "{s}"),
            FieldValue::Timestamp(t) => write!(f, "{t}"),
            FieldValue::Table(_) => write!(f, "table"),
            FieldValue::Array(_) => write!(f, "array"),
            FieldValue::Void => write!(f, "undefined"),
        }
    }
}
