//! Behaviour: queues (semantics §4).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder, so every expected value is the
//! broker's own.
mod common;

// Every use of an exclusive queue from another connection is 405 except publishing; it goes with its
// connection; an auto-delete queue outlives `basic.get` and goes with its last consumer; a server-
// named queue and the empty-name shortcut.
golden!(queues_exclusive_autodelete, "queues_exclusive_autodelete");

// Quorum queues: declare rules and texts, `x-delivery-count`, requeue to the tail, returns served
// first with `x-delivery-limit`, `delivery_limit` dead-lettering, the exclusive flag ignored, global
// QoS refused with 540.
golden!(quorum_queues, "quorum_queues");

// Queue names starting with amq. are refused on declare, passive declare only looks.
golden!(q_amq_prefix_reserved, "q_amq_prefix_reserved");

// Queue.delete reports ready messages; acking a delivery of a deleted queue is fine.
golden!(q_delete_counts_ready, "q_delete_counts_ready");

// Publishing into another connection's exclusive queue works; consuming it does not.
golden!(q_exclusive_consume_other_conn, "q_exclusive_consume_other_conn");

// An empty queue name means the last queue declared on the channel; with an empty key too, bind uses
// its name.
golden!(q_name_shortcuts, "q_name_shortcuts");

// Purge removes ready messages only; unacked ones stay and can be acked.
golden!(q_purge_keeps_unacked, "q_purge_keeps_unacked");

// Declare-ok counts ready messages only and all consumers.
golden!(q_redeclare_counts, "q_redeclare_counts");

// Each declare with an empty name makes a new server-named queue; re-declaring it needs passive.
golden!(q_server_named_each_new, "q_server_named_each_new");

// Basic.get keeps an x-expires queue alive.
golden!(q_x_expires_by_get, "q_x_expires_by_get");

// An argument present on only one side of a re-declare is reported with its type.
golden!(q_arg_added_or_removed, "q_arg_added_or_removed");

// An auto-delete queue goes when its last consumer's channel closes, unacked messages with it.
golden!(q_auto_delete_channel_close, "q_auto_delete_channel_close");

// Queue.delete if_unused refuses while there are consumers, if_empty while there are ready messages.
golden!(q_delete_if_unused_if_empty, "q_delete_if_unused_if_empty");

// Re-declaring with another durable or auto_delete flag is 406 with RabbitMQ's text.
golden!(q_durable_mismatch, "q_durable_mismatch");

// The owning connection may re-declare its exclusive queue; others get 405 even passively.
golden!(q_exclusive_owner_redeclare, "q_exclusive_owner_redeclare");

// Integer arguments compare by value whatever their integer type; unknown arguments are ignored.
golden!(q_int_args_type_class, "q_int_args_type_class");

// Carriage returns and line feeds are stripped from queue and exchange names (semantics §1.4).
golden!(q_name_crlf_stripped, "q_name_crlf_stripped");

// A quorum queue refuses queue.delete with if-unused or if-empty (540, a connection error; if-unused
// named first when both are set), whatever its state; without them it is deleted.
golden!(q_quorum_delete_flags, "q_quorum_delete_flags");

// A quorum queue counts each unsettled basic.get delivery as a consumer in declare-ok until it is
// acked, nacked, rejected or its channel closes; auto-ack and empty gets do not count.
golden!(q_quorum_get_counts_as_consumer, "q_quorum_get_counts_as_consumer");

// A quorum queue without a delivery limit takes a message requeued by nack or recover back at its
// tail, and one whose channel closed back first.
golden!(q_quorum_return_placement, "q_quorum_return_placement");

// A quorum queue counts every return of a message in x-delivery-count (3.10; 4.3 counts some of
// them, and every one in x-acquired-count: see its golden in 4.3/), and keeps delivering it up to
// its delivery limit.
golden!(q_quorum_counts, "q_quorum_counts");

// A poison message rejected with requeue 23 times: in 3.10 a quorum queue without a delivery limit
// keeps it for ever (4.3 gives every quorum queue a limit of 20 and drops it after the 21st: see
// its golden in 4.3/).
golden!(q_quorum_default_limit, "q_quorum_default_limit");

// A quorum queue with reject-publish refuses once over its limit (so it holds one message more),
// blocks every channel that has published to it until it is down to 80%, and lets a channel new
// to it in while it is not over.
golden!(q_quorum_reject_publish_blocks, "q_quorum_reject_publish_blocks");

// The same with a byte limit; a reopened channel is a new publisher; requeued messages block;
// dead letters always get in.
golden!(q_quorum_reject_publish_returns, "q_quorum_reject_publish_returns");
golden!(q_quorum_bytes_weigh_properties, "q_quorum_bytes_weigh_properties");

// reject-publish-dlx on a quorum queue drops (and dead-letters) the head, as drop-head does.
golden!(q_quorum_reject_publish_dlx, "q_quorum_reject_publish_dlx");
