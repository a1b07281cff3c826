//! Connections and channels: opening, logins (`attach`), and closing them, by the client or by
//! the broker on an error (what a closed channel gives back: its consumers, its unacked
//! deliveries, its exclusive queues).

use super::*;

impl Broker {
    /// Open a connection.
    pub fn connect(&mut self, now: u64) -> ConnId {
        self.advance(now);
        self.next_conn += 1;
        let id = ConnId(self.next_conn);
        self.conns.insert(
            id,
            Connection {
                user: "guest".into(),
                opened_at: now,
                ..Connection::default()
            },
        );
        self.emit(EventKind::ConnectionOpened { conn: id });
        id
    }

    /// Open connection `id` (chosen by the server, unique across vhosts) for `user`, whose
    /// permissions in this vhost are `perms`.
    pub fn attach(&mut self, now: u64, id: ConnId, user: &str, perms: Rc<Permissions>) {
        self.advance(now);
        self.next_conn = self.next_conn.max(id.0);
        self.conns.insert(
            id,
            Connection {
                channels: VecMap::default(),
                user: user.into(),
                opened_at: now,
                perms: Some(perms),
            },
        );
        self.emit(EventKind::ConnectionOpened { conn: id });
    }

    /// `set_permissions` / `clear_permissions` took effect: `user`'s open connections check
    /// `perms` from now on (`None`: the user has no permissions here any more).
    pub fn set_user_permissions(&mut self, user: &str, perms: Option<Rc<Permissions>>) {
        let perms = perms.unwrap_or_else(|| Rc::new(Permissions::new("", "", "").expect("empty compiles")));
        for c in self.conns.values_mut() {
            if &*c.user == user {
                c.perms = Some(perms.clone());
            }
        }
    }

    /// Close every connection of `user` with `error` (`delete_user`), or every connection when
    /// `user` is `None` (the vhost is deleted).
    pub fn close_connections_of(&mut self, now: u64, user: Option<&str>, error: Option<AmqpError>) {
        self.advance(now);
        let ids: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| user.is_none_or(|u| &*c.user == u))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.close_connection_inner(id, error.clone());
        }
        self.run_dirty();
    }

    /// Open channel `ch` on `conn`. Opening a channel that is open is a connection error.
    pub fn open_channel(&mut self, now: u64, conn: ConnId, ch: u16) -> R<()> {
        self.advance(now);
        let Some(c) = self.conns.get_mut(&conn) else {
            return Err(AmqpError::channel_error("connection is closed"));
        };
        if c.channels.contains_key(&ch) {
            let e = AmqpError::channel_error(format!("second 'channel.open' seen on channel {ch}"));
            self.close_connection_inner(conn, Some(e.clone()));
            self.run_dirty();
            return Err(e);
        }
        c.channels.insert(
            ch,
            Channel {
                next_tag: 1,
                next_seq: 1,
                ..Channel::default()
            },
        );
        self.emit(EventKind::ChannelOpened { conn, ch });
        Ok(())
    }

    /// Is channel `ch` of `conn` open?
    pub fn channel(&self, conn: ConnId, ch: u16) -> Option<&Channel> {
        self.conns.get(&conn)?.channels.get(&ch)
    }

    /// Close a connection as a client does (`connection.close`).
    pub fn close_connection(&mut self, now: u64, conn: ConnId) {
        self.advance(now);
        self.close_connection_inner(conn, None);
        self.run_dirty();
    }

    pub(super) fn close_channel_inner(&mut self, conn: ConnId, ch: u16, error: Option<AmqpError>) {
        let Some(c) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        let consumers: Vec<(Name, Consumer)> = std::mem::take(&mut c.consumers).into_iter().collect();
        if let Some((_, suffix)) = c.reply_consumer.take() {
            self.reply_routes.remove(&suffix);
        }
        // Unacked deliveries go back first, then the consumers go (an auto-delete queue may then go).
        let pending: Vec<Pending> = c.pending.drain(..).collect();
        let mut queues: Vec<Name> = Vec::new();
        for p in pending {
            if let Some(q) = self.queues.get_mut(&p.queue).filter(|q| q.id == p.queue_id) {
                q.settled(p.consumer.is_none());
            }
            if self.return_entry(&p.queue, p.queue_id, p.entry, Return::Closed) && !queues.contains(&p.queue) {
                queues.push(p.queue);
            }
        }
        for (tag, cons) in &consumers {
            self.remove_consumer_from_queue(conn, ch, tag, cons);
        }
        self.conns.get_mut(&conn).expect("open").channels.remove(&ch);
        for q in self.queues.values_mut_unordered() {
            q.forget_enqueuer(conn, ch);
        }
        for q in queues {
            self.after_requeue(&q);
        }
        self.emit(EventKind::ChannelClosed { conn, ch, error });
    }

    pub(super) fn close_connection_inner(&mut self, conn: ConnId, error: Option<AmqpError>) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        let chans: Vec<u16> = c.channels.keys().copied().collect();
        for ch in chans {
            self.close_channel_inner(conn, ch, None);
        }
        let owned: Vec<Name> = self
            .queues
            .values()
            .filter(|q| q.exclusive_owner == Some(conn))
            .map(|q| q.name.clone())
            .collect();
        for q in owned {
            self.delete_queue(&q, QueueGone::OwnerClosed);
        }
        self.conns.remove(&conn);
        self.emit(EventKind::ConnectionClosed { conn, error });
    }
}
