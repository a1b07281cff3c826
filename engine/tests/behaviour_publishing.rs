//! Behaviour: publishing (semantics §6, §8).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// A priority queue delivers highest first (above the maximum counts as the maximum), FIFO within a
// level; confirms: a mandatory unroutable message returns; direct reply-to errors and its pseudo-queue
// declare.
golden!(priority_confirms_replyto, "priority_confirms_replyto");

// CC and BCC on the default and direct exchanges (one copy per queue, BCC hidden); reject-publish-dlx
// dead-letters the refused message and nacks; `user_id` must be the connection's user; every property
// round-trips.
golden!(publishing_extras, "publishing_extras");

// An invalid expiration closes the channel with 406; a valid one is kept on the message.
golden!(pub_bad_expiration, "pub_bad_expiration");

// Publisher confirms: unroutable is acked, reject-publish is nacked, other queues keep their copy.
golden!(pub_confirms_sequence, "pub_confirms_sequence");

// Mandatory returns on the publishing channel, in order, with confirms.
golden!(
    pub_mandatory_returns_with_confirms,
    "pub_mandatory_returns_with_confirms"
);

// RPC with a named callback queue: replies are matched by correlation id.
golden!(rpc_callback_queue_two_calls, "rpc_callback_queue_two_calls");

// Direct reply-to: the consumer must be no-ack and single, and must exist before requests.
golden!(rpc_reply_to_errors, "rpc_reply_to_errors");

// Direct reply-to (semantics §8.2) end to end. A real broker's reply-to names are random, so this
// one is checked by assertions rather than a golden: the request carries a rewritten `reply_to`,
// the reply published to that name reaches the client's no-ack consumer on the same channel with
// `exchange ""`, that name as routing key, `redelivered false` and the next delivery tag.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn direct_reply_to_round_trip() {
    use warren_engine::scenario::Scenario;
    use warren_engine::trace::Runner;
    let sc = Scenario::parse(
        r#"{"steps": [
        {"conn": "S", "call": "queue_declare", "args": {"queue": "rpc"}},
        {"conn": "S", "call": "basic_consume", "args": {"queue": "rpc", "consumer_tag": "server"}},
        {"conn": "C", "call": "basic_consume", "args": {"queue": "amq.rabbitmq.reply-to", "auto_ack": true, "consumer_tag": "client"}},
        {"conn": "C", "call": "basic_publish", "args": {"exchange": "", "routing_key": "rpc", "body": "2+2", "properties": {"reply_to": "amq.rabbitmq.reply-to", "correlation_id": "q1"}}}
    ]}"#,
    )
    .unwrap();
    let mut r = Runner::new(5);
    let mut lines = Vec::new();
    for (i, st) in sc.steps.iter().enumerate() {
        lines.extend(r.step(i, st).unwrap());
    }
    let request = lines
        .iter()
        .find(|l| l["kind"] == "deliver" && l["conn"] == "S")
        .expect("the server got the request");
    let reply_to = request["properties"]["reply_to"].as_str().unwrap().to_string();
    assert!(
        reply_to.starts_with("amq.rabbitmq.reply-to.") && reply_to.len() > 40,
        "rewritten: {reply_to}"
    );
    assert_eq!(request["properties"]["correlation_id"], "q1");
    // the server answers to that name through the default exchange
    let reply = format!(
        r#"{{"conn": "S", "call": "basic_publish", "args": {{"exchange": "", "routing_key": "{reply_to}", "body": "4", "properties": {{"correlation_id": "q1"}}}}}}"#
    );
    let step = Scenario::parse(&format!(r#"{{"steps": [{reply}]}}"#))
        .unwrap()
        .steps
        .remove(0);
    let out = r.step(4, &step).unwrap();
    assert_eq!(out.len(), 1, "{out:?}");
    let d = &out[0];
    assert_eq!(
        (d["kind"].as_str(), d["conn"].as_str(), d["consumer_tag"].as_str()),
        (Some("deliver"), Some("C"), Some("client"))
    );
    assert_eq!(d["routing_key"].as_str(), Some(reply_to.as_str()));
    assert_eq!(d["exchange"], "");
    assert_eq!(d["redelivered"], false);
    assert_eq!(d["delivery_tag"], 1);
    assert_eq!(d["body"], "4");
    assert_eq!(d["properties"]["correlation_id"], "q1");
    // once the client's channel is gone, replies to that name vanish (no queue, no error)
    let close = Scenario::parse(r#"{"steps": [{"conn": "C", "call": "channel_close"}]}"#)
        .unwrap()
        .steps
        .remove(0);
    r.step(5, &close).unwrap();
    assert!(r.step(6, &step).unwrap().is_empty());
}
