//! Queue arguments (semantics §4.1–§4.4): the `x-` arguments a declare may carry, checked in
//! `rabbit_amqqueue:check_declare_arguments/2`'s order with its texts, the queue types' own
//! argument lists, and the equivalence of a second declare (`inequivalent arg`).

use super::*;

/// `rabbit_misc:val/1` for a value present on one side only.
pub(super) fn val_typed(v: Option<&FieldValue>) -> String {
    match v {
        None => "none".into(),
        Some(v) => format!("the value '{}' of type '{}'", v, v.type_name()),
    }
}

pub(super) fn inequivalent(key: &str, what: &str, received: String, current: String) -> AmqpError {
    AmqpError::precondition_failed(format!(
        "inequivalent arg '{key}' for {what}: received {received} but current is {current}"
    ))
}

/// `rabbit_misc:assert_args_equivalence/4` for one key.
pub(super) fn assert_arg(key: &str, what: &str, current: &FieldTable, new: &FieldTable) -> R<()> {
    match (current.get(key), new.get(key)) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) => {
            if a.type_class() == b.type_class() && a.num_eq(b) && (a.type_class() == "int" || a == b) {
                Ok(())
            } else {
                Err(inequivalent(key, what, format!("'{b}'"), format!("'{a}'")))
            }
        }
        (a, b) => Err(inequivalent(key, what, val_typed(b), val_typed(a))),
    }
}

pub(super) fn bool_field(key: &str, what: &str, current: bool, new: bool) -> R<()> {
    if current == new {
        Ok(())
    } else {
        Err(inequivalent(key, what, format!("'{new}'"), format!("'{current}'")))
    }
}

pub(super) const CLASSIC_EQUIV_ARGS: [&str; 13] = [
    "x-expires",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-priority",
    "x-overflow",
    "x-queue-mode",
    "x-queue-version",
    "x-single-active-consumer",
    "x-queue-type",
    "x-queue-master-locator",
];

/// The arguments a quorum queue knows (3.10 `rabbit_quorum_queue:capabilities/0`), compared in
/// this order on re-declare.
pub(super) const QUORUM_ARGS: [&str; 14] = [
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-dead-letter-strategy",
    "x-expires",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-in-memory-length",
    "x-max-in-memory-bytes",
    "x-overflow",
    "x-single-active-consumer",
    "x-queue-type",
    "x-quorum-initial-group-size",
    "x-delivery-limit",
    "x-message-ttl",
];

/// Arguments some queue type knows: one a queue's type does not know is refused.
pub(super) const ALL_TYPE_ARGS: [&str; 21] = [
    "x-expires",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-dead-letter-strategy",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-in-memory-length",
    "x-max-in-memory-bytes",
    "x-max-priority",
    "x-overflow",
    "x-queue-mode",
    "x-queue-version",
    "x-single-active-consumer",
    "x-queue-type",
    "x-queue-master-locator",
    "x-quorum-initial-group-size",
    "x-delivery-limit",
    "x-max-age",
    "x-stream-max-segment-size-bytes",
    "x-initial-cluster-size",
];

/// Arguments of other queue types, refused on a classic queue.
pub(super) const OTHER_TYPE_ARGS: [&str; 8] = [
    "x-delivery-limit",
    "x-dead-letter-strategy",
    "x-quorum-initial-group-size",
    "x-max-age",
    "x-stream-max-segment-size-bytes",
    "x-initial-cluster-size",
    "x-queue-leader-locator",
    "x-max-in-memory-length",
];

