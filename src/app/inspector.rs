//! The inspector: the selected node's settings, a message's path and why each binding matched, an exchange's routing tester.

use super::*;

impl App {
    pub(super) fn inspector(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let d = &self.hist.design;
        match self.sel {
            Sel::Node(id) => {
                let Some(n) = d.node(id) else {
                    return html! {};
                };
                if let Some(view) = self.term_node_view(n) {
                    return view;
                }
                let spec = n.spec.clone();
                // fields that edit the spec: parse the input, change a copy, apply it
                let send = self.send.clone();
                let lang = self.lang;
                let field = |label: &'static str, value: String, f: fn(&mut Spec, &str) -> Result<(), String>| {
                    html! { <Field label={label} value={AttrValue::from(value)} send={send.clone()} lang={lang}
                    target={Target::Spec { id, spec: spec.clone(), set: f }} /> }
                };
                let check = |label: &'static str, value: bool, f: fn(&mut Spec, bool)| {
                    html! { <Field label={label} checkbox={Some(value)} send={send.clone()}
                    target={Target::Check { id, spec: spec.clone(), set: f }} /> }
                };
                // a choice among fixed values (an exchange's type, a queue's)
                let choice = |label: &'static str,
                              aria: &'static str,
                              options: &'static [&'static str],
                              now: &str,
                              f: fn(&mut Spec, String)| {
                    let spec = spec.clone();
                    let onchange = link.callback(move |e: Event| {
                        let mut s = spec.clone();
                        f(&mut s, input_value(&e));
                        Msg::Do(Action::SetSpec { id, spec: s })
                    });
                    html! {
                        <label>{ label }<select aria-label={aria} {onchange}>
                            { for options.iter().map(|k| html! { <option value={*k} selected={now == *k}>{ *k }</option> }) }
                        </select></label>
                    }
                };
                fn num<T: std::str::FromStr>(v: &str) -> Result<T, String> {
                    v.trim().parse().map_err(|_| format!("'{v}' is not a number in range"))
                }
                fn opt<T: std::str::FromStr>(v: &str) -> Result<Option<T>, String> {
                    if v.trim().is_empty() {
                        Ok(None)
                    } else {
                        num(v).map(Some)
                    }
                }
                let fields = match &n.spec {
                    Spec::Producer(p) => html! {<>
                        <button class="publish" onclick={link.callback(move |_| Msg::Input(Input::Publish(id)))}
                            aria-label={format!("publish from {}", n.name)}
                            // (its burst is written after its name by the style sheet: a field below says it)
                            data-burst={(p.burst > 1).then(|| p.burst.to_string())}>{ tr(l, "Publish") }</button>
                        if d.producer_target(id).is_some_and(|t| t.0.is_empty()) {
                            <p class="hint">{ tr(l, "Linked to a queue: publishes through the default exchange with the queue's name as routing key.") }</p>
                        } else {
                            { field(tr(l, "routing key"), p.routing_key.clone(), |s, v| { if let Spec::Producer(p) = s { p.routing_key = v.into() } Ok(()) }) }
                        }
                        { field(tr(l, "body"), p.body.clone(), |s, v| { if let Spec::Producer(p) = s { p.body = v.into() } Ok(()) }) }
                        { field(tr(l, "burst"), p.burst.to_string(), |s, v| { if let Spec::Producer(p) = s { p.burst = num(v)? } Ok(()) }) }
                        { field(tr(l, "every ms (0 = on click)"), p.every_ms.to_string(), |s, v| { if let Spec::Producer(p) = s { p.every_ms = num(v)? } Ok(()) }) }
                        { check(tr(l, "persistent (delivery_mode 2)"), p.persistent, |s, v| { if let Spec::Producer(p) = s { p.persistent = v } }) }
                        { check(tr(l, "mandatory"), p.mandatory, |s, v| { if let Spec::Producer(p) = s { p.mandatory = v } }) }
                        { check(tr(l, "publisher confirms"), p.confirm, |s, v| { if let Spec::Producer(p) = s { p.confirm = v } }) }
                        { field(tr(l, "correlation id"), p.correlation_id.clone(), |s, v| { if let Spec::Producer(p) = s { p.correlation_id = v.into() } Ok(()) }) }
                        { field(tr(l, "reply to"), p.reply_to.clone(), |s, v| { if let Spec::Producer(p) = s { p.reply_to = v.into() } Ok(()) }) }
                        if p.reply_to == warren_model::design::DIRECT_REPLY_TO {
                            <p class="hint">{ tr(l, "Direct reply-to: it consumes amq.rabbitmq.reply-to itself; replies come straight back, through no queue.") }</p>
                        }
                        { field(tr(l, "expiration ms"), p.expiration.clone(), |s, v| { if let Spec::Producer(p) = s { if !v.is_empty() { num::<u32>(v)?; } p.expiration = v.into() } Ok(()) }) }
                        { field(tr(l, "priority"), p.priority.map(|p| p.to_string()).unwrap_or_default(), |s, v| { if let Spec::Producer(p) = s { p.priority = opt(v)? } Ok(()) }) }
                        { field(tr(l, "headers (k=v, …)"), p.headers.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "), |s, v| {
                            if let Spec::Producer(p) = s { p.headers = pairs(v)? } Ok(()) }) }
                        { field(tr(l, "user (empty: guest)"), p.user.clone(), |s, v| { if let Spec::Producer(p) = s { p.user = v.trim().into() } Ok(()) }) }
                        { field(tr(l, "password"), p.password.clone(), |s, v| { if let Spec::Producer(p) = s { p.password = v.into() } Ok(()) }) }
                    </>},
                    Spec::Exchange(x) => {
                        let tester = self.tester_view(ctx, &n.name);
                        html! {<>
                            { choice(tr(l, "type"), "exchange type", &["direct", "fanout", "topic", "headers"], &x.kind, |s, v| {
                                if let Spec::Exchange(x) = s { x.kind = v } }) }
                            { check(tr(l, "durable"), x.durable, |s, v| { if let Spec::Exchange(x) = s { x.durable = v } }) }
                            { field(tr(l, "alternate exchange"), x.alternate_exchange.clone().unwrap_or_default(), |s, v| {
                                if let Spec::Exchange(x) = s { x.alternate_exchange = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                            { tester }
                        </>}
                    }
                    Spec::Queue(q) => html! {<>
                        // classic is the broker's default (no argument); choosing quorum makes the
                        // queue durable, not exclusive, not auto-delete, as a quorum queue must be
                        // (RabbitMQ's management UI does the same)
                        { choice(tr(l, "x-queue-type"), "queue type", &["classic", "quorum"],
                            if q.queue_type.is_empty() { "classic" } else { &q.queue_type }, |s, v| {
                            if let Spec::Queue(q) = s {
                                if v == "quorum" {
                                    (q.durable, q.exclusive, q.auto_delete) = (true, false, false);
                                }
                                q.queue_type = if v == "classic" { String::new() } else { v };
                            } }) }
                        { check(tr(l, "durable"), q.durable, |s, v| { if let Spec::Queue(q) = s { q.durable = v } }) }
                        { check(tr(l, "exclusive"), q.exclusive, |s, v| { if let Spec::Queue(q) = s { q.exclusive = v } }) }
                        { check(tr(l, "auto-delete"), q.auto_delete, |s, v| { if let Spec::Queue(q) = s { q.auto_delete = v } }) }
                        { field(tr(l, "x-message-ttl ms"), q.message_ttl.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.message_ttl = opt(v)? } Ok(()) }) }
                        { field(tr(l, "x-max-length"), q.max_length.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.max_length = opt(v)? } Ok(()) }) }
                        { field(tr(l, "x-overflow"), q.overflow.clone(), |s, v| { if let Spec::Queue(q) = s { q.overflow = v.into() } Ok(()) }) }
                        { field(tr(l, "x-dead-letter-exchange"), q.dead_letter_exchange.clone().unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.dead_letter_exchange = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                        { field(tr(l, "x-dead-letter-routing-key"), q.dead_letter_routing_key.clone().unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.dead_letter_routing_key = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                        { field(tr(l, "x-max-priority"), q.max_priority.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.max_priority = opt(v)? } Ok(()) }) }
                        { field(tr(l, "x-delivery-limit"), q.delivery_limit.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.delivery_limit = opt(v)? } Ok(()) }) }
                    </>},
                    Spec::Consumer(c) => html! {<>
                        if self.live.stopped_at(id, self.t as u64) {
                            <p class="hint">{ tr(l, "Stopped: its connection is closed and its unacked messages went back to the queue.") }</p>
                            <button class="start" onclick={link.callback(move |_| Msg::Input(Input::Start(id)))}
                                aria-label={format!("start {}", n.name)}>{ tr(l, "Start (run its script again)") }</button>
                        } else {
                            <button class="stop" onclick={link.callback(move |_| Msg::Input(Input::Stop(id)))}
                                aria-label={format!("stop {}", n.name)}>{ tr(l, "Stop (its client dies)") }</button>
                        }
                        { field(tr(l, "prefetch"), c.prefetch.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.prefetch = num(v)? } Ok(()) }) }
                        { check(tr(l, "auto-ack"), c.auto_ack, |s, v| { if let Spec::Consumer(c) = s { c.auto_ack = v } }) }
                        { field(tr(l, "processing ms"), c.processing_ms.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.processing_ms = num(v)? } Ok(()) }) }
                        { field(tr(l, "failure %"), c.failure_pct.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.failure_pct = num(v)? } Ok(()) }) }
                        { check(tr(l, "on failure: reject (else nack)"), c.on_failure == OnFailure::Reject, |s, v| { if let Spec::Consumer(c) = s { c.on_failure = if v { OnFailure::Reject } else { OnFailure::Nack } } }) }
                        { check(tr(l, "requeue on failure"), c.requeue, |s, v| { if let Spec::Consumer(c) = s { c.requeue = v } }) }
                        { check(tr(l, "RPC server: reply to reply_to"), c.reply, |s, v| { if let Spec::Consumer(c) = s { c.reply = v } }) }
                        { field(tr(l, "user (empty: guest)"), c.user.clone(), |s, v| { if let Spec::Consumer(c) = s { c.user = v.trim().into() } Ok(()) }) }
                        { field(tr(l, "password"), c.password.clone(), |s, v| { if let Spec::Consumer(c) = s { c.password = v.into() } Ok(()) }) }
                    </>},
                };
                html! {
                    <section class="inspector" aria-label="inspector">
                        <h2>{ format!("{} {}", tr(self.lang, n.kind().name()), n.name) }</h2>
                        <Field label={tr(self.lang, "name")} value={AttrValue::from(n.name.clone())} send={self.send.clone()} lang={self.lang} target={Target::Rename(id)} />
                        { self.link_to(ctx, n) }
                        { fields }
                    </section>
                }
            }
            Sel::Link(i) => {
                let Some(l) = d.links.get(i) else {
                    return html! {};
                };
                let (a, b) = (d.node(l.from), d.node(l.to));
                let is_binding = a.is_some_and(|a| a.kind() == Kind::Exchange);
                html! {
                    <section class="inspector" aria-label="inspector">
                        <h2>{ format!("link {} → {}", a.map(|n| n.name.as_str()).unwrap_or("?"), b.map(|n| n.name.as_str()).unwrap_or("?")) }</h2>
                        if is_binding {
                            <Field label={tr(self.lang, "binding key")} value={AttrValue::from(l.key.clone())} send={self.send.clone()} lang={self.lang}
                                target={Target::LinkKey { index: i, arguments: l.arguments.clone() }} />
                            <Field label={tr(self.lang, "headers arguments (x-match=all, k=v, …)")} send={self.send.clone()} lang={self.lang}
                                value={AttrValue::from(l.arguments.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))}
                                target={Target::LinkArgs { index: i, key: l.key.clone() }} />
                        } else {
                            <p>{ tr(self.lang, "This link has no settings: a producer's routing key is set on the producer.") }</p>
                        }
                    </section>
                }
            }
            Sel::Msg(m) => self.message_view(m),
            Sel::None if self.touring() => html! {},
            Sel::None => self.start_view(ctx),
        }
    }

    /// Link this node to another, from the keyboard (the same as dragging from its handle).
    pub(super) fn link_to(&self, ctx: &Context<Self>, n: &Node) -> Html {
        let d = &self.hist.design;
        let ok = |to: &Node| match (n.kind(), to.kind()) {
            (Kind::Producer, Kind::Exchange | Kind::Queue) | (Kind::Queue, Kind::Consumer) => true,
            (Kind::Exchange, Kind::Queue | Kind::Exchange) => to.id != n.id,
            (Kind::Consumer, Kind::Queue) => true,
            _ => false,
        };
        let targets: Vec<&Node> = d.nodes.iter().filter(|t| ok(t)).collect();
        if targets.is_empty() {
            return html! {};
        }
        let from = n.id;
        let onchange = ctx.link().batch_callback(move |e: Event| {
            let v = input_value(&e);
            v.parse::<Id>().ok().map(|to| Msg::Do(Action::Link { from, to }))
        });
        html! {
            <label>{ tr(self.lang, "link to") }
                <select aria-label="link to" {onchange}>
                    <option value="" selected=true>{ tr(self.lang, "choose a node…") }</option>
                    { for targets.iter().map(|t| html! { <option value={t.id.to_string()}>{ format!("{} {}", t.kind().name(), t.name) }</option> }) }
                </select>
            </label>
        }
    }

    /// A topic tester: type a routing key (and headers), see which bindings of the exchange match.
    pub(super) fn tester_view(&self, ctx: &Context<Self>, exchange: &str) -> Html {
        let Some(x) = self.live.broker().exchange(exchange) else {
            return html! { <p>{ tr(self.lang, "This exchange is not on the broker (see the log for why).") }</p> };
        };
        let key: warren_engine::Name = self.tester.as_str().into();
        let rows = x.bindings.iter().map(|b| {
            let (hit, why) = warren_model::explain::binding_of(self.lang, x, b, std::slice::from_ref(&key), None);
            let to = self.live.canvas_queue(b.dest.name());
            html! { <li class={if hit { "match" } else { "miss" }}>{ format!("{} {} → {to}", if hit { "✔" } else { "✘" }, b.key) }
                <br /><small>{ why }</small></li> }
        });
        html! {
            <div class="tester">
                <label>{ tr(self.lang, "test a routing key") }<input aria-label="test routing key" value={self.tester.clone()}
                    oninput={ctx.link().callback(|e: InputEvent| Msg::Tester(e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()))} /></label>
                <ul aria-label="bindings that match">{ for rows }</ul>
            </div>
        }
    }

    /// A message: its properties, its path, and why each binding of its exchange matched or not.
    pub(super) fn message_view(&self, m: MsgId) -> Html {
        let tl = &self.live.timeline;
        let path: Vec<String> = tl
            .events
            .iter()
            .filter(|e| e.at as f64 <= self.t && messages_of(&e.kind).contains(&m))
            .filter_map(|e| describe_in(self.lang, &e.kind, &tl.names).map(|d| d.1))
            .collect();
        let published = tl.events.iter().find_map(|e| match &e.kind {
            warren_engine::EventKind::Published { msg, message, .. } if *msg == m => Some(message.clone()),
            warren_engine::EventKind::DeadLettered { new_msg, message, .. } if *new_msg == m => Some(message.clone()),
            _ => None,
        });
        let why = published.as_ref().and_then(|msg| {
            if msg.exchange.is_empty() {
                return Some(html! { <p>{ format!("The default exchange binds every queue by its name: key '{}' goes to the queue of that name, if there is one.", msg.routing_key()) }</p> });
            }
            let x = self.live.broker().exchange(&msg.exchange)?;
            let rows: Vec<Html> = x
                .bindings
                .iter()
                .map(|b| {
                    let (hit, why) = warren_model::explain::binding_of(
                        self.lang,
                        x,
                        b,
                        &msg.routing_keys,
                        msg.properties.headers.as_ref(),
                    );
                    let to = self.live.canvas_queue(b.dest.name());
                    html! { <li class={if hit { "match" } else { "miss" }}>{ format!("{} → {to}: {why}", if hit { tr(self.lang, "✔ matched") } else { tr(self.lang, "✘ no match") }) }</li> }
                })
                .collect();
            Some(html! { <><h3>{ format!("{} '{}' ({})", tr(self.lang, "bindings of"), msg.exchange, x.kind.name()) }</h3><ul>{ for rows }</ul></> })
        });
        html! {
            <section class="inspector" aria-label="inspector">
                <h2>{ format!("{} #{}", tr(self.lang, "message"), m.0) }</h2>
                if let Some(msg) = &published {
                    <p>{ format!("{} '{}', {} \"{}\"", tr(self.lang, "routing key"), msg.routing_key(), tr(self.lang, "body"), msg.body_text()) }</p>
                    if *msg.properties != warren_engine::Properties::default() {
                        <pre class="props">{ msg.properties.to_trace_json().to_string() }</pre>
                    }
                }
                { for why }
                if self.related.len() > 1 {
                    <p class="pair">{ format!("{} {}", tr(self.lang, "Goes with:"), self.related[1..].iter().map(|m| format!("#{}", m.0)).collect::<Vec<_>>().join(", ")) }
                        { if published.as_ref().is_some_and(|p| p.properties.correlation_id.is_some()) { tr(self.lang, " (same correlation id: the RPC request and its reply; highlighted on the canvas and in the log)") } else { tr(self.lang, " (highlighted)") } }</p>
                }
                <h3>{ tr(self.lang, "path") }</h3>
                <ol>{ for path.into_iter().map(|p| html! { <li>{ p }</li> }) }</ol>
            </section>
        }
    }
}

