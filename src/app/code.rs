//! The Python panel: the pika scripts of the design (made by the tools worker).

use super::*;

impl App {
    /// Ask for the design's pika code if its panel is open and the code is not this design's. One
    /// request at a time: while a node is dragged the design changes every frame, and the code
    /// of the design as it is when the answer comes is asked for then.
    pub(super) fn ask_code(&mut self, ctx: &Context<Self>) {
        let asked = self.tool_jobs.values().any(|j| matches!(j, ToolJob::Code(_)));
        if self.code && !asked && self.code_files.as_ref().is_none_or(|c| c.0 != self.design_gen) {
            let generation = self.design_gen;
            self.ask_tools(ctx, ToolJob::Code(generation), design_json(&self.hist.design));
        }
    }

    /// The design as Python (pika) scripts, one per actor, each to read or download.
    pub(super) fn code_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        // the code of an older design is not shown: the new one is on its way
        let files = self
            .code_files
            .as_ref()
            .filter(|c| c.0 == self.design_gen)
            .map(|c| c.1.clone());
        html! {
            <section class="code" aria-label="pika code">
                <p>{ tr(l, "Python (pika) for this design, in the style of the RabbitMQ tutorials: run setup.py, then the consumers and producers, against your own RabbitMQ (AMQP_HOST, default localhost). expected.txt is what rabbitmqctl list_queues name messages should print after setup and each producer once.") }
                    <button class="close" onclick={link.callback(|_| Msg::Code(false))} aria-label="close the code">{ "×" }</button></p>
                if files.is_none() {
                    <p class="loading" role="status">{ tr(l, "Writing the code…") }</p>
                }
                { for files.into_iter().flatten().map(|(name, text)| {
                    let (n, c) = (name.clone(), name.clone());
                    let copied = self.code_copied.as_ref().filter(|x| x.0 == name).map(|x| x.1);
                    // (its buttons beside its summary line, not in it: a summary holds no controls)
                    html! {
                        <div class="file">
                            <details>
                                <summary>{ name.clone() }</summary>
                                <pre class="python">{ highlighted(&text, name.ends_with(".py")) }</pre>
                            </details>
                            <span class="actions">
                                <button onclick={link.callback(move |_| Msg::CopyCode(c.clone()))} aria-label={format!("{} {name}", tr(l, "Copy"))}>{ tr(l, "Copy") }</button>
                                <button onclick={link.callback(move |_| Msg::DownloadCode(n.clone()))} aria-label={format!("{} {name}", tr(l, "Download"))}>{ tr(l, "Download") }</button>
                                <span class="copied" role="status">{ share::copied_text(l, copied) }</span>
                            </span>
                        </div>
                    }
                }) }
            </section>
        }
    }
}

/// Python source with its keywords, strings, comments, numbers and calls in their colours
/// (other files as they are).
fn highlighted(text: &str, python: bool) -> Html {
    use warren_model::highlight::{python as pieces, Piece};
    if !python {
        return html! { { text.to_string() } };
    }
    html! {<>{ for pieces(text).into_iter().map(|(p, s)| match p {
        Piece::Plain => html! { { s.to_string() } },
        p => html! { <span class={p.class()}>{ s.to_string() }</span> },
    }) }</>}
}