/// `rabbit_amqqueue:check_declare_arguments/2`, in its order; the reason as Erlang prints it.
pub(super) fn check_queue_args(args: &FieldTable) -> Result<QueueConfig, (String, String)> {
    let int = |k: &str| -> Result<Option<i64>, (String, String)> {
        match args.get(k) {
            None => Ok(None),
            Some(FieldValue::Int(_, v)) => Ok(Some(*v)),
            Some(v) => Err((k.to_string(), format!("{{unacceptable_type,{}}}", v.type_name()))),
        }
    };
    let non_neg = |k: &str| -> Result<Option<u64>, (String, String)> {
        match int(k)? {
            Some(v) if v < 0 => Err((k.to_string(), format!("{{value_negative,{v}}}"))),
            v => Ok(v.map(|v| v as u64)),
        }
    };
    let mut cfg = QueueConfig::default();
    // x-expires: positive integer
    match args.get("x-expires") {
        None => {}
        Some(FieldValue::Int(_, v)) if *v > 0 => cfg.expires = Some(*v as u64),
        Some(FieldValue::Int(_, 0)) => return Err(("x-expires".into(), "{value_zero,0}".into())),
        Some(FieldValue::Int(_, v)) => return Err(("x-expires".into(), format!("{{value_negative,{v}}}"))),
        Some(v) => return Err(("x-expires".into(), format!("{{unacceptable_type,{}}}", v.type_name()))),
    }
    match args.get("x-message-ttl") {
        None => {}
        Some(FieldValue::Int(_, v)) if *v >= 0 => cfg.message_ttl = Some(*v as u64),
        Some(FieldValue::Int(_, v)) => return Err(("x-message-ttl".into(), format!("{{value_negative,{v}}}"))),
        Some(v) => {
            return Err((
                "x-message-ttl".into(),
                format!("\"expected integer, got {}\"", v.type_name()),
            ))
        }
    }
    if let Some(v) = args.get("x-dead-letter-exchange") {
        cfg.dlx = v.as_str().map(Name::from);
    }
    if let Some(v) = args.get("x-dead-letter-routing-key") {
        if cfg.dlx.is_none() {
            return Err((
                "x-dead-letter-routing-key".into(),
                "routing_key_but_no_dlx_defined".into(),
            ));
        }
        match v {
            FieldValue::Str(s) => cfg.dlrk = Some(Name::from(s.as_str())),
            v => {
                return Err((
                    "x-dead-letter-routing-key".into(),
                    format!("{{unacceptable_type,{}}}", v.type_name()),
                ))
            }
        }
    }
    cfg.max_length = non_neg("x-max-length")?;
    cfg.max_length_bytes = non_neg("x-max-length-bytes")?;
    non_neg("x-max-in-memory-length")?;
    non_neg("x-max-in-memory-bytes")?;
    if let Some(p) = non_neg("x-max-priority")? {
        if p > 255 {
            return Err(("x-max-priority".into(), format!("{{max_value_exceeded,{p}}}")));
        }
        cfg.max_priority = Some(p as u8);
    }
    match args.get("x-overflow") {
        None => {}
        Some(FieldValue::Str(s)) => {
            cfg.overflow = Some(match s.as_str() {
                "drop-head" => Overflow::DropHead,
                "reject-publish" => Overflow::RejectPublish,
                "reject-publish-dlx" => Overflow::RejectPublishDlx,
                _ => return Err(("x-overflow".into(), "invalid_overflow".into())),
            })
        }
        Some(v) => return Err(("x-overflow".into(), format!("{{unacceptable_type,{}}}", v.type_name()))),
    }
    match args.get("x-queue-mode") {
        None => {}
        Some(FieldValue::Str(s)) if s == "default" || s == "lazy" => {}
        Some(FieldValue::Str(s)) => return Err(("x-queue-mode".into(), format!("\"unsupported queue mode '{s}'\""))),
        Some(v) => {
            return Err((
                "x-queue-mode".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    match args.get("x-single-active-consumer") {
        None => {}
        Some(FieldValue::Bool(b)) => cfg.single_active_consumer = *b,
        Some(v) => {
            return Err((
                "x-single-active-consumer".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    match args.get("x-queue-type") {
        None => {}
        Some(FieldValue::Str(s)) if s == "classic" => {}
        Some(FieldValue::Str(s)) if s == "quorum" => cfg.quorum = true,
        Some(FieldValue::Str(s)) if s == "stream" => {
            return Err((
                "x-queue-type".into(),
                format!("\"queue type '{s}' is not simulated by Warren yet\""),
            ))
        }
        Some(FieldValue::Str(s)) => return Err(("x-queue-type".into(), format!("\"unsupported queue type '{s}'\""))),
        Some(v) => {
            return Err((
                "x-queue-type".into(),
                format!("{{unacceptable_type,{}}}", v.type_name()),
            ))
        }
    }
    if let Some(FieldValue::Int(_, n)) = args.get("x-delivery-limit") {
        cfg.delivery_limit = Some((*n).max(0) as u64);
    }
    if cfg.quorum && cfg.overflow == Some(Overflow::RejectPublishDlx) {
        // 3.10's quorum queues have no reject-publish-dlx: they drop (and dead-letter) the head
        cfg.overflow = Some(Overflow::DropHead);
    }
    Ok(cfg)
}
