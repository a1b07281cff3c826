//! Consumers (semantics §3): `basic.consume` (exclusive consumers, single active consumer,
//! priorities, what a quorum queue ignores or refuses) and `basic.cancel`.

use super::*;

impl Broker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn basic_consume(
        &mut self,
        conn: ConnId,
        ch: u16,
        queue: Name,
        tag: String,
        no_ack: bool,
        exclusive: bool,
        args: FieldTable,
    ) -> R<Reply> {
        if self.chan(conn, ch).consumers.contains_key(tag.as_str()) {
            return Err(AmqpError::not_allowed(format!("attempt to reuse consumer tag '{tag}'")));
        }
        if &*queue != REPLY_TO {
            self.check(conn, ch, Perm::Read, true, &queue)?;
        }
        if &*queue == REPLY_TO {
            let c = self.chan(conn, ch);
            if !no_ack {
                return Err(AmqpError::precondition_failed("reply consumer cannot acknowledge"));
            }
            if c.reply_consumer.is_some() {
                return Err(AmqpError::precondition_failed("reply consumer already set"));
            }
            let tag: Name = if tag.is_empty() {
                self.ctags.guid_name("amq.ctag").into()
            } else {
                tag.into()
            };
            let pid = base64_std(&self.replies.guid()[..12]);
            let key = base64_std(&self.replies.guid());
            let suffix = format!("{pid}.{key}");
            self.reply_routes.insert(suffix.clone(), (conn, ch));
            self.chan(conn, ch).reply_consumer = Some((tag.clone(), suffix));
            return Ok(Reply::ConsumeOk { consumer_tag: tag });
        }
        self.lookup_queue(conn, &queue)?;
        let priority = match args.get("x-priority") {
            None => 0,
            Some(FieldValue::Int(_, p)) => *p,
            Some(v) => {
                return Err(AmqpError::precondition_failed(format!(
                    "invalid arg 'x-priority' for {}: {{unacceptable_type,{}}}",
                    self.rs_queue(&queue),
                    v.type_name()
                )))
            }
        };
        let q = &self.queues[&queue];
        if q.cfg.quorum && self.chan(conn, ch).global_prefetch > 0 {
            return Err(AmqpError::not_implemented(format!(
                "{} does not support global qos",
                self.rs_queue(&queue)
            )));
        }
        let q = &self.queues[&queue];
        // quorum queues ignore the flag; rabbit_amqqueue_process basic_consume: a classic
        // single-active-consumer queue refuses every exclusive consume, even with no consumer yet
        let exclusive = exclusive && !q.cfg.quorum;
        let refused = q.cfg.single_active_consumer || q.consumer_count() > 0;
        if q.has_exclusive_consumer || (exclusive && refused) {
            return Err(AmqpError::access_refused(format!(
                "{} in exclusive use",
                self.rs_queue(&queue)
            )));
        }
        let tag: Name = if tag.is_empty() {
            self.ctags.guid_name("amq.ctag").into()
        } else {
            tag.into()
        };
        let queue_id = q.id;
        let sac = q.cfg.single_active_consumer;
        let c = self.chan(conn, ch);
        let prefetch = c.prefetch;
        c.may_unblock |= sac;
        c.consumers.insert(
            tag.clone(),
            Consumer {
                queue: queue.clone(),
                queue_id,
                no_ack,
                prefetch,
                unacked: 0,
                priority,
                exclusive,
            },
        );
        let key = ConsumerKey {
            conn,
            ch,
            tag: tag.clone(),
            priority,
        };
        let q = self.queues.get_mut(&queue).expect("checked");
        q.registered.push(key.clone());
        q.activate(key);
        q.had_consumer = true;
        q.has_exclusive_consumer |= exclusive;
        q.last_used = self.now;
        self.emit(EventKind::ConsumerAdded {
            conn,
            ch,
            queue: queue.clone(),
            consumer_tag: tag.clone(),
        });
        self.refresh_timers(&queue);
        self.mark_dirty(&queue);
        Ok(Reply::ConsumeOk { consumer_tag: tag })
    }

    pub(super) fn basic_cancel(&mut self, conn: ConnId, ch: u16, tag: &str) {
        let c = self.chan(conn, ch);
        if c.reply_consumer.as_ref().is_some_and(|(t, _)| &**t == tag) {
            let (_, suffix) = c.reply_consumer.take().expect("checked");
            self.reply_routes.remove(&suffix);
            return;
        }
        let Some(consumer) = c.consumers.remove(tag) else {
            return;
        };
        self.remove_consumer_from_queue(conn, ch, tag, &consumer);
    }

    pub(super) fn remove_consumer_from_queue(&mut self, conn: ConnId, ch: u16, tag: &str, consumer: &Consumer) {
        let Some(q) = self
            .queues
            .get_mut(&consumer.queue)
            .filter(|q| q.id == consumer.queue_id)
        else {
            return;
        };
        q.remove_consumer(conn, ch, tag);
        if consumer.exclusive {
            q.has_exclusive_consumer = false;
        }
        let name = q.name.clone();
        self.emit(EventKind::ConsumerRemoved {
            conn,
            ch,
            queue: name.clone(),
            consumer_tag: tag.into(),
        });
        let q = &self.queues[&name];
        if q.registered.is_empty() {
            if q.auto_delete && q.had_consumer {
                self.delete_queue(&name, QueueGone::AutoDeleted);
                return;
            }
            let id = q.id;
            self.touch(id);
        }
        self.mark_dirty(&name);
    }
}
