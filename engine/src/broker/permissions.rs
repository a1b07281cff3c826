//! Permission checks (semantics §9, docs/access-control.md): what each method needs on which
//! resource (configure, write, read), through the channel's cache of what was allowed, and the
//! refusal's text: RabbitMQ 4.x names the permission (`read access to queue 'q' in vhost '/'
//! refused for user 'bob'`), 3.10 does not (`access to queue …`). A passive declare needs no
//! permission in 3.10; in 4.x it needs one of the three on the resource, whether it exists or
//! not, and its refusal says `configure` (seen on 4.3.6: `tests/scenarios/4.3/access_cache.jsonl`,
//! `access_login`, `access_permissions`).

use super::*;

impl Broker {
    /// `check_resource_access` as rabbit_channel calls it: `perm` on a queue (`queue`) or an
    /// exchange named `name` (the default exchange is `amq.default`), through the channel's cache.
    pub(super) fn check(&mut self, conn: ConnId, ch: u16, perm: Perm, queue: bool, name: &str) -> R<()> {
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(());
        };
        let Some(p) = &c.perms else {
            return Ok(());
        };
        let name = if !queue && name.is_empty() { "amq.default" } else { name };
        let chan = c.channels.get_mut(&ch);
        if let Some(chan) = &chan {
            if chan
                .perm_cache
                .iter()
                .any(|(pp, qq, n)| *pp == perm && *qq == queue && &**n == name)
            {
                return Ok(());
            }
        }
        if p.allows(perm, name) {
            if let Some(chan) = chan {
                chan.perm_cache.push_front((perm, queue, name.into()));
                chan.perm_cache.truncate(12);
            }
            return Ok(());
        }
        let user = c.user.clone();
        let what = if queue {
            self.rs_queue(name)
        } else {
            self.rs_exchange(name)
        };
        // 4.x names the permission refused (`read access to queue …`); 3.10 does not
        let perm = match (self.four(Difference::PermissionNamed), perm) {
            (false, _) => "",
            (true, Perm::Configure) => "configure ",
            (true, Perm::Write) => "write ",
            (true, Perm::Read) => "read ",
        };
        Err(AmqpError::access_refused(format!(
            "{perm}access to {what} refused for user '{user}'"
        )))
    }

    /// A passive declare of queue (`queue`) or exchange `name`: 4.x refuses a user with none of
    /// configure, write and read on it (as configure); 3.10 lets anyone ask.
    pub(super) fn check_passive(&mut self, conn: ConnId, ch: u16, queue: bool, name: &str) -> R<()> {
        let Some(p) = self.conns.get(&conn).and_then(|c| c.perms.clone()) else {
            return Ok(());
        };
        let named = if !queue && name.is_empty() { "amq.default" } else { name };
        // the versions differ only for a user with none of the three
        if [Perm::Configure, Perm::Write, Perm::Read]
            .iter()
            .any(|&perm| p.allows(perm, named))
            || !self.four(Difference::PassiveDeclare)
        {
            return Ok(());
        }
        self.check(conn, ch, Perm::Configure, queue, name)
    }
}
