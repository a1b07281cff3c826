//! AMQP 0-9-1 as the broker reads and writes it: methods and replies, field tables, messages and
//! their properties, RabbitMQ's errors with their texts.

pub mod error;
pub mod field;
pub mod message;
pub mod method;
