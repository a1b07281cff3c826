//! The whole broker node: virtual hosts (one [`Broker`] each), users and permissions
//! ([`Access`]), and connections that log in as a user into a vhost.
//!
//! A vhost is a separate broker in RabbitMQ too (its own exchanges, queues and message store,
//! its own supervision tree); what the vhosts share is the node's users, the clock and restarts.

use crate::access::{Access, CtlError, Pattern};
use crate::broker::{Broker, Channel, Connection};
use crate::error::AmqpError;
use crate::event::Event;
use crate::method::{Method, Reply};
use crate::names::VecMap;
use crate::queue::ConnId;
use crate::version::{Difference, Met, Version};

type R<T> = Result<T, AmqpError>;

/// A RabbitMQ node: vhost `/` and user `guest` (password `guest`) to begin with.
pub struct Server {
    seed: u64,
    /// Which RabbitMQ it is.
    version: Version,
    /// The places where the versions differ that it met (its own: the vhosts' are theirs).
    met: Met,
    now: u64,
    vhosts: VecMap<String, Broker>,
    access: Access,
    /// The vhost of each connection opened so far.
    conn_vhost: VecMap<ConnId, String>,
    next_conn: u32,
    /// Events of vhosts deleted since the last drain.
    events: Vec<Event>,
    /// What [`Server::broker`] shows when `/` has been deleted.
    empty: Broker,
    /// `rabbitmqctl stop_app` stopped the RabbitMQ application (the node still answers
    /// rabbitmqctl; clients cannot connect).
    stopped: bool,
}

impl Server {
    pub fn new(seed: u64) -> Server {
        Server::with_version(seed, Version::default())
    }

    /// A node of RabbitMQ `version`.
    pub fn with_version(seed: u64, version: Version) -> Server {
        let mut vhosts = VecMap::new();
        vhosts.insert("/".to_string(), Broker::with_version(seed, "/", version));
        Server {
            seed,
            version,
            met: Met::default(),
            now: 0,
            vhosts,
            access: Access::default(),
            conn_vhost: VecMap::new(),
            next_conn: 0,
            events: Vec::new(),
            empty: Broker::with_version(seed, "/", version),
            stopped: false,
        }
    }

    /// Which RabbitMQ it is.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Whether it follows 4.x at `d`, noting that it met `d`.
    pub(crate) fn four(&self, d: Difference) -> bool {
        self.met.rules(self.version).four(d)
    }

    /// The places where 3.10 and 4.3 differ that the node and its vhosts met since they were
    /// last asked, once each.
    pub fn take_differences(&mut self) -> Vec<Difference> {
        let mut all = self.met.take();
        for b in self.vhosts.values().chain([&self.empty]) {
            all.extend(b.take_differences());
        }
        all.sort();
        all.dedup();
        all
    }

    /// Users, vhosts and permissions.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// The broker of vhost `/` (empty if `/` was deleted): what the canvas shows.
    pub fn broker(&self) -> &Broker {
        self.vhosts.get("/").unwrap_or(&self.empty)
    }

    /// Where a message published now to vhost `/` would go ([`Broker::preview_route`], in
    /// `out`; empty when `/` is gone or the node is stopped): nothing changes.
    pub fn preview_route(
        &mut self,
        exchange: &crate::message::Name,
        routing_key: &crate::message::Name,
        properties: &std::rc::Rc<crate::message::Properties>,
        out: &mut Vec<(crate::message::Name, crate::exchange::Dest)>,
    ) {
        match self.vhosts.get_mut("/") {
            Some(b) if !self.stopped => b.preview_route(exchange, routing_key, properties, out),
            _ => out.clear(),
        }
    }

    pub fn vhost(&self, name: &str) -> Option<&Broker> {
        self.vhosts.get(name)
    }

