//! Which RabbitMQ the design runs as (the picker), and the comparison of 3.10 and 4.3 on the run
//! so far ([`warren_model::compare`]).

use super::*;
use warren_engine::Version;

impl App {
    /// The version picker, and the button that compares the versions.
    pub(super) fn version_picker(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        let current = self.hist.design.rabbitmq;
        let open = self.compare.is_some();
        html! {
            <span class="versions">
                <select aria-label={tr(l, "RabbitMQ version")} title={tr(l, "The RabbitMQ the design runs as: its rules, texts and rabbitmqctl")}
                    onchange={link.batch_callback(|e: Event| Version::parse(&input_value(&e)).ok().map(|v| Msg::Do(Action::SetVersion(v))))}>
                    { for Version::ALL.into_iter().map(|v| html! {
                        <option value={v.as_str()} selected={v == current}>{ format!("RabbitMQ {v}") }</option>
                    }) }
                </select>
                <button onclick={link.callback(move |_| Msg::Compare(!open))} aria-pressed={open.to_string()}
                    title={tr(l, "The run so far as RabbitMQ 3.10 and as 4.3: what differs, and why")}>
                    { format!("{} 3.10 ⇄ 4.3", tr(l, "Compare")) }</button>
            </span>
        }
    }

    /// The steps of the run so far that differ between the versions, each with why.
    pub(super) fn compare_view(
        &self,
        ctx: &Context<Self>,
        c: &Result<warren_model::compare::Comparison, String>,
    ) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        let close = html! { <button class="close" onclick={link.callback(|_| Msg::Compare(false))} aria-label="close the comparison">{ "×" }</button> };
        let c = match c {
            Ok(c) => c,
            Err(e) => {
                return html! { <section class="compare" aria-label="comparison"><p class="error">{ warren_model::i18n::message(l, e) }{ close }</p></section> };
            }
        };
        let summary = if c.rows.is_empty() {
            format!(
                "{} {}",
                tr(l, "The run so far gives the same on RabbitMQ 3.10 and 4.3. Steps run:"),
                c.steps
            )
        } else {
            format!("{} {} / {}", tr(l, "The run so far, step by step, as RabbitMQ 3.10 and as 4.3: the steps that differ, and why. Steps that differ:"), c.rows.len(), c.steps)
        };
        html! {
            <section class="compare" aria-label="comparison">
                <p>{ summary }{ close }</p>
                <ol>
                    { for c.rows.iter().map(|r| html! {
                        <li>
                            <h3>{ format!("{} {} · {}", tr(l, "step"), r.step, r.what) }</h3>
                            { for r.sides.iter().map(|(v, lines)| html! {
                                <div class="side">
                                    <b>{ v.as_str() }</b>
                                    if lines.is_empty() {
                                        <code>{ tr(l, "(nothing)") }</code>
                                    }
                                    { for lines.iter().map(|line| html! { <code>{ line.clone() }</code> }) }
                                </div>
                            }) }
                            { for r.reasons.iter().map(|why| html! {
                                <p class="why">
                                    <b>{ tr(l, "Why:") }</b>{ " " }
                                    if let Some(s) = r.follows {
                                        { format!("({} {s}) ", tr(l, "from step")) }
                                    }
                                    { why.clone() }
                                </p>
                            }) }
                        </li>
                    }) }
                </ol>
            </section>
        }
    }
}
