//! The canvas a first visit opens with, and the scenario it comes from.

use crate::design::Design;

/// The built-in scenario: fair dispatch with prefetch 1 (the work queues tutorial).
pub const WORK_QUEUES: &str = r#"{"name": "Work queues: fair dispatch with prefetch 1", "steps": [
 {"call": "queue_declare", "args": {"queue": "task_queue", "durable": true}},
 {"conn": "W1", "call": "basic_qos", "args": {"prefetch_count": 1}},
 {"conn": "W1", "call": "basic_consume", "args": {"queue": "task_queue", "consumer_tag": "worker-1"}},
 {"conn": "W2", "call": "basic_qos", "args": {"prefetch_count": 1}},
 {"conn": "W2", "call": "basic_consume", "args": {"queue": "task_queue", "consumer_tag": "worker-2"}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 1", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 2", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 3", "properties": {"delivery_mode": 2}}},
 {"conn": "P", "call": "basic_publish", "args": {"exchange": "", "routing_key": "task_queue", "body": "task 4", "properties": {"delivery_mode": 2}}},
 {"conn": "W1", "call": "basic_ack", "args": {"delivery_tag": 1}}
]}"#;

/// The canvas a first visit opens with: the topology of [`WORK_QUEUES`] (what importing it
/// gives, laid out tidily), its producer publishing four persistent tasks at a time, each taking
/// its worker two seconds (model/tests/studio.rs checks it against the import). Written out, so that
/// the page has no importer: files and links without a canvas go to its tools worker.
const EXAMPLE: &str = r#"{"name": "Work queues", "seed": 0, "rabbitmq": "4.3", "nodes": [
 {"id": 1, "kind": "queue", "name": "task_queue", "durable": true, "x": 550, "y": 134},
 {"id": 2, "kind": "consumer", "name": "worker-1", "prefetch": 1, "processing_ms": 2000, "x": 770, "y": 79},
 {"id": 3, "kind": "consumer", "name": "worker-2", "prefetch": 1, "processing_ms": 2000, "x": 770, "y": 189},
 {"id": 4, "kind": "producer", "name": "P", "routing_key": "task_queue", "body": "task {n}", "burst": 4,
  "persistent": true, "x": 110, "y": 134}],
 "links": [{"from": 1, "to": 2}, {"from": 1, "to": 3}, {"from": 4, "to": 1}]}"#;

/// The canvas a first visit opens with: the work queues tutorial.
pub fn example() -> Design {
    let canvas = serde_json::from_str(EXAMPLE).expect("the example is JSON");
    Design::from_canvas(canvas).expect("the example is a canvas")
}
