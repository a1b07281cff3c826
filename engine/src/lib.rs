//! # warren-engine
//!
//! RabbitMQ 3.10's AMQP 0-9-1 broker semantics as a deterministic state machine: commands in
//! (AMQP methods, with the simulated time passed in), events out (past-tense facts stamped with
//! that time). No I/O, no clock, no threads, no OS randomness: the same calls give the same events
//! natively and in WebAssembly. The rules it follows are `shared/rabbitmq-semantics.md`.
//!
//! ## Map
//! The folders are the architecture: what comes in, the broker's rules, the node around them,
//! what drives them, and what they are built with.
//! - [`amqp`]: [`Method`] (what a client sends) and [`Reply`] (what the broker answers),
//!   [`field`] tables, [`message`]s, RabbitMQ's [`error`]s and their texts.
//! - [`broker`]: [`Broker`], the state machine of one vhost; each rule in a file named after it
//!   (exchanges, queue arguments, TTL, overflow, dead-lettering, prefetch, acks, …: see its
//!   page), with the exchange types' matching ([`topic`], [`headers`]) and what a [`queue`]
//!   holds.
//! - [`event`]: [`Event`]/[`EventKind`], the fact stream the UI animates.
//! - [`node`]: [`Server`], the node (vhosts, users, logins); [`access`]: users and permissions
//!   as RabbitMQ's internal backend keeps them, in [`pcre`] patterns as Erlang's `re` matches
//!   them; [`ctl`]: rabbitmqctl; [`definitions`]: RabbitMQ definitions JSON out and back in.
//! - [`scenario`]: the scenario file (`shared/scenario-format.md`); [`trace`]: running one and
//!   printing the trace a pika client would observe; [`share`]: a scenario in a link's
//!   fragment; [`generate`]: seeded random scenarios for differential tests.
//! - [`support`]: [`name`] (names interned per thread), [`names`] (deterministic maps),
//!   [`num`] (floats as text without core's float printing, which the page leaves out),
//!   [`rng`], [`sort`].
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

pub mod amqp;
pub mod broker;
pub mod event;
pub mod node;
pub mod scenario;
pub mod support;
pub mod version;

// the modules by their own names, wherever they live
pub use amqp::{error, field, message, method};
pub use broker::{exchange, headers, queue, topic};
pub use node::{access, ctl, definitions, pcre, server};
pub use scenario::{compare, generate, share, trace};
pub use support::{name, names, num, rng, sort};

pub use broker::{Broker, QueueInfo};
pub use error::AmqpError;
pub use event::{Event, EventKind};
pub use field::{FieldTable, FieldValue};
pub use message::{Message, MsgId, Name, Properties};
pub use method::{Method, Reply};
pub use queue::ConnId;
pub use server::Server;
pub use version::Version;
