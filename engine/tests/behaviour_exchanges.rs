//! Behaviour: exchanges (semantics §2).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// A fanout feeding a direct and a topic exchange that both bind one queue (a diamond) puts one copy in
// it; a binding back to the top (a cycle) still gives one copy. The alternate exchange takes what
// `main` itself cannot route; a message `main` passes to `inner`, which routes nowhere, is returned,
// not sent to the AE; a missing AE means unroutable.
golden!(exchanges_e2e, "exchanges_e2e");

// Re-declaring `amq.direct` equivalently succeeds and inequivalently fails 406; the default exchange
// refuses declares; deleting a missing exchange succeeds; internal exchanges refuse publishes but pass
// e2e traffic; `if_unused`; auto-delete exchanges go with their last source binding, whether unbound
// or lost with a deleted queue.
golden!(exchanges_lifecycle, "exchanges_lifecycle");
