//! # warren-engine
//!
//! RabbitMQ 3.10's AMQP 0-9-1 broker semantics as a deterministic state machine: commands in
//! (AMQP methods, with the simulated time passed in), events out (past-tense facts stamped with
//! that time). No I/O, no clock, no threads, no OS randomness: the same calls give the same events
//! natively and in WebAssembly. The rules it follows are `shared/rabbitmq-semantics.md`.
//!
//! ## Map
//! - [`broker`]: [`Broker`], the state machine of one vhost (exchanges, queues, channels,
//!   consumers, time); [`server`]: [`Server`], the node (vhosts, users, logins);
//!   [`access`]: users, vhosts and permissions as RabbitMQ's internal backend keeps them.
//! - [`method`]: [`Method`] (what a client sends) and [`Reply`] (what the broker answers).
//! - [`event`]: [`Event`]/[`EventKind`], the fact stream the UI animates.
//! - [`exchange`], [`topic`], [`headers`]: routing, one concept per file.
//! - [`queue`], [`message`], [`deadletter`]: what a queue holds and how messages die.
//! - [`name`]: [`Name`], names interned per thread (a pointer to one shared copy of the text).
//! - [`field`]: AMQP field tables. [`error`]: RabbitMQ's errors and texts. [`num`]: floats as
//!   text without core's float printing (which the page leaves out). [`pcre`]: permission
//!   patterns as Erlang's `re` matches them.
//! - [`definitions`]: RabbitMQ definitions JSON out of a broker and back in as a scenario.
//! - [`share`]: a scenario in a link's fragment (compressed, checksummed, versioned).
//! - [`generate`]: seeded random scenarios for differential tests against a real broker.
//! - [`scenario`]: the scenario file (`shared/scenario-format.md`); [`trace`]: running one and
//!   printing the trace a pika client would observe.
//!
//! ## Run loop
//! ```
//! use warren_engine::{Broker, Method, EventKind};
//! let mut b = Broker::new(42);
//! let c = b.connect(0);
//! b.open_channel(0, c, 1).unwrap();
//! b.handle(0, c, 1, Method::QueueDeclare { queue: "q".into(), passive: false, durable: false,
//!     exclusive: false, auto_delete: false, arguments: Default::default() }).unwrap();
//! b.handle(0, c, 1, Method::BasicPublish { exchange: "".into(), routing_key: "q".into(),
//!     mandatory: false, immediate: false, properties: Default::default(), body: b"hi".to_vec() }).unwrap();
//! let enqueued = b.drain_events().filter(|e| matches!(e.kind, EventKind::Enqueued { .. })).count();
//! assert_eq!(enqueued, 1);
//! b.advance(5_000); // time passes only when told
//! ```

pub mod access;
pub mod broker;
pub mod ctl;
pub mod deadletter;
pub mod definitions;
pub mod error;
pub mod event;
pub mod exchange;
pub mod field;
pub mod generate;
pub mod headers;
pub mod message;
pub mod method;
pub mod name;
pub mod names;
pub mod num;
pub mod pcre;
pub mod queue;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod share;
pub mod sort;
pub mod topic;
pub mod trace;

pub use broker::{Broker, QueueInfo};
pub use error::AmqpError;
pub use event::{Event, EventKind};
pub use field::{FieldTable, FieldValue};
pub use message::{Message, MsgId, Name, Properties};
pub use method::{Method, Reply};
pub use queue::ConnId;
pub use server::Server;
