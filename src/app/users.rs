//! The users panel: who logs in, with which permissions.

use super::*;

impl App {
    /// The design's users and their permissions on vhost `/`: the setup creates them before the
    /// producers and consumers connect (a producer or consumer names its user in the inspector).
    pub(super) fn users_view(&self, ctx: &Context<Self>) -> Html {
        use warren_model::design::UserSpec;
        let (link, l) = (ctx.link(), self.lang);
        let users = self.hist.design.users.clone();
        let add = {
            let mut more = users.clone();
            let mut n = more.len() + 1;
            while more.iter().any(|u| u.name == format!("user{n}")) {
                n += 1;
            }
            more.push(UserSpec {
                name: format!("user{n}"),
                ..UserSpec::default()
            });
            link.callback(move |_| Msg::Do(Action::SetUsers(more.clone())))
        };
        let field = |index: usize, label: &'static str, value: &str, set: fn(&mut UserSpec, &str)| {
            html! { <Field label={label} value={AttrValue::from(value.to_string())} send={self.send.clone()} lang={self.lang}
            target={Target::User { index, users: users.clone(), set }} /> }
        };
        html! {
            <details class="users" open={!users.is_empty()}>
                <summary>{ icon(Icon::Users) }{ tr(l, "Users and permissions") }</summary>
                <p class="hint">{ tr(l, "Created before the producers and consumers connect, with their permissions on vhost / (regular expressions: configure, write, read). guest / guest has .* on everything.") }</p>
                { for users.iter().enumerate().map(|(i, u)| {
                    let mut fewer = users.clone();
                    fewer.remove(i);
                    html! {
                        <fieldset aria-label={format!("user {}", u.name)}>
                            { field(i, tr(l, "user"), &u.name, |u, v| u.name = v.trim().into()) }
                            { field(i, tr(l, "password"), &u.password, |u, v| u.password = v.into()) }
                            { field(i, tr(l, "configure"), &u.configure, |u, v| u.configure = v.into()) }
                            { field(i, tr(l, "write"), &u.write, |u, v| u.write = v.into()) }
                            { field(i, tr(l, "read"), &u.read, |u, v| u.read = v.into()) }
                            <button onclick={link.callback(move |_| Msg::Do(Action::SetUsers(fewer.clone())))}
                                aria-label={format!("remove user {}", u.name)}>{ tr(l, "Remove") }</button>
                        </fieldset>
                    }
                }) }
                <button onclick={add} aria-label="add a user">{ tr(l, "+ User") }</button>
            </details>
        }
    }
}