    /// Every vhost's broker, by name.
    pub fn vhosts(&self) -> impl Iterator<Item = &Broker> {
        self.vhosts.values()
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    fn broker_of(&mut self, conn: ConnId) -> Option<&mut Broker> {
        let v = self.conn_vhost.get(&conn)?;
        self.vhosts.get_mut(v)
    }

    /// Open a connection as `user` into `vhost`. Refused as RabbitMQ refuses it: 403
    /// ACCESS_REFUSED for unknown users and wrong passwords, 530 NOT_ALLOWED for a missing vhost
    /// or one the user has no permissions in.
    pub fn connect(&mut self, now: u64, user: &str, password: &str, vhost: &str) -> R<ConnId> {
        self.advance(now);
        if self.stopped {
            // a real client's TCP connection is refused: nothing listens on the port
            return Err(AmqpError::new(
                0,
                "CONNECTION_REFUSED",
                "the RabbitMQ application is stopped (rabbitmqctl start_app starts it)",
            ));
        }
        let perms = self.access.login(user, password, vhost)?;
        self.next_conn += 1;
        let id = ConnId(self.next_conn);
        self.vhosts
            .get_mut(vhost)
            .expect("login checked the vhost")
            .attach(now, id, user, perms);
        self.conn_vhost.insert(id, vhost.to_string());
        Ok(id)
    }

    pub fn open_channel(&mut self, now: u64, conn: ConnId, ch: u16) -> R<()> {
        self.advance(now);
        match self.broker_of(conn) {
            Some(b) => b.open_channel(now, conn, ch),
            None => Err(AmqpError::channel_error("connection is closed")),
        }
    }

    pub fn connection(&self, conn: ConnId) -> Option<&Connection> {
        self.vhosts.get(self.conn_vhost.get(&conn)?)?.connection(conn)
    }

    /// The open connections, in every vhost.
    pub fn connection_ids(&self) -> Vec<ConnId> {
        self.vhosts
            .values()
            .flat_map(|b| b.connections().map(|(c, _)| *c))
            .collect()
    }

    pub fn channel(&self, conn: ConnId, ch: u16) -> Option<&Channel> {
        self.connection(conn)?.channels.get(&ch)
    }

    /// Run one method on an open channel (see [`Broker::handle`]).
    pub fn handle(&mut self, now: u64, conn: ConnId, ch: u16, method: Method) -> R<Reply> {
        self.advance(now);
        match self.broker_of(conn) {
            Some(b) => b.handle(now, conn, ch, method),
            None => Err(AmqpError::channel_error(format!(
                "expected 'channel.open' on channel {ch}"
            ))),
        }
    }

    pub fn close_connection(&mut self, now: u64, conn: ConnId) {
        self.advance(now);
        if let Some(b) = self.broker_of(conn) {
            b.close_connection(now, conn);
        }
    }

    /// Time passes in every vhost.
    pub fn advance(&mut self, now: u64) {
        self.now = self.now.max(now);
        for b in self.vhosts.values_mut() {
            b.advance(self.now);
        }
    }

    pub fn next_timeout(&self) -> Option<u64> {
        self.vhosts.values().filter_map(|b| b.next_timeout()).min()
    }

    /// The node restarts (`stop_app`, `start_app`): every vhost restarts; users, vhosts and
    /// permissions stay.
    pub fn restart(&mut self, now: u64) {
        self.advance(now);
        for b in self.vhosts.values_mut() {
            b.restart(now);
        }
    }

    /// Is the RabbitMQ application running (not stopped by `stop_app`)?
    pub fn running(&self) -> bool {
        !self.stopped
    }

    /// `rabbitmqctl stop_app`: every connection drops and, as on a restart, only durable things
    /// (and persistent messages in durable queues) will be there when it starts again.
    pub fn stop_app(&mut self, now: u64) {
        if !self.stopped {
            self.restart(now);
            self.stopped = true;
        }
    }

    /// `rabbitmqctl start_app`.
    pub fn start_app(&mut self, now: u64) {
        self.advance(now);
        self.stopped = false;
    }

    /// `rabbitmqctl purge_queue -p VHOST NAME`: the number of messages purged, `None` if no such
    /// queue (or vhost).
    pub fn purge_queue(&mut self, vhost: &str, name: &str) -> Option<u64> {
        let now = self.now;
        self.vhosts.get_mut(vhost)?.purge_queue(now, name)
    }

    /// `rabbitmqctl delete_queue -p VHOST NAME [--if-unused] [--if-empty]`.
    pub fn delete_queue(&mut self, vhost: &str, name: &str, if_unused: bool, if_empty: bool) -> Result<u64, CtlError> {
        let now = self.now;
        match self.vhosts.get_mut(vhost) {
            Some(b) => b.delete_queue_now(now, name, if_unused, if_empty),
            None => Err((
                64,
                crate::broker::not_found_for_ctl(self.four(Difference::CtlQueues)).into(),
            )),
        }
        .map_err(|(status, text)| CtlError::new(status, text))
    }

    /// `rabbitmqctl reset` (with the application stopped): a fresh node (only `/` and guest),
    /// nothing kept.
    pub fn reset(&mut self, now: u64) {
        let now = self.now.max(now);
        for b in self.vhosts.values_mut() {
            b.close_connections_of(now, None, None);
        }
        self.collect_events();
        let events = std::mem::take(&mut self.events);
        let next_conn = self.next_conn;
        let stopped = self.stopped;
        *self = Server::with_version(self.seed, self.version);
        self.stopped = stopped;
        self.next_conn = next_conn;
        self.events = events;
        self.vhosts.get_mut("/").expect("a fresh node has /").advance(now);
        self.now = now;
    }

    fn collect_events(&mut self) {
        for b in self.vhosts.values_mut() {
            self.events.extend(b.drain_events());
        }
    }

    /// [`Server::drain_events`] appended to `out` (no new list each time: a simulation drains
    /// after every call).
    pub fn drain_events_into(&mut self, out: &mut Vec<Event>) {
        self.collect_events();
        crate::sort::sort_by_key(&mut self.events, |e| e.at);
        out.append(&mut self.events);
    }

    /// The events since the last drain, from every vhost, in time order.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.collect_events();
        let mut events = std::mem::take(&mut self.events);
        crate::sort::sort_by_key(&mut events, |e| e.at);
        events
    }

