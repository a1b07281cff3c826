//! Robustness: any sequence of scenario calls, with arguments valid or not, runs without a panic;
//! the broker answers bad input with RabbitMQ's errors, as a real one would.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use warren_engine::field::{FieldTable, FieldValue, IntType};
use warren_engine::scenario::{Call, Step};
use warren_engine::trace::Runner;
use warren_engine::Properties;

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
            .prop_map(|(exchange, t, b, arguments)| Call::ExchangeDeclare {
                exchange,
                exchange_type: t.into(),
                passive: b[0],
                durable: b[1],
                auto_delete: b[2],
                internal: b[3],
                arguments
            }),
        (name(), any::<bool>()).prop_map(|(exchange, if_unused)| Call::ExchangeDelete { exchange, if_unused }),
        (name(), name(), name(), args()).prop_map(|(destination, source, routing_key, arguments)| Call::ExchangeBind {
            destination,
            source,
            routing_key,
            arguments
        }),
        (name(), name(), name(), args()).prop_map(|(destination, source, routing_key, arguments)| {
            Call::ExchangeUnbind {
                destination,
                source,
                routing_key,
                arguments,
            }
        }),
        (name(), any::<[bool; 4]>(), args()).prop_map(|(queue, b, arguments)| Call::QueueDeclare {
            queue,
            passive: b[0],
            durable: b[1],
            exclusive: b[2],
            auto_delete: b[3],
            arguments
        }),
        (name(), name(), proptest::option::of(name()), args()).prop_map(|(queue, exchange, routing_key, arguments)| {
            Call::QueueBind {
                queue,
                exchange,
                routing_key,
                arguments,
            }
        }),
        (name(), name(), proptest::option::of(name())).prop_map(|(queue, exchange, routing_key)| Call::QueueUnbind {
            queue,
            exchange,
            routing_key,
            arguments: FieldTable::new()
        }),
        name().prop_map(|queue| Call::QueuePurge { queue }),
        (name(), any::<bool>(), any::<bool>()).prop_map(|(queue, if_unused, if_empty)| Call::QueueDelete {
            queue,
            if_unused,
            if_empty
        }),
        (0..2u32, 0..4u16, any::<bool>()).prop_map(|(prefetch_size, prefetch_count, global_qos)| Call::BasicQos {
            prefetch_size,
            prefetch_count,
            global_qos
        }),
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
                |(exchange, routing_key, mandatory, expiration, priority, reply_to, headers)| Call::BasicPublish {
                    exchange,
                    routing_key,
                    body: "m".into(),
                    mandatory,
                    properties: Properties {
                        expiration,
                        priority,
                        reply_to,
                        headers,
                        ..Properties::default()
                    },
                }
            ),
        (
            name(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of("[ab]"),
            args()
        )
            .prop_map(
                |(queue, auto_ack, exclusive, consumer_tag, arguments)| Call::BasicConsume {
                    queue,
                    auto_ack,
                    exclusive,
                    consumer_tag,
                    arguments
                }
            ),
        "[ab]?".prop_map(|consumer_tag| Call::BasicCancel { consumer_tag }),
        (0..6u64, any::<bool>()).prop_map(|(delivery_tag, multiple)| Call::BasicAck { delivery_tag, multiple }),
        (0..6u64, any::<bool>(), any::<bool>()).prop_map(|(delivery_tag, multiple, requeue)| Call::BasicNack {
            delivery_tag,
            multiple,
            requeue
        }),
        (0..6u64, any::<bool>()).prop_map(|(delivery_tag, requeue)| Call::BasicReject { delivery_tag, requeue }),
        (name(), any::<bool>()).prop_map(|(queue, auto_ack)| Call::BasicGet { queue, auto_ack }),
        any::<bool>().prop_map(|requeue| Call::BasicRecover { requeue }),
        Just(Call::ConfirmSelect),
        Just(Call::ChannelClose),
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
