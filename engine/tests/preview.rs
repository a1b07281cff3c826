//! A route previewed before a publish is the route the publish then takes: for every publish of
//! random scenarios (direct, fanout, topic, headers, exchange-to-exchange bindings, alternate
//! exchanges, CC and BCC, the default exchange), the hops `Server::preview_route` names before
//! the step are the `Routed` events of the step, in order, and previewing changes nothing.
use warren_engine::event::EventKind;
use warren_engine::generate::scenario;
use warren_engine::message::Name;
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Scenario};
use warren_engine::trace::Runner;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_previewed_route_is_the_route_taken() {
    let (mut publishes, mut routed, mut unroutable) = (0, 0, 0);
    for seed in 0..120 {
        let sc = Scenario::from_json(scenario(seed, 40)).unwrap();
        let (mut a, mut b) = (Runner::new(sc.seed), Runner::new(sc.seed));
        for (i, st) in sc.steps.iter().enumerate() {
            let preview = match &st.call {
                Call::Method(Method::BasicPublish {
                    exchange,
                    routing_key,
                    properties,
                    ..
                }) if a.conn_id(&st.conn).is_some() => {
                    let rk = routing_key
                        .strip_prefix('$')
                        .and_then(|al| a.aliases().get(al).cloned());
                    let rk = rk.as_deref().unwrap_or(routing_key);
                    // (a list that held something before: emptied first)
                    let mut hops = vec![(
                        Name::from("stale"),
                        warren_engine::exchange::Dest::Queue(Name::from("x")),
                    )];
                    a.server.preview_route(exchange, &Name::from(rk), properties, &mut hops);
                    Some(hops)
                }
                _ => None,
            };
            let _ = a.step(i, st);
            let _ = b.step(i, st);
            let events = std::mem::take(&mut a.events);
            // previewing left no trace: the same events as a run without it
            assert_eq!(
                format!("{events:?}"),
                format!("{:?}", std::mem::take(&mut b.events)),
                "seed {seed} step {i}"
            );
            let Some(preview) = preview else { continue };
            let Some(msg) = events.iter().find_map(|e| match &e.kind {
                EventKind::Published { msg, .. } => Some(*msg),
                _ => None,
            }) else {
                continue; // refused (no permission, no exchange): nothing was routed
            };
            // the published message's hops (not a dead-lettered one's, routed in the same step)
            let taken: Vec<_> = events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Routed { msg: m, from, to, .. } if *m == msg => Some((from.clone(), to.clone())),
                    _ => None,
                })
                .collect();
            assert_eq!(preview, taken, "seed {seed} step {i}");
            publishes += 1;
            if taken.is_empty() {
                unroutable += 1;
            } else {
                routed += 1;
            }
        }
    }
    assert!(
        publishes > 500 && routed > 150 && unroutable > 50,
        "{publishes} {routed} {unroutable}"
    );
}
