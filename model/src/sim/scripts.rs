//! Clients `Live` does not drive: a learner's scripts, run in terminals
//! ([`crate::terminals`]). Their coordinator hands each frame to the broker at the instant it
//! arrives (a hop after the script sent it) and reads what the broker sent their connections
//! from the timeline's events; `Live` draws their frames as it draws its own clients'.

use super::*;
use warren_engine::error::AmqpError;
use warren_engine::scenario::Login;

impl Live {
    /// The engine's clock reaches `t`: what is due before happens first.
    pub fn reach(&mut self, t: u64) {
        self.advance_to(t);
        self.wait_until(t);
    }

    /// The simulated broker and the clients' connections.
    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// A script's connection `name` opens now, logged in with `login`, or is refused as the
    /// broker refuses it.
    pub fn script_connect(&mut self, name: &str, login: &Login) -> Result<(), AmqpError> {
        let first = self.timeline.events.len();
        let opened = self.runner.connect(name, login);
        self.took(first);
        opened
    }

    /// A script's frame reaches the broker now: its step runs. Its `ok` line (the reply of a
    /// method that has one); what else the broker did is on the timeline, from the index this
    /// returns. `trips` are the frame's dots ([`Live::draw_sent`]), named now if it published.
    pub fn script_step(&mut self, st: &Step, trips: std::ops::Range<usize>) -> (Option<Value>, usize) {
        let index = self.ran;
        self.ran += 1;
        let first = self.timeline.events.len();
        let lines = match self.runner.step(index, st) {
            Ok(lines) => lines,
            Err(e) => {
                self.problems.push(e.to_string());
                Vec::new()
            }
        };
        self.took(first);
        if !trips.is_empty() {
            let published = (first..self.timeline.events.len()).find_map(|i| match &self.timeline.events[i].kind {
                EventKind::Published { msg, .. } => Some(*msg),
                _ => None,
            });
            if let Some(msg) = published {
                self.timeline.name_trips(trips, msg);
            }
        }
        let ok = lines.into_iter().find(|l| l["kind"] == "ok");
        (ok, first)
    }

    /// The trace line a client sees for the timeline's event `i` (a delivery, a return, a
    /// channel closed with an error…), if it is one a client sees.
    pub fn client_line(&self, i: usize) -> Option<Value> {
        self.runner.client_line(&self.timeline.events[i]).map(|l| l.2)
    }

    /// Draw a frame a script sends now, on its way to the broker (a hop): a publish along the
    /// route the bindings now give it. Its trips (none for other frames).
    pub fn draw_sent(&mut self, st: &Step) -> std::ops::Range<usize> {
        match &st.call {
            Call::Method(Method::BasicPublish {
                exchange,
                routing_key,
                properties,
                ..
            }) => {
                let conn = Name::from(st.conn.as_str());
                self.draw_publish(&conn, exchange, routing_key, properties)
            }
            _ => 0..0,
        }
    }
}
