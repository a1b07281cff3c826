//! Robustness: any sequence of scenario calls, with arguments valid or not, runs without a panic;
//! the broker answers bad input with RabbitMQ's errors, as a real one would.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::rc::Rc;
use warren_engine::field::{FieldTable, FieldValue, IntType};
use warren_engine::method::Method;
use warren_engine::scenario::{Call, Step};
use warren_engine::trace::Runner;
use warren_engine::Properties;

/// A method on the step's channel.
fn m(method: Method) -> Call {
    Call::Method(method)
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("q".to_string()),
        Just("x".to_string()),
        Just("amq.direct".to_string()),
        Just("amq.rabbitmq.reply-to".to_string()),
        Just("amq.gen-abc".to_string()),
        "[a-c.#*]{0,6}",
    ]
}

fn args() -> impl Strategy<Value = FieldTable> {
    let key = prop_oneof![
        Just("x-message-ttl"),
        Just("x-expires"),
        Just("x-max-length"),
        Just("x-max-length-bytes"),
        Just("x-overflow"),
        Just("x-dead-letter-exchange"),
        Just("x-dead-letter-routing-key"),
        Just("x-max-priority"),
        Just("x-single-active-consumer"),
        Just("x-match"),
        Just("alternate-exchange"),
        Just("x-priority"),
        Just("k"),
    ];
    let value = prop_oneof![
        any::<i64>().prop_map(|v| FieldValue::Int(IntType::Long, v)),
        (0..3000i64).prop_map(|v| FieldValue::Int(IntType::SignedInt, v)),
        any::<bool>().prop_map(FieldValue::Bool),
        prop_oneof![
            Just("all"),
            Just("any"),
            Just("x"),
            Just("drop-head"),
            Just("reject-publish"),
            Just("reject-publish-dlx")
        ]
        .prop_map(|s| FieldValue::Str(s.into())),
        Just(FieldValue::Void),
    ];
    proptest::collection::btree_map(key.prop_map(String::from), value, 0..3).prop_map(|m| m.into_iter().collect())
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (
            name(),
            prop_oneof![
                Just("direct"),
                Just("fanout"),
                Just("topic"),
                Just("headers"),
                Just("nope")
            ],
            any::<[bool; 4]>(),
            args()
        )
            .prop_map(|(exchange, t, b, arguments)| m(Method::ExchangeDeclare {
                exchange,
                kind: t.into(),
                passive: b[0],
                durable: b[1],
                auto_delete: b[2],
                internal: b[3],
                arguments
            })),
        (name(), any::<bool>()).prop_map(|(exchange, if_unused)| m(Method::ExchangeDelete { exchange, if_unused })),
        (name(), name(), name(), args(), any::<bool>()).prop_map(
            |(destination, source, routing_key, arguments, bind)| {
                m(if bind {
                    Method::ExchangeBind {
                        destination,
                        source,
                        routing_key,
                        arguments,
                    }
                } else {
                    Method::ExchangeUnbind {
                        destination,
                        source,
                        routing_key,
                        arguments,
                    }
                })
            }
        ),
        (name(), any::<[bool; 4]>(), args()).prop_map(|(queue, b, arguments)| m(Method::QueueDeclare {
            queue,
            passive: b[0],
            durable: b[1],
            exclusive: b[2],
            auto_delete: b[3],
            arguments
        })),
        (name(), name(), proptest::option::of(name()), args(), any::<bool>()).prop_map(
            |(queue, exchange, routing_key, arguments, bind)| {
                // no key: pika's default, the queue's name as written
                let routing_key = routing_key.unwrap_or_else(|| queue.clone());
                m(if bind {
                    Method::QueueBind {
                        queue,
                        exchange,
                        routing_key,
                        arguments,
                    }
                } else {
                    Method::QueueUnbind {
                        queue,
                        exchange,
                        routing_key,
                        arguments,
                    }
                })
            }
        ),
        name().prop_map(|queue| m(Method::QueuePurge { queue })),
        (name(), any::<bool>(), any::<bool>()).prop_map(|(queue, if_unused, if_empty)| m(Method::QueueDelete {
            queue,
            if_unused,
            if_empty
        })),
        (0..2u32, 0..4u16, any::<bool>()).prop_map(|(prefetch_size, prefetch_count, global)| m(Method::BasicQos {
            prefetch_size,
            prefetch_count,
            global
        })),
        (
            name(),
            name(),
            any::<bool>(),
            proptest::option::of("[0-9a-]{0,4}"),
            proptest::option::of(0..12u8),
            proptest::option::of(name()),
            proptest::option::of(args())
        )
            .prop_map(
                |(exchange, routing_key, mandatory, expiration, priority, reply_to, headers)| m(Method::BasicPublish {
                    exchange: exchange.into(),
                    routing_key: routing_key.into(),
                    body: b"m".to_vec(),
                    mandatory,
                    immediate: false,
                    properties: Rc::new(Properties {
                        expiration,
                        priority,
                        reply_to,
                        headers,
                        ..Properties::default()
                    }),
                })
            ),
        (name(), any::<bool>(), any::<bool>(), "[ab]?", args()).prop_map(
            |(queue, no_ack, exclusive, consumer_tag, arguments)| m(Method::BasicConsume {
                queue,
                no_ack,
                exclusive,
                consumer_tag,
                arguments
            })
        ),
        "[ab]?".prop_map(|consumer_tag| m(Method::BasicCancel { consumer_tag })),
        (0..6u64, any::<bool>()).prop_map(|(delivery_tag, multiple)| m(Method::BasicAck { delivery_tag, multiple })),
        (0..6u64, any::<bool>(), any::<bool>()).prop_map(|(delivery_tag, multiple, requeue)| m(Method::BasicNack {
            delivery_tag,
            multiple,
            requeue
        })),
        (0..6u64, any::<bool>()).prop_map(|(delivery_tag, requeue)| m(Method::BasicReject { delivery_tag, requeue })),
        (name(), any::<bool>()).prop_map(|(queue, no_ack)| m(Method::BasicGet { queue, no_ack })),
        any::<bool>().prop_map(|requeue| m(Method::BasicRecover { requeue })),
        Just(m(Method::ConfirmSelect)),
        Just(m(Method::ChannelClose)),
        Just(Call::ConnectionClose),
        prop_oneof![Just(0u64), Just(1000), Just(u64::MAX / 2)].prop_map(|ms| Call::Wait { ms }),
        Just(Call::Restart),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (prop_oneof![Just("A"), Just("B")], 1..3u16, call()).prop_map(|(conn, ch, call)| Step {
        conn: conn.into(),
        ch,
        call,
        alias: None,
        login: Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn any_calls_run_without_panic(steps in proptest::collection::vec(step(), 1..40)) {
        let mut r = Runner::new(3);
        for (i, st) in steps.iter().enumerate() {
            r.step(i, st).expect("no aliases, so nothing to resolve");
        }
    }
}
