//! The share panel: the link to the design and its run, and the snippet that embeds it in a
//! page, each with a Copy button that says whether it was copied.

use super::*;

/// What the share panel copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snippet {
    Link,
    Embed,
}

/// Put `text` on the clipboard; `done` makes the message that says whether the browser let the
/// page do it.
pub(super) fn copy_text(ctx: &Context<App>, text: String, done: impl FnOnce(bool) -> Msg + 'static) {
    let link = ctx.link().clone();
    let Some(w) = web_sys::window() else {
        link.send_message(done(false));
        return;
    };
    let promise = w.navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        link.send_message(done(ok));
    });
}

/// What became of a copy, in the user's words (nothing before one was made).
pub(super) fn copied_text(l: Lang, state: Option<bool>) -> &'static str {
    match state {
        Some(true) => tr(l, "Copied ✓"),
        Some(false) => tr(l, "Not copied: select the text and copy it"),
        None => "",
    }
}

impl App {
    pub(super) fn share_view(&self, ctx: &Context<Self>, url: &str, name: &str) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        // a Copy button, and what became of the last copy of this field
        let button = |what: Snippet, aria: &'static str| {
            let state = self.copied.filter(|c| c.0 == what).map(|c| c.1);
            html! {<>
                <button class="copy" onclick={link.callback(move |_| Msg::Copy(what))} aria-label={tr(l, aria)}>{ tr(l, "Copy") }</button>
                <span class="copied" role="status">{ copied_text(l, state) }</span>
            </>}
        };
        html! {
            <div class="notice share">
                <label>{ tr(l, "Link to this design and its run ") }
                    <input readonly=true aria-label="share link" value={url.to_string()} /></label>
                { button(Snippet::Link, "copy the link") }
                <label>{ tr(l, "Embed it in a page ") }
                    <input readonly=true aria-label="embed snippet" value={embed_snippet(url, name)} /></label>
                { button(Snippet::Embed, "copy the embed snippet") }
                <button onclick={link.callback(|_| Msg::Dismiss)} aria-label="close the link">{ "×" }</button>
            </div>
        }
    }
}
