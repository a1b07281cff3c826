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

// Alternate exchanges chain, and a loop of alternates ends.
golden!(ex_ae_chain_and_loop, "ex_ae_chain_and_loop");

// Binding to or from something missing is 404, the exchange named first.
golden!(ex_bind_missing_ends, "ex_bind_missing_ends");

// Two bindings differing only in arguments are two bindings; unbinding one leaves the other routing.
golden!(ex_binding_args_distinct, "ex_binding_args_distinct");

// The default exchange routes by queue name; an unknown name is unroutable; it cannot be bound or
// declared.
golden!(
    ex_default_exchange_implicit_bindings,
    "ex_default_exchange_implicit_bindings"
);

// Deleting an exchange removes its bindings both ways; queues stay.
golden!(ex_delete_removes_bindings, "ex_delete_removes_bindings");

// Direct routing compares keys byte for byte, case and spaces included.
golden!(ex_direct_case_sensitive, "ex_direct_case_sensitive");

// A direct exchange copies a message to every queue bound with its key, once per queue.
golden!(ex_direct_one_key_many_queues, "ex_direct_one_key_many_queues");

// A fanout exchange copies to every bound queue whatever the routing key.
golden!(ex_fanout_ignores_key, "ex_fanout_ignores_key");

// Internal and durable must match on re-declare.
golden!(ex_internal_declare_equivalence, "ex_internal_declare_equivalence");

// Unbinding a binding that does not exist succeeds, even from a missing exchange.
golden!(ex_unbind_missing_is_ok, "ex_unbind_missing_is_ok");

// Alternate-exchange takes part in exchange equivalence; other arguments do not.
golden!(ex_ae_arg_equivalence, "ex_ae_arg_equivalence");

// An auto-delete exchange goes when its last exchange-to-exchange binding as source is removed; being
// a destination does not keep it.
golden!(ex_auto_delete_by_exchange_unbind, "ex_auto_delete_by_exchange_unbind");

// An auto-delete exchange that never had a binding stays.
golden!(ex_auto_delete_never_bound, "ex_auto_delete_never_bound");

// Exchange.delete if_unused looks only at bindings where the exchange is the source.
golden!(ex_if_unused_destination_only, "ex_if_unused_destination_only");

// The amq.* exchanges can be re-declared equivalently, not with another type.
golden!(ex_predeclared_redeclare, "ex_predeclared_redeclare");

// Exchange_type defaults to direct, as in pika.
golden!(ex_type_default_direct, "ex_type_default_direct");

// 3.10 has no amq.rabbitmq.log (4.3's trace, where it has one: tests/scenarios/4.3/)
golden!(ex_log_exchange, "ex_log_exchange");