/// What a form field changes when the user commits it (Enter, or leaving the field).
#[derive(Clone)]
pub enum Target {
    Spec {
        id: Id,
        spec: Spec,
        set: fn(&mut Spec, &str) -> Result<(), String>,
    },
    Check {
        id: Id,
        spec: Spec,
        set: fn(&mut Spec, bool),
    },
    Rename(Id),
    Title,
    LinkKey {
        index: usize,
        arguments: VecMap<String, String>,
    },
    LinkArgs {
        index: usize,
        key: String,
    },
    /// A field of the design's user `index`.
    User {
        index: usize,
        users: Vec<warren_model::design::UserSpec>,
        set: fn(&mut warren_model::design::UserSpec, &str),
    },
}

/// Equal when they change the same thing from the same state; the setter is not compared (a
/// field's label names it).
impl PartialEq for Target {
    fn eq(&self, o: &Target) -> bool {
        match (self, o) {
            (Target::Spec { id: a, spec: s, .. }, Target::Spec { id: b, spec: t, .. })
            | (Target::Check { id: a, spec: s, .. }, Target::Check { id: b, spec: t, .. }) => a == b && s == t,
            (Target::Rename(a), Target::Rename(b)) => a == b,
            (Target::Title, Target::Title) => true,
            (Target::LinkKey { index: a, arguments: x }, Target::LinkKey { index: b, arguments: y }) => {
                a == b && x == y
            }
            (Target::LinkArgs { index: a, key: x }, Target::LinkArgs { index: b, key: y }) => a == b && x == y,
            (Target::User { index: a, users: x, .. }, Target::User { index: b, users: y, .. }) => a == b && x == y,
            _ => false,
        }
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct FieldProps {
    pub label: &'static str,
    #[prop_or_default]
    pub value: AttrValue,
    /// A checkbox, and whether it is checked.
    #[prop_or_default]
    pub checkbox: Option<bool>,
    /// No visible label (the label is for screen readers).
    #[prop_or_default]
    pub bare: bool,
    pub target: Target,
    pub send: Callback<Msg>,
    /// The language its messages are in.
    #[prop_or(Lang::En)]
    pub lang: Lang,
}

/// A form field. Its own component so that the frequent redraws while playing (equal props) do
/// not reset what the user is typing.
#[function_component(Field)]
pub(super) fn field(p: &FieldProps) -> Html {
    let (target, send) = (p.target.clone(), p.send.clone());
    // what was typed and refused: marked in the field itself, with why, and what the node uses
    let refused = use_state(|| None::<String>);
    {
        // a new value from outside (undo, another node) clears it
        let refused = refused.clone();
        use_effect_with(p.value.clone(), move |_| refused.set(None));
    }
    let set_refused = refused.setter();
    let onchange = Callback::from(move |e: Event| {
        let text = input_value(&e);
        let refuse = |err: String| {
            set_refused.set(Some(err));
            None
        };
        set_refused.set(None);
        let msg = match &target {
            Target::Spec { id, spec, set } => {
                let mut s = spec.clone();
                match set(&mut s, &text) {
                    Ok(()) => Some(Msg::Do(Action::SetSpec { id: *id, spec: s })),
                    Err(err) => refuse(err),
                }
            }
            Target::Check { id, spec, set } => {
                let mut s = spec.clone();
                set(&mut s, input_checked(&e));
                Some(Msg::Do(Action::SetSpec { id: *id, spec: s }))
            }
            Target::Rename(id) => Some(Msg::Do(Action::Rename { id: *id, name: text })),
            Target::Title => Some(Msg::Do(Action::SetName(text))),
            Target::LinkKey { index, arguments } => Some(Msg::Do(Action::EditLink {
                index: *index,
                key: text,
                arguments: arguments.clone(),
            })),
            Target::LinkArgs { index, key } => match pairs(&text) {
                Ok(arguments) => Some(Msg::Do(Action::EditLink {
                    index: *index,
                    key: key.clone(),
                    arguments,
                })),
                Err(err) => refuse(err),
            },
            Target::User { index, users, set } => {
                let mut users = users.clone();
                set(&mut users[*index], &text);
                Some(Msg::Do(Action::SetUsers(users)))
            }
        };
        if let Some(msg) = msg {
            send.emit(msg);
        }
    });
    let label = p.label;
    let why = (*refused).as_ref().map(|err| {
        let l = p.lang;
        let uses = if p.value.is_empty() {
            tr(l, "(empty)")
        } else {
            p.value.as_str()
        };
        format!(
            "{} · {} {}",
            warren_model::i18n::message(l, err),
            tr(l, "in use:"),
            uses
        )
    });
    match p.checkbox {
        Some(checked) => html! {
            <label class="check"><input type="checkbox" aria-label={label} checked={checked} {onchange} />{ label }</label>
        },
        None if p.bare => html! { <input class="title" aria-label={label} value={p.value.clone()} {onchange} /> },
        None => html! {
            <label class={classes!(why.is_some().then_some("invalid"))}>{ label }
                <input aria-label={label} aria-invalid={why.is_some().then_some("true")} value={p.value.clone()} {onchange} />
                if let Some(why) = why { <span class="why" role="alert">{ why }</span> }
            </label>
        },
    }
}
