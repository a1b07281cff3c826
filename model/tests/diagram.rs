//! The diagram view-model, natively: nodes show what RabbitMQ would report, the layout puts
//! producers, exchanges, queues and consumers in columns with few crossings, deterministically.
use warren_model::diagram::NodeKind;
use warren_model::sim::simulate;

#[test]
fn work_queues_nodes_report_rabbitmq_counts() {
    let s = simulate(warren_model::example::WORK_QUEUES).unwrap();
    let q = s.diagram.node("q:task_queue").expect("the queue is drawn");
    // 4 tasks, two workers with prefetch 1, worker-1 acked its first: it holds task 3, worker-2
    // holds task 2, task 4 waits (what `rabbitmqctl list_queues name messages_ready
    // messages_unacknowledged` would print: task_queue 1 2)
    assert_eq!((q.ready, q.unacked), (1, 2));
    let consumers: Vec<_> = s
        .diagram
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Consumer)
        .collect();
    assert_eq!(consumers.len(), 2);
    assert!(
        consumers.iter().all(|c| c.prefetch == 1 && c.unacked == 1),
        "{consumers:?}"
    );
    // the producer publishes through the default exchange, which binds every queue implicitly
    assert!(s.diagram.edges.iter().any(|e| e.from == "p:P" && e.to == "x:"));
    assert!(s
        .diagram
        .edges
        .iter()
        .any(|e| e.from == "x:" && e.to == "q:task_queue" && e.label == "task_queue"));
    assert!(s.trace.contains("\"consumer_tag\": \"worker-2\""));
}

#[test]
fn columns_run_producers_exchanges_queues_consumers() {
    let s = simulate(include_str!("../../tests/conformance/topics.json")).unwrap();
    let queues: Vec<_> = s.diagram.nodes.iter().filter(|n| n.kind == NodeKind::Queue).collect();
    let exchange = s.diagram.node("x:topic_logs").unwrap();
    assert!(queues.iter().all(|q| q.column > exchange.column));
    let consumer_cols: Vec<_> = s
        .diagram
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Consumer)
        .map(|n| n.column)
        .collect();
    assert!(consumer_cols.iter().all(|c| *c > queues[0].column));
    // three bindings from one exchange to two queues: drawn without crossings
    assert_eq!(s.diagram.crossings(), 0);
}

#[test]
fn exchange_to_exchange_goes_one_column_right_and_layout_repeats() {
    let text = r#"{"steps": [
      {"call": "exchange_declare", "args": {"exchange": "front", "exchange_type": "fanout"}},
      {"call": "exchange_declare", "args": {"exchange": "back", "exchange_type": "direct"}},
      {"call": "exchange_bind", "args": {"destination": "back", "source": "front"}},
      {"call": "queue_declare", "args": {"queue": "q1"}},
      {"call": "queue_declare", "args": {"queue": "q2"}},
      {"call": "queue_bind", "args": {"queue": "q2", "exchange": "back", "routing_key": "k"}},
      {"call": "queue_bind", "args": {"queue": "q1", "exchange": "front"}},
      {"conn": "P", "call": "basic_publish", "args": {"exchange": "front", "routing_key": "k", "body": "m"}}
    ]}"#;
    let a = simulate(text).unwrap();
    let front = a.diagram.node("x:front").unwrap();
    let back = a.diagram.node("x:back").unwrap();
    assert_eq!(back.column, front.column + 1);
    assert!(a.diagram.node("q:q1").unwrap().column > back.column);
    assert_eq!(a.diagram.node("q:q2").unwrap().ready, 1);
    assert_eq!(a.diagram.node("q:q1").unwrap().ready, 1);
    // the same scenario lays out the same, to the pixel
    assert_eq!(a.diagram, simulate(text).unwrap().diagram);
}

#[test]
fn a_broken_scenario_is_a_message_not_a_panic() {
    let e = simulate("{\"steps\": [{\"call\": \"nope\"}]}").unwrap_err();
    assert!(e.contains("unknown call 'nope'"), "{e}");
}
