//! The node around the vhosts' brokers: vhosts, users and their permissions (and the patterns
//! they are written in), logins, rabbitmqctl, definitions.

pub mod access;
pub mod ctl;
pub mod definitions;
pub mod pcre;
pub mod server;
