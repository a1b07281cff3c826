//! Publishing (semantics §2, §6): `basic.publish` (permissions, `mandatory` returns, publisher
//! confirms, direct reply-to), and a message offered to each queue it routed to
//! (`maybe_deliver_or_enqueue`, with the length limits' `reject-publish`).

use super::*;

impl Broker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn basic_publish(
        &mut self,
        conn: ConnId,
        ch: u16,
        exchange: &str,
        routing_key: Name,
        mandatory: bool,
        immediate: bool,
        mut props: Rc<Properties>,
        body: Vec<u8>,
    ) -> R<()> {
        if immediate {
            return Err(AmqpError::not_implemented("immediate=true"));
        }
        self.check(conn, ch, Perm::Write, false, exchange)?;
        self.note_log_exchange(exchange);
        let Some(x) = self.exchanges.get(exchange) else {
            return Err(AmqpError::no_exchange(exchange, &self.vhost));
        };
        if x.internal {
            return Err(AmqpError::access_refused(format!(
                "cannot publish to internal {}",
                self.rs_exchange(exchange)
            )));
        }
        let xname = x.name.clone();
        if props.reply_to.as_deref() == Some(REPLY_TO) {
            let chan = self.conns.get(&conn).and_then(|c| c.channels.get(&ch));
            match chan.and_then(|c| c.reply_consumer.as_ref()) {
                Some((_, suffix)) => Rc::make_mut(&mut props).reply_to = Some(format!("{REPLY_TO_PREFIX}{suffix}")),
                None => return Err(AmqpError::precondition_failed("fast reply consumer does not exist")),
            }
        }
        if let Some(uid) = &props.user_id {
            let user = &self.conns[&conn].user;
            if uid != &**user {
                return Err(AmqpError::precondition_failed(format!(
                    "user_id property set to '{uid}' but authenticated user was '{user}'"
                )));
            }
        }
        if let Some(e) = &props.expiration {
            if let Err(why) = parse_expiration(e) {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid expiration '{e}': {why}"
                )));
            }
        }
        let mut cc: Vec<Name> = Vec::new();
        if let Some(h) = &props.headers {
            for hk in ["CC", "BCC"] {
                match h.get(hk) {
                    None => {}
                    Some(FieldValue::Array(a)) => cc.extend(a.iter().filter_map(|v| v.as_str()).map(Name::from)),
                    Some(v) => {
                        return Err(AmqpError::precondition_failed(format!(
                            "invalid message: {{unacceptable_type_in_header,\"{hk}\",{}}}",
                            v.type_name()
                        )))
                    }
                }
            }
            if h.contains_key("BCC") {
                if let Some(h) = &mut Rc::make_mut(&mut props).headers {
                    h.remove("BCC");
                }
            }
        }
        let (keys, props) = share(&mut self.last_shared, routing_key, cc, props);
        let c = self
            .conns
            .get_mut(&conn)
            .and_then(|c| c.channels.get_mut(&ch))
            .expect("channel checked open before exec");
        let seq = if c.confirm {
            c.next_seq += 1;
            Some(c.next_seq - 1)
        } else {
            None
        };
        self.next_msg += 1;
        let msg = Rc::new(Message {
            id: MsgId(self.next_msg),
            exchange: xname.clone(),
            routing_keys: keys,
            properties: props,
            body: body.into_boxed_slice(),
        });
        let (now, exchange, message) = (self.now, xname.clone(), msg.clone());
        push_event(&mut self.events, || Event {
            at: now,
            kind: EventKind::Published {
                msg: message.id,
                conn,
                ch,
                exchange,
                seq,
                message,
            },
        });
        let queues = if xname.is_empty() {
            self.route(&xname, &msg)
        } else {
            let out = std::mem::take(&mut self.routed);
            graph!(self).route(x, &msg, out)
        };
        if queues.is_empty() {
            self.recycle(queues);
            self.emit(EventKind::Unroutable {
                msg: msg.id,
                exchange: xname,
            });
            if mandatory {
                self.emit(EventKind::Returned {
                    msg: msg.id,
                    conn,
                    ch,
                    reply_code: 312,
                    reply_text: "NO_ROUTE".into(),
                    message: msg.clone(),
                });
            }
            if let Some(seq) = seq {
                self.emit(EventKind::Confirmed {
                    conn,
                    ch,
                    seq,
                    ack: true,
                });
            }
            return Ok(());
        }
        let mut all = true;
        for q in &queues {
            all &= self.enqueue(q, msg.clone(), Some((conn, ch)));
        }
        self.recycle(queues);
        if let Some(seq) = seq {
            self.emit(EventKind::Confirmed {
                conn,
                ch,
                seq,
                ack: all,
            });
        }
        Ok(())
    }

    pub(super) fn deliver_reply(&mut self, key: &Name, msg: &Rc<Message>) {
        let Some(&(conn, ch)) = self.reply_routes.get(&key[REPLY_TO_PREFIX.len()..]) else {
            return;
        };
        let Some(c) = self.conns.get_mut(&conn).and_then(|c| c.channels.get_mut(&ch)) else {
            return;
        };
        let Some((ctag, _)) = c.reply_consumer.clone() else {
            return;
        };
        let tag = c.next_tag;
        c.next_tag += 1;
        // The reply shows the key it was published with, whatever the message's first key.
        let mut m = (**msg).clone();
        m.routing_keys = Rc::from([key.clone()]);
        self.emit(EventKind::Delivered {
            msg: msg.id,
            queue: key.clone(),
            conn,
            ch,
            consumer_tag: Some(ctag),
            delivery_tag: tag,
            redelivered: false,
            auto_ack: true,
            message: Rc::new(m),
            message_count: None,
        });
    }

    /// Offer a message to a queue (`maybe_deliver_or_enqueue`), published by channel `from`
    /// (`None`: dead-lettered): false when the queue refused it.
    pub(super) fn enqueue(&mut self, qname: &Name, msg: Rc<Message>, from: Option<(ConnId, u16)>) -> bool {
        self.enqueue_as(qname, msg, from, 0)
    }

    /// [`Broker::enqueue`] of a dead letter that carries a delivery count (4.x, `carried` > 0;
    /// see `broker/dead_letter.rs`): the queue takes the count as its own and the message is
    /// `redelivered` on its next delivery.
    pub(super) fn enqueue_as(
        &mut self,
        qname: &Name,
        msg: Rc<Message>,
        from: Option<(ConnId, u16)>,
        carried: u16,
    ) -> bool {
        let Some(q) = self.queues.get_mut(qname) else {
            return true;
        };
        super::overflow::weigh(&q.cfg, &self.met);
        // a quorum queue refuses by blocking publishing channels (over the limit, not at it),
        // never a dead letter (3.10 sends those untracked); one that drops the head takes the
        // message, then drops
        let full = q.has_limit()
            && match (q.cfg.quorum, q.cfg.overflow()) {
                (true, Overflow::RejectPublish) => from.is_some_and(|f| !q.admits(f)),
                (true, _) => false,
                (false, _) => q.would_overflow(msg.body.len() as u64),
            };
        if full {
            match q.cfg.overflow() {
                Overflow::RejectPublish => {
                    self.emit(EventKind::Dropped {
                        msg: msg.id,
                        queue: qname.clone(),
                        reason: DropReason::RejectPublish,
                    });
                    return false;
                }
                Overflow::RejectPublishDlx => {
                    let e = Entry {
                        seq: 0,
                        msg,
                        expires: u64::MAX,
                        delivered: false,
                        level: 0,
                        delivery_count: 0,
                        acquired_count: 0,
                    };
                    self.dead_letter(qname, e, DeathReason::MaxLen, DropReason::RejectPublish);
                    return false;
                }
                Overflow::DropHead => {}
            }
        }
        let ttl = match (
            q.cfg.message_ttl,
            msg.properties
                .expiration
                .as_deref()
                .and_then(|e| parse_expiration(e).ok()),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut entry = Entry {
            seq: q.next_seq(),
            expires: ttl.map_or(u64::MAX, |t| self.now.saturating_add(t)),
            delivered: carried > 0,
            level: q.level_of(msg.properties.priority),
            delivery_count: carried,
            acquired_count: 0,
            msg,
        };
        let (now, msg, queue) = (self.now, entry.msg.id, qname.clone());
        push_event(&mut self.events, || Event {
            at: now,
            kind: EventKind::Enqueued { msg, queue },
        });
        if q.is_empty() {
            // a classic queue hands a message to a waiting consumer as a new one
            // (`publish_delivered`): the count a dead letter carries marks it redelivered only
            // once it has waited in the queue (seen on 4.3.6: the dead-letters tutorial)
            let waited = entry.delivered;
            entry.delivered &= q.cfg.quorum;
            let mut slot = Some(entry);
            if deliver_next(
                q,
                &mut self.conns,
                &mut self.events,
                (self.now, self.met.rules(self.version)),
                &mut slot,
            ) {
                return true;
            }
            entry = slot.expect("not delivered");
            entry.delivered = waited;
        }
        q.push(entry);
        self.maybe_drop_head(qname);
        self.drop_expired(qname);
        self.refresh_timers(qname);
        true
    }
}
