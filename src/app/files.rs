//! Designs in and out: files, share links, embeds, the browser's storage, and runs replayed from them.

use super::*;

impl App {
    /// A file opened as a design: it replaces the canvas (one Undo away).
    pub(super) fn opened(&mut self, ctx: &Context<Self>, d: Design, left_out: Vec<String>) {
        let old = self.made_for_old(&d);
        ctx.link().send_message(Msg::Do(Action::Replace(d)));
        ctx.link().send_message(Msg::Fit);
        let imported = (!left_out.is_empty()).then(|| {
            format!(
                "{} {}.",
                tr(self.lang, "Imported the definitions' topology; left out:"),
                left_out.join("; ")
            )
        });
        self.notice = sentences([imported, old]);
    }

    /// What to say of a design that runs as RabbitMQ 3.10 (one made before Warren had versions
    /// says nothing, and runs as what it was made for).
    fn made_for_old(&self, d: &Design) -> Option<String> {
        (d.rabbitmq == warren_engine::Version::V3_10).then(|| {
            tr(
                self.lang,
                "Made for RabbitMQ 3.10, so it runs as 3.10. Choose RabbitMQ 4.3 above to see what today's RabbitMQ does, or Compare 3.10 ⇄ 4.3.",
            )
            .to_string()
        })
    }

    /// The design as a scenario file, with the run so far when the user did something: its
    /// steps are then what the run did (what `warren trace` replays), and `"run"` what the user
    /// did, for the page to replay ([`warren_model::runfile`]).
    pub(super) fn scenario_with_run(&self) -> serde_json::Value {
        let mut sc = self.hist.design.to_scenario();
        if let Some(run) = warren_model::runfile::write(&self.live, &self.hist.design) {
            sc["steps"] = serde_json::Value::Array(self.live.steps());
            sc["run"] = run;
        }
        sc
    }

    /// Replay a run from its start (a file's or a link's): its actions happen at their instants
    /// as the page plays.
    pub(super) fn replay(&mut self, run: warren_model::runfile::Run) {
        self.live = run.live();
        self.replayed = Some((self.hist.design.clone(), run));
        self.live_gen += 1;
        self.t = 0.0;
        self.playing = true;
    }

    /// A scenario without a canvas was imported as `d`: its publishes, at their instants, are
    /// its run.
    pub(super) fn replay_steps(&mut self, ctx: &Context<Self>, d: &Design) {
        if let Some(v) = self.import_steps.take() {
            let run = warren_model::runfile::of_steps(d, &v);
            if !run.actions.is_empty() {
                ctx.link().send_message(Msg::Replay(Box::new(run)));
            }
        }
    }

    /// A share link's design: it replaces the canvas (one Undo away).
    pub(super) fn opened_link(&mut self, ctx: &Context<Self>, d: Design) {
        let old = self.made_for_old(&d);
        ctx.link().send_message(Msg::Do(Action::Replace(d)));
        ctx.link().send_message(Msg::Fit);
        if self.embed.is_none() {
            self.notice = sentences([Some(opened_link(self.lang).to_string()), old]);
        }
    }

    pub(super) fn load_failed(&mut self, e: &str) {
        self.error = Some(format!(
            "{} {e}",
            tr(self.lang, "That file could not be loaded; your canvas is unchanged.")
        ))
    }

    /// Keep the design in local storage (not in an embed).
    pub(super) fn saved(&mut self) {
        self.live.timeline.show_default = self.hist.design.show_default;
        // the scripts' broker on the canvas is theirs, not the learner's design
        if self.embed.is_some() || self.terms.on_canvas {
            return;
        }
        let text = self.hist.design.to_scenario().to_string();
        if LocalStorage::raw().set_item(STORAGE_KEY, &text).is_err() {
            self.notice = Some(
                tr(
                    self.lang,
                    "Could not autosave: local storage is full or disabled. Use Save to keep your work.",
                )
                .into(),
            );
        }
    }
}

/// The notices that apply, one after the other (none: no notice).
fn sentences(parts: [Option<String>; 2]) -> Option<String> {
    parts.into_iter().flatten().reduce(|a, b| format!("{a} {b}"))
}

/// Offer `text` as a file download called `name`.
pub(super) fn download(name: &str, text: &str) {
    let mime = if name.ends_with(".json") {
        "application/json"
    } else {
        "text/plain"
    };
    let blob = gloo::file::Blob::new_with_options(text, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    if let Some(a) = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
}

/// A file name made of a scenario's name.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    if stem.is_empty() {
        "warren".into()
    } else {
        stem
    }
}

/// The `<iframe>` that embeds a shared scenario in a page: the compact view, play and step only.
pub fn embed_snippet(share_url: &str, name: &str) -> String {
    let (page, frag) = share_url.split_once('#').unwrap_or((share_url, ""));
    let title = name.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        r#"<iframe src="{page}?embed#{frag}" width="800" height="450" title="Warren: {title}" style="border:1px solid #ccc"></iframe>"#
    )
}

/// What the page says when a share link opened over the visitor's canvas.
pub(super) fn opened_link(l: Lang) -> &'static str {
    tr(l, "Opened the shared design. Undo returns to the canvas you had.")
}

/// The canvas the page saved (a scenario file with its canvas).
pub(super) fn saved_design(text: &str) -> Result<Design, String> {
    match Design::open(text)? {
        Opened::Design(d, _) => Ok(d),
        Opened::Import(_) => Err("it has no canvas".into()),
    }
}

/// The design a share link (`#s1.…`) holds, or a message for the person who followed it.
pub(super) fn open_link(l: Lang, hash: &str) -> Result<Opened, String> {
    warren_engine::share::decode(hash)
        .and_then(Design::open_value)
        .map_err(|e| link_failed(l, &e))
}

pub(super) fn link_failed(l: Lang, e: &str) -> String {
    format!(
        "{} {e}",
        tr(l, "The link could not be opened; your canvas is unchanged.")
    )
}

/// Take the share link out of the address: it has done its work, and a reload should show the
/// canvas as it is then (from local storage).
pub(super) fn clear_hash() {
    if let Some(w) = web_sys::window() {
        let path = w.location().pathname().unwrap_or_default();
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

/// A query parameter's value (`?tutorial=topics&lang=zh`).
pub(super) fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

/// The page's language: `?lang=`, else the visitor's saved choice, else the browser's preference.
pub(super) fn start_lang(query: &str) -> Lang {
    if let Some(l) = query_value(query, "lang") {
        return Lang::from_tag(l);
    }
    if let Ok(Some(l)) = LocalStorage::raw().get_item(LANG_KEY) {
        return Lang::from_tag(&l);
    }
    let tags: Vec<String> = web_sys::window()
        .map(|w| {
            let nav = w.navigator();
            let mut v: Vec<String> = nav.languages().iter().filter_map(|l| l.as_string()).collect();
            v.extend(nav.language());
            v
        })
        .unwrap_or_default();
    Lang::prefer(tags.iter().map(String::as_str))
}

pub(super) fn set_document_lang(l: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", l.tag());
    }
}

/// The text at `url` (relative to the page), fetched.
pub(super) async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let failed = |e: wasm_bindgen::JsValue| format!("{url}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}")));
    let window = web_sys::window().ok_or_else(|| format!("{url}: no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

/// The design as the page saves it (what the tools worker reads).
pub(super) fn design_json(d: &Design) -> serde_json::Value {
    d.write()
}
