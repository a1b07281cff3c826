//! AMQP errors as RabbitMQ raises them: reply code, constant name and its exact text.

use std::fmt;

/// An error the broker answers with: a channel error (soft) closes the channel, a connection error
/// (hard) closes the connection. `text` is RabbitMQ's full reply text, `"<CONSTANT> - <why>"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmqpError {
    pub code: u16,
    pub text: String,
}

impl AmqpError {
    pub fn new(code: u16, constant: &str, why: impl fmt::Display) -> AmqpError {
        AmqpError {
            code,
            text: format!("{constant} - {why}"),
        }
    }
    pub fn access_refused(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(403, "ACCESS_REFUSED", why)
    }
    pub fn not_found(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(404, "NOT_FOUND", why)
    }
    pub fn resource_locked(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(405, "RESOURCE_LOCKED", why)
    }
    pub fn precondition_failed(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(406, "PRECONDITION_FAILED", why)
    }
    pub fn command_invalid(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(503, "COMMAND_INVALID", why)
    }
    pub fn channel_error(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(504, "CHANNEL_ERROR", why)
    }
    pub fn not_allowed(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(530, "NOT_ALLOWED", why)
    }
    /// 320: the broker closed the connection on an operator's command (`delete_user`).
    pub fn connection_forced(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(320, "CONNECTION_FORCED", why)
    }
    pub fn not_implemented(why: impl fmt::Display) -> AmqpError {
        AmqpError::new(540, "NOT_IMPLEMENTED", why)
    }

    /// Connection errors (5xx) close the connection; the 4xx ones close only the channel.
    pub fn is_connection_error(&self) -> bool {
        self.code >= 500 || self.code == 320
    }

    /// `no queue 'q' in vhost '/'`
    pub fn no_queue(name: &str, vhost: &str) -> AmqpError {
        AmqpError::not_found(format!("no queue '{name}' in vhost '{vhost}'"))
    }
    /// `no exchange 'x' in vhost '/'`
    pub fn no_exchange(name: &str, vhost: &str) -> AmqpError {
        AmqpError::not_found(format!("no exchange '{name}' in vhost '{vhost}'"))
    }
    pub fn queue_locked(name: &str, vhost: &str) -> AmqpError {
        AmqpError::resource_locked(format!(
            "cannot obtain exclusive access to locked queue '{name}' in vhost '{vhost}'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration."
        ))
    }
    pub fn default_exchange() -> AmqpError {
        AmqpError::access_refused("operation not permitted on the default exchange")
    }
}

impl fmt::Display for AmqpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

impl std::error::Error for AmqpError {}
