//! Commands: the AMQP 0-9-1 methods a client sends on a channel, and the broker's replies.

use crate::field::FieldTable;
use crate::message::{Message, Name, Properties};
use std::rc::Rc;

/// An AMQP method a client sends on a channel: the one list of them, for the broker, the
/// scenario files (which name the arguments as pika 1.x does, see `scenario::call`) and the
/// clients that talk to a real broker.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Method {
    ExchangeDeclare {
        exchange: String,
        kind: String,
        passive: bool,
        durable: bool,
        auto_delete: bool,
        internal: bool,
        arguments: FieldTable,
    },
    ExchangeDelete {
        exchange: String,
        if_unused: bool,
    },
    ExchangeBind {
        destination: String,
        source: String,
        routing_key: String,
        arguments: FieldTable,
    },
    ExchangeUnbind {
        destination: String,
        source: String,
        routing_key: String,
        arguments: FieldTable,
    },
    QueueDeclare {
        queue: String,
        passive: bool,
        durable: bool,
        exclusive: bool,
        auto_delete: bool,
        arguments: FieldTable,
    },
    QueueBind {
        queue: String,
        exchange: String,
        routing_key: String,
        arguments: FieldTable,
    },
    QueueUnbind {
        queue: String,
        exchange: String,
        routing_key: String,
        arguments: FieldTable,
    },
    QueuePurge {
        queue: String,
    },
    QueueDelete {
        queue: String,
        if_unused: bool,
        if_empty: bool,
    },
    BasicQos {
        prefetch_size: u32,
        prefetch_count: u16,
        global: bool,
    },
    BasicConsume {
        queue: String,
        consumer_tag: String,
        no_ack: bool,
        exclusive: bool,
        arguments: FieldTable,
    },
    BasicCancel {
        consumer_tag: String,
    },
    /// The names and properties are shared: a client that publishes again to the same exchange
    /// with the same key and properties passes clones, and the broker copies nothing.
    BasicPublish {
        exchange: Name,
        routing_key: Name,
        mandatory: bool,
        immediate: bool,
        properties: Rc<Properties>,
        body: Vec<u8>,
    },
    BasicGet {
        queue: String,
        no_ack: bool,
    },
    BasicAck {
        delivery_tag: u64,
        multiple: bool,
    },
    BasicNack {
        delivery_tag: u64,
        multiple: bool,
        requeue: bool,
    },
    BasicReject {
        delivery_tag: u64,
        requeue: bool,
    },
    BasicRecover {
        requeue: bool,
    },
    ConfirmSelect,
    ChannelClose,
}

impl Method {
    /// The method as pika names it (`queue_declare`), which is also its name in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Method::ExchangeDeclare { .. } => "exchange_declare",
            Method::ExchangeDelete { .. } => "exchange_delete",
            Method::ExchangeBind { .. } => "exchange_bind",
            Method::ExchangeUnbind { .. } => "exchange_unbind",
            Method::QueueDeclare { .. } => "queue_declare",
            Method::QueueBind { .. } => "queue_bind",
            Method::QueueUnbind { .. } => "queue_unbind",
            Method::QueuePurge { .. } => "queue_purge",
            Method::QueueDelete { .. } => "queue_delete",
            Method::BasicQos { .. } => "basic_qos",
            Method::BasicConsume { .. } => "basic_consume",
            Method::BasicCancel { .. } => "basic_cancel",
            Method::BasicPublish { .. } => "basic_publish",
            Method::BasicGet { .. } => "basic_get",
            Method::BasicAck { .. } => "basic_ack",
            Method::BasicNack { .. } => "basic_nack",
            Method::BasicReject { .. } => "basic_reject",
            Method::BasicRecover { .. } => "basic_recover",
            Method::ConfirmSelect => "confirm_select",
            Method::ChannelClose => "channel_close",
        }
    }

    /// Methods the client does not wait on (no reply): their errors arrive asynchronously.
    pub fn is_async(&self) -> bool {
        matches!(
            self,
            Method::BasicPublish { .. }
                | Method::BasicAck { .. }
                | Method::BasicNack { .. }
                | Method::BasicReject { .. }
        )
    }
}

/// The broker's synchronous answer to a method.
#[derive(Clone, Debug)]
pub enum Reply {
    /// No reply (asynchronous methods).
    None,
    /// `*-ok` with no fields worth reporting.
    Ok,
    DeclareOk {
        queue: Name,
        message_count: u64,
        consumer_count: u64,
    },
    PurgeOk {
        message_count: u64,
    },
    DeleteOk {
        message_count: u64,
    },
    ConsumeOk {
        consumer_tag: Name,
    },
    GetOk {
        delivery_tag: u64,
        redelivered: bool,
        message_count: u64,
        message: Rc<Message>,
    },
    GetEmpty,
}
