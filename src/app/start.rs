//! What the side panel shows when nothing is selected: what to do, in one line, with the obvious
//! actions: publish from a producer on the canvas, or take a tutorial (each one click away);
//! how to build a design of one's own, folded.

use super::*;

impl App {
    pub(super) fn start_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        // the scripts in the terminals are the clients while their run is on the canvas
        let scripts = self.terms.on_canvas;
        let producers: Vec<&Node> = self
            .hist
            .design
            .nodes
            .iter()
            .filter(|n| n.kind() == Kind::Producer && !scripts)
            .take(3)
            .collect();
        html! {
            <section class="inspector start" aria-label="inspector">
                <p class="lead">{ if scripts {
                    tr(l, "The canvas shows your scripts' run: t1, t2… are the terminals. Step back to see it again; Undo brings back your design.")
                } else if producers.is_empty() {
                    tr(l, "Build a design with the palette, or learn step by step with a tutorial.")
                } else {
                    tr(l, "Publish a message and watch it flow, or learn step by step with a tutorial.")
                } }</p>
                { for producers.iter().map(|n| {
                    let id = n.id;
                    html! { <button class="publish" onclick={link.callback(move |_| Msg::Input(Input::Publish(id)))}
                        aria-label={format!("{} {}", tr(l, "Publish"), n.name)}>{ format!("▶ {} {}", tr(l, "Publish"), n.name) }</button> }
                }) }
                <h2>{ tr(l, "Tutorials") }</h2>
                <ol class="tutorials">
                    { for INDEX.iter().enumerate().map(|(i, t)| html! {
                        <li><button onclick={link.callback(move |_| Msg::Tutorial(i))}>{ t.title.get(l) }</button></li>
                    }) }
                </ol>
                <details class="how">
                    <summary>{ tr(l, "How to build your own") }</summary>
                    <p>{ tr(l, "Add nodes from the palette, drag them to move, drag from a node's round handle onto another node to link it (producer → exchange or queue, exchange → queue or exchange, queue → consumer). Select a producer and press Publish. Click an event in the log to follow its message.") }</p>
                </details>
            </section>
        }
    }
}
