//! The rabbitmqctl console: what was typed, what it printed.

use super::*;

impl App {
    /// rabbitmqctl against the simulated broker: what was typed, what it printed, a prompt.
    pub(super) fn console_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        html! {
            <details class="console" open={!self.console.entries.is_empty()}>
                <summary>{ icon(Icon::Console) }{ tr(l, "rabbitmqctl console") }</summary>
                <div class="screen" ref={self.console_out.clone()} role="log" aria-label="console output">
                    { for self.console.entries.iter().map(|e| html! {<>
                        <div class="cmd">{ format!("$ rabbitmqctl {}", e.command.trim_start_matches("rabbitmqctl ")) }</div>
                        <pre class={classes!(e.error.then_some("error"))}>{ e.output.clone() }</pre>
                    </>}) }
                </div>
                <label class="prompt">{ "$ rabbitmqctl " }
                    <input ref={self.console_input.clone()} aria-label="console command" spellcheck="false" autocomplete="off"
                        placeholder="list_queues name messages_ready messages_unacknowledged"
                        onkeydown={link.callback(Msg::ConsoleKey)} /></label>
            </details>
        }
    }
}
