//! The overview panel's view-model: totals, rates over simulated time and prefetch windows,
//! read from the same timeline and broker the canvas draws.

use warren_model::design::{Design, Kind};
use warren_model::overview;
use warren_model::sim::{Input, Live};

fn topic_logs() -> Live {
    Live::new(Design::from_scenario(include_str!("../../tests/designs/topic_logs.json")).unwrap())
}

fn id(live: &Live, name: &str) -> warren_model::design::Id {
    live.design.nodes.iter().find(|n| n.name == name).unwrap().id
}

#[test]
fn counts_are_the_canvas_counts_and_rates_count_the_shown_events() {
    let mut live = topic_logs();
    let (kern, cron) = (id(&live, "kern"), id(&live, "cron"));
    live.input(0, Input::Publish(kern)).unwrap();
    live.input(0, Input::Publish(cron)).unwrap();
    live.advance_to(2_000);
    let t = 2_000.0;
    live.timeline.seek(t); // as the canvas does before it draws
    let o = overview::at(&live, t);
    // 3 kern messages and 2 cron messages published in the last 5 s: 1 per second
    assert!((o.rates.publish - 1.0).abs() < 1e-9, "{:?}", o.rates);
    let tally = live.timeline.tally();
    for q in &o.queue_rows {
        assert_eq!((q.ready, q.unacked), tally.queue(&q.name), "{}", q.name);
    }
    assert_eq!(o.ready + o.unacked, o.total());
    let names: Vec<&str> = o.queue_rows.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["critical", "all_kern", "everything"]);
    // everything (x-max-length 4) took all five in: 1 per second incoming, holds 4
    let every = &o.queue_rows[2];
    assert!((every.incoming - 1.0).abs() < 1e-9, "{every:?}");
    assert_eq!(every.ready, 4);
    // the alerter's prefetch window (2) is full while it processes (500 ms each)
    let alerter = o
        .consumer_rows
        .iter()
        .find(|c| c.client == "alerter")
        .expect("a consumer row");
    assert_eq!((alerter.queue.as_str(), alerter.prefetch), ("critical", 2));
    assert_eq!(alerter.utilisation, Some(alerter.unacked as f64 / 2.0));
    assert_eq!(o.consumers, 1);
    assert!(o.connections >= 3, "setup, producers, consumer: {}", o.connections);
    // the chart's bars hold the same events as the window
    let published: f64 =
        o.series.iter().map(|r| r.publish).sum::<f64>() * overview::CHART_MS / 1000.0 / overview::CHART_BINS as f64;
    assert!((published - 5.0).abs() < 1e-9, "{published}");
}

#[test]
fn rates_fall_to_zero_when_nothing_happens_and_the_window_fills_with_acks() {
    let mut live = topic_logs();
    live.input(0, Input::Publish(id(&live, "kern"))).unwrap();
    live.advance_to(3_000);
    live.timeline.seek(1_200.0);
    let mid = overview::at(&live, 1_200.0);
    assert!(mid.rates.deliver > 0.0 && mid.rates.publish > 0.0, "{:?}", mid.rates);
    live.advance_to(60_000);
    live.timeline.seek(60_000.0);
    let late = overview::at(&live, 60_000.0);
    assert_eq!(late.rates, overview::Rates::default());
    assert!(late.series.iter().all(|r| *r == overview::Rates::default()));
    let alerter = late.consumer_rows.iter().find(|c| c.client == "alerter").unwrap();
    assert_eq!(
        (alerter.unacked, alerter.utilisation),
        (0, Some(0.0)),
        "all three acked"
    );
    // the critical queue delivered 3 and had 3 acked
    assert_eq!(late.queue_rows[0].ready + late.queue_rows[0].unacked, 0);
    assert!(live.design.nodes.iter().any(|n| n.kind() == Kind::Consumer));
    assert_eq!(overview::rate_text(0.0), "0.0/s");
    assert_eq!(overview::rate_text(2.44), "2.4/s");
    assert_eq!(overview::rate_text(120.4), "120/s");
}
