//! The event log: the newest lines shown so far, filtered, the related ones highlighted.

use super::*;

impl App {
    /// The newest log lines (at most LOG_LINES, or LOG_LINES_PLAYING while playing, matching the filter): only those are formatted,
    /// however long the run.
    pub(super) fn log_lines(&self) -> Vec<LogLine> {
        let tl = &self.live.timeline;
        // ASCII case only: Unicode's case tables are 12 KB of the page, and names are ASCII
        let filter = self.filter.to_ascii_lowercase();
        let highlight = &self.related;
        tl.shown_latest_first()
            .filter_map(|e| {
                let (cat, text) = describe_in(self.lang, &e.kind, &tl.names)?;
                if !(filter.is_empty() || text.to_ascii_lowercase().contains(&filter) || cat.contains(&filter)) {
                    return None;
                }
                let ms = messages_of(&e.kind);
                let on = ms.iter().any(|m| highlight.contains(m));
                Some(LogLine {
                    at: e.at as f64,
                    cat,
                    text,
                    msg: ms.first().copied(),
                    on,
                })
            })
            .take(if self.playing { LOG_LINES_PLAYING } else { LOG_LINES })
            .collect()
    }

    pub(super) fn log_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let problems = self.live.problems.clone();
        let lines = self.log.clone();
        html! {
            <section class="log" aria-label="event log">
                <h2>{ tr(self.lang, "Event log") }</h2>
                <input aria-label="filter the log" placeholder={tr(self.lang, "filter: deliver, ack, a queue…")} value={self.filter.clone()}
                    oninput={link.callback(|e: InputEvent| Msg::Filter(e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()))} />
                if !problems.is_empty() {
                    <ul class="problems" aria-label="broker errors">{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                }
                <p class="count">{ warren_model::i18n::message(self.lang, &format!("{} events so far; the newest {} shown", self.live.timeline.shown(), lines.0.len())) }</p>
                <LogList lines={lines} onselect={self.select_msg.clone()} />
            </section>
        }
    }
}

/// How many lines of the event log are drawn (newest first) when paused.
pub(super) const LOG_LINES: usize = 150;

/// While playing: the newest lines only (a fast run rewrites them several times a second, and
/// every line rewritten is text laid out anew; pausing shows [`LOG_LINES`]).
pub(super) const LOG_LINES_PLAYING: usize = 40;

/// A line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    at: f64,
    cat: &'static str,
    text: String,
    msg: Option<MsgId>,
    on: bool,
}

/// Log lines shared with the list component; equal only if the same list (cheap to compare).
#[derive(Clone, Debug, Default)]
pub struct Lines(pub(super) Rc<Vec<LogLine>>);

impl PartialEq for Lines {
    fn eq(&self, o: &Lines) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct LogProps {
    lines: Lines,
    onselect: Callback<Option<MsgId>>,
}

#[function_component(LogList)]
pub(super) fn log_list(p: &LogProps) -> Html {
    html! {
        <ol role="log" aria-label="events, newest first">
            { for p.lines.0.iter().map(|l| {
                let (cb, m) = (p.onselect.clone(), l.msg);
                html! { <li class={classes!(l.cat, l.on.then_some("on"))} tabindex="0" role="button" onclick={move |_| cb.emit(m)}>
                    <span class="at">{ format!("{}s", fixed(l.at / 1000.0, 2)) }</span>{ " " }{ l.text.clone() }</li> }
            }) }
        </ol>
    }
}