    // ---- rabbitmqctl's user, vhost and permission commands --------------------------------------

    pub fn add_user(&mut self, user: &str, password: &str) -> Result<(), CtlError> {
        self.access.add_user(user, password)
    }

    /// Deletes the user; its connections are closed with 320 CONNECTION_FORCED.
    pub fn delete_user(&mut self, user: &str) -> Result<(), CtlError> {
        // 4.x: deleting a user that is not there succeeds (3.10: exit 67, `User "x" does not
        // exist`); seen on 4.3.6, access_ctl_errors
        if self.access.user(user).is_none() && self.four(Difference::CtlMissing) {
            return Ok(());
        }
        self.access.delete_user(user)?;
        let now = self.now;
        let why = AmqpError::connection_forced(format!("user '{user}' is deleted"));
        for b in self.vhosts.values_mut() {
            b.close_connections_of(now, Some(user), Some(why.clone()));
        }
        Ok(())
    }

    pub fn change_password(&mut self, user: &str, password: &str) -> Result<(), CtlError> {
        self.access.change_password(user, password)
    }

    pub fn set_user_tags(&mut self, user: &str, tags: &[String]) -> Result<(), CtlError> {
        self.access.set_user_tags(user, tags)
    }

    pub fn add_vhost(&mut self, vhost: &str) {
        if !self.access.has_vhost(vhost) {
            self.access.add_vhost(vhost);
            let mut b = Broker::with_version(self.seed, vhost, self.version);
            b.advance(self.now);
            self.vhosts.insert(vhost.to_string(), b);
        }
    }

    /// Deletes the vhost and everything in it; its connections are closed with 320
    /// CONNECTION_FORCED (`vhost '…' is deleted`; RabbitMQ 3.10.8 says `is down` about one time in four).
    pub fn delete_vhost(&mut self, vhost: &str) -> Result<(), CtlError> {
        self.access.delete_vhost(vhost)?;
        if let Some(mut b) = self.vhosts.remove(vhost) {
            let why = AmqpError::connection_forced(format!("vhost '{vhost}' is deleted"));
            b.close_connections_of(self.now, None, Some(why));
            self.events.extend(b.drain_events());
        }
        Ok(())
    }

    /// Sets a user's permissions in a vhost; its open connections use them at once.
    pub fn set_permissions(
        &mut self,
        vhost: &str,
        user: &str,
        configure: &str,
        write: &str,
        read: &str,
    ) -> Result<(), CtlError> {
        // the versions' `re` differ (`node/pcre/pcre2.rs`): noted where a pattern fails in either
        let fails = |p: &str| Version::ALL.iter().any(|v| Pattern::with_version(p, *v).is_err());
        if [configure, write, read].into_iter().any(fails) {
            self.met.note(Difference::Pcre2);
        }
        let p = self
            .access
            .set_permissions(vhost, user, configure, write, read, self.version)?;
        if let Some(b) = self.vhosts.get_mut(vhost) {
            b.set_user_permissions(user, Some(p));
        }
        Ok(())
    }

    pub fn clear_permissions(&mut self, vhost: &str, user: &str) -> Result<(), CtlError> {
        // 4.x: clearing a user's permissions in a vhost that is not there succeeds (3.10: exit
        // 69); seen on 4.3.6, access_ctl_errors
        if self.access.user(user).is_some() && !self.vhosts.contains_key(vhost) && self.four(Difference::CtlMissing) {
            return Ok(());
        }
        self.access.clear_permissions(vhost, user)?;
        if let Some(b) = self.vhosts.get_mut(vhost) {
            b.set_user_permissions(user, None);
        }
        Ok(())
    }
}
