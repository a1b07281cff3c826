//! Headers exchange matching (semantics §5): `x-match` all / any / all-with-x / any-with-x.

use crate::error::AmqpError;
use crate::field::{FieldTable, FieldValue};

/// How a headers binding matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum XMatch {
    All,
    Any,
    AllWithX,
    AnyWithX,
}

/// Validate a headers binding's arguments (`rabbit_exchange_type_headers:validate_binding/2`).
pub fn validate(args: &FieldTable) -> Result<XMatch, AmqpError> {
    match args.get("x-match") {
        None => Ok(XMatch::All),
        Some(FieldValue::Str(s)) => match s.as_str() {
            "all" => Ok(XMatch::All),
            "any" => Ok(XMatch::Any),
            "all-with-x" => Ok(XMatch::AllWithX),
            "any-with-x" => Ok(XMatch::AnyWithX),
            other => Err(AmqpError::precondition_failed(format!(
                "Invalid x-match field value <<\"{other}\">>; expected all, any, all-with-x, or any-with-x"
            ))),
        },
        Some(v) => Err(AmqpError::precondition_failed(format!(
            "Invalid x-match field type {} (value {}); expected longstr",
            v.type_name(),
            v
        ))),
    }
}

/// True when a message with `headers` (None = no headers) matches a binding with `args`.
/// Arguments that fail [`validate`] never reach here; as a fallback they match as `all`.
pub fn matches(args: &FieldTable, headers: Option<&FieldTable>) -> bool {
    let kind = validate(args).unwrap_or(XMatch::All);
    let with_x = matches!(kind, XMatch::AllWithX | XMatch::AnyWithX);
    let empty = FieldTable::new();
    let headers = headers.unwrap_or(&empty);
    let pattern = args
        .iter()
        .filter(|(k, _)| *k != "x-match" && (with_x || !k.starts_with("x-")));
    let mut one = |(k, p): (&String, &FieldValue)| match headers.get(k) {
        None => false,
        Some(v) => matches!(p, FieldValue::Void) || p.num_eq(v),
    };
    match kind {
        XMatch::All | XMatch::AllWithX => pattern.into_iter().all(&mut one),
        XMatch::Any | XMatch::AnyWithX => pattern.into_iter().any(&mut one),
    }
}
