//! Behaviour: users, virtual hosts and permissions (docs/access-control.md).
//!
//! Each scenario in `tests/scenarios/` reads as what it shows; its golden trace (`NAME.jsonl`) was
//! recorded from a real RabbitMQ 3.10.8 with the reference recorder and its extension for logins
//! and rabbitmqctl (`scripts/pika_trace_access.py`), so every expected value is the broker's own.
mod common;

// Wrong password and unknown user: 403 at login; a missing vhost, or one the user has no
// permissions in: 530. Empty permissions let one in but allow nothing; a passive declare needs
// no permission; new permissions apply to open connections at once; a changed password keeps
// open connections and refuses the old one; delete_user closes the user's connections (320).
golden!(access_login, "access_login");

// configure / write / read on each operation, in rabbit_channel's order: declare (configure,
// then read on the queue and write on its dead-letter exchange), bind (write on the destination,
// the default exchange, read on the source, then existence), publish (write, `amq.default` for
// the default exchange, before the exchange is looked up), get / consume / purge (read), delete
// (configure, after the system-exchange check); user_id must be the logged-in user.
golden!(access_permissions, "access_permissions");

// A channel remembers the checks that passed (rabbit_channel's permission cache): taking a
// permission away refuses it on new channels, not on the channel that used it already.
golden!(access_cache, "access_cache");

// Two vhosts hold queues of the same name apart; error texts name the vhost; delete_vhost takes
// everything in it, re-adding it starts empty.
golden!(access_vhosts, "access_vhosts");

// rabbitmqctl's own errors and exit statuses for users, vhosts and permissions.
golden!(access_ctl_errors, "access_ctl_errors");
golden!(access_regex_errors, "access_regex_errors");

// rabbitmqctl on queues: delete_queue --if-unused / --if-empty refused with its messages, a
// missing queue for delete_queue (64) and purge_queue (69), purge_queue empties a queue with a
// consumer; stop_app + start_app keeps durable queues and persistent messages only; reset forgets
// users and queues.
golden!(ctl_queue_commands, "ctl_queue_commands");

// A passive declare asks whether a queue or exchange exists: 3.10 answers anyone (4.3 wants one
// of the three permissions on it; its golden is in 4.3/).
golden!(access_passive, "access_passive");
