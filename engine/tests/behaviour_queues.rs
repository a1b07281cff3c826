//! Behaviour: queues. Each scenario in tests/scenarios/ reads as what it shows; its golden trace
//! (NAME.jsonl) was recorded from a real RabbitMQ 3.10.8, so the expected values are the broker's own.
mod common;

golden!(queues_exclusive_autodelete, "queues_exclusive_autodelete");
golden!(quorum_queues, "quorum_queues");
