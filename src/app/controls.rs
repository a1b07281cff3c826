//! The playback bar: play and pause, speed, steps, restart.

use super::*;

impl App {
    /// Play, pause, step, speed, restarts, the clock (the full page and the embed share them).
    pub(super) fn controls(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let present = self.present;
        html! {
                <section class="controls" aria-label="playback">
                    if self.playing {
                        <button onclick={link.callback(|_| Msg::Play(false))} aria-label={tr(l, "pause")}>{ icon(Icon::Pause) }{ tr(l, "Pause") }</button>
                    } else {
                        <button onclick={link.callback(|_| Msg::Play(true))} aria-label={tr(l, "play")}>{ icon(Icon::Play) }{ tr(l, "Play") }</button>
                    }
                    <button onclick={link.callback(|_| Msg::Step(false))} aria-label={tr(l, "step back")} title="Step back (←)">{ tr(l, "← Back") }</button>
                    <button onclick={link.callback(|_| Msg::Step(true))} aria-label={tr(l, "step forward")} title="Step forward (→)">{ tr(l, "Step →") }</button>
                    <label>{ tr(l, "Speed ") }
                        // an option's value is its place in SPEEDS: parsing a float would bring
                        // core's decimal-to-float tables into the page (about 10 KB gzip'd)
                        <select aria-label="speed" onchange={link.batch_callback(|e: Event| input_value(&e).parse::<usize>().ok().and_then(|i| SPEEDS.get(i)).map(|s| Msg::Speed(*s)))}>
                            { for SPEEDS.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={*s == self.speed}>{ format!("{}x", short(*s, 2)) }</option> }) }
                        </select>
                    </label>
                    <button onclick={link.callback(|_| Msg::Rewind)} aria-label={tr(l, "restart from the same seed")}>{ tr(l, "↺ Restart") }</button>
                    <button onclick={link.callback(|_| Msg::Input(Input::Restart))} aria-label={tr(l, "Broker restart")}>{ tr(l, "⚡ Broker restart") }</button>
                    if self.embed.is_none() {
                        <button onclick={link.callback(move |_| Msg::Present(!present))} aria-pressed={present.to_string()}
                            aria-label={if present { tr(l, "Exit presentation") } else { tr(l, "Present") }} title="Large type, high contrast, the canvas alone">{ icon(Icon::Present) }{ if present { tr(l, "Exit presentation") } else { tr(l, "Present") } }</button>
                    }
                    <span class="clock" ref={self.clock.clone()} aria-label="simulated time">{ clock_text(self.t) }</span>
                    if self.embed.is_some() || present {
                        // an embedded or presented design publishes from its bar (no inspector)
                        { for self.hist.design.nodes.iter().filter(|n| n.kind() == Kind::Producer).map(|n| {
                            let id = n.id;
                            html! { <button class="publish" onclick={link.callback(move |_| Msg::Input(Input::Publish(id)))}
                                aria-label={format!("publish from {}", n.name)}>{ format!("▶ {}", n.name) }</button> }
                        }) }
                    }
                </section>
        }
    }
}
