//! Behaviour: topic and headers routing, CC/BCC (semantics §3, §5, §6.4).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// `a.#.b` matches `a.b`; `#` matches `""`; `"."` is two empty words for `*.*`; CC adds a routing key
// and BCC too, but BCC is stripped; headers `all`, `any` and `any-with-x`; an unmatched mandatory
// message returns.
golden!(routing_topic_headers, "routing_topic_headers");

// Headers: x-match defaults to all; all with no keys matches everything, any with no keys nothing.
golden!(hdr_all_any_defaults, "hdr_all_any_defaults");

// Headers: numbers match whatever their int type, strings do not match numbers, x- keys only with
// -with-x.
golden!(hdr_types_and_x_keys, "hdr_types_and_x_keys");

// Headers: a void (null) binding value matches any value of that key.
golden!(hdr_void_means_present, "hdr_void_means_present");

// Topic keys: empty words count, a trailing dot makes one.
golden!(topic_empty_words, "topic_empty_words");

// Topic words: # is zero or more words, * exactly one, wildcards only as whole words.
golden!(topic_hash_and_star_words, "topic_hash_and_star_words");

// A # in the middle matches nothing between its neighbours too.
golden!(topic_hash_middle, "topic_hash_middle");

// Any-with-x matches on x- keys too; plain any ignores them.
golden!(hdr_any_with_x, "hdr_any_with_x");

// An x-match that is not all, any, all-with-x or any-with-x is refused at bind time.
golden!(hdr_invalid_x_match, "hdr_invalid_x_match");

// Headers compare lists and tables as whole values, and booleans are not numbers.
golden!(hdr_structured_values, "hdr_structured_values");

// CC keys are matched by the topic exchange too, one copy per queue.
golden!(topic_cc_keys, "topic_cc_keys");

// #.# behaves as #, and *.# needs at least one word.
golden!(topic_double_hash, "topic_double_hash");

// # matches every key including the empty one; * does not match the empty key.
golden!(topic_hash_alone_and_empty, "topic_hash_alone_and_empty");
