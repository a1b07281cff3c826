//! The page: thin Yew components over the view-model. The canvas draws the design (SVG) and the
//! messages in flight (a 2D canvas over it, redrawn each frame from the timeline); every user
//! action becomes a design [`Action`] or a simulation [`Input`].
//!
//! This module holds the page's state ([`App`]) and its messages ([`Msg`]); each part of the page
//! is drawn by the file named after it: `canvas` (with `node` and `edges`, placed by
//! `geometry`), the `inspector`, the `log`, the `console`, the `overview`, the Python
//! panel (`code`), the tutorial's panel (`tour`), the playback bar (`controls`) and the
//! `users` panel. `update` turns each message into design actions and simulation inputs;
//! `files` opens and saves designs and runs; `tools` talks to the tools worker.

mod canvas;
mod code;
mod console;
mod controls;
mod edges;
mod files;
mod geometry;
mod icons;
mod inspector;
mod log;
mod node;
mod overview;
mod share;
mod start;
mod terminals;
mod tools;
mod touch;
mod versions;
pub use share::Snippet;
mod tour;
mod update;
mod users;

use canvas::*;
use edges::*;
use files::*;
use geometry::*;
use icons::{icon, Icon};
use inspector::*;
use log::*;
use node::*;
use tools::*;

use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::storage::{LocalStorage, Storage};
use std::rc::Rc;
use warren_engine::names::VecMap;
use warren_engine::num::{fixed, short};
use warren_engine::MsgId;
use warren_model::design::{Action, Design, History, Id, Kind, Node, OnFailure, Opened, Spec};
use warren_model::example::example;
use warren_model::i18n::{tr, Lang};
use warren_model::json::Json;
use warren_model::log::{describe_in, messages_of, related};
use warren_model::sim::{Input, Live};
use warren_model::timeline::Place;
use warren_model::tutorial::{Resolved, Tutorial, INDEX};
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// While playing, how often (page ms) the nodes' counts are redrawn; the dots move every frame.
const RENDER_MS: f64 = 100.0;

/// While playing, the page is rendered every this many counts' cadences (see [`App::cadence`]).
const PAGE_CADENCES: f64 = 2.5;

/// The speeds the page offers (simulated time per real time).
const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// Where the canvas is kept between visits.
pub const STORAGE_KEY: &str = "warren.design";

/// Where the chosen language is kept (otherwise the browser's preference decides).
pub const LANG_KEY: &str = "warren.lang";

/// A guided tutorial in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    /// Which of the tutorials ([`INDEX`]).
    pub index: usize,
    /// The step shown; `steps.len()` is the closing question.
    pub step: usize,
    /// Whether the shown step has been run.
    pub done: bool,
    /// The learner's answer as typed.
    pub answer: String,
    /// The last check: right (with why) or not (with where to look).
    pub verdict: Option<(bool, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sel {
    None,
    Node(Id),
    Link(usize),
    Msg(MsgId),
}

enum Drag {
    Node {
        id: Id,
        dx: f32,
        dy: f32,
        x: f32,
        y: f32,
        moved: bool,
    },
    Link {
        from: Id,
        x: f32,
        y: f32,
    },
    Pan {
        sx: f32,
        sy: f32,
        tx: f32,
        ty: f32,
    },
}

pub enum Msg {
    Frame(f64),
    Do(Action),
    Add(Kind),
    Select(Sel),
    /// A pointer pressed on the canvas: its id (touches are told apart), where, Shift held,
    /// whether it is a finger.
    Down(i32, f32, f32, bool, bool),
    Move(i32, f32, f32),
    Up(i32, f32, f32),
    Wheel(f32, f32, f32),
    Undo,
    Redo,
    Delete,
    Key(KeyboardEvent),
    Play(bool),
    Step(bool),
    Speed(f64),
    Rewind,
    /// Replay a file's or a link's run from its start.
    Replay(Box<warren_model::runfile::Run>),
    Input(Input),
    Save,
    /// Download the design as RabbitMQ definitions.
    ExportDefinitions,
    Share,
    /// Close the error or the share link.
    Dismiss,
    /// The URL's fragment changed (a share link pasted into this tab).
    HashChanged,
    /// Presentation mode on or off.
    Present(bool),
    /// The window's size changed.
    Resized,
    /// Copy the share link or its embed snippet to the clipboard.
    Copy(Snippet),
    /// The clipboard took it (or refused).
    Copied(Snippet, bool),
    /// Copy a file of the Python panel (by name).
    CopyCode(String),
    CodeCopied(String, bool),
    /// The header's menu (narrow screens) opened or closed.
    Menu(bool),
    /// The tutorial's previous step (its text; what it did stays done).
    TourPrev,
    Load(web_sys::File),
    Loaded(Result<String, String>),
    Fit,
    Filter(String),
    Tester(String),
    Error(String),
    New,
    /// Start tutorial N (the design replaces the canvas, one Undo away), once the tutorials are
    /// loaded.
    Tutorial(usize),
    /// The tutorials file fetched (its text), or why not.
    Tutorials(Result<String, String>),
    /// Run the tutorial's shown step.
    TourDo,
    TourNext,
    TourAnswer(String),
    TourCheck,
    TourClose,
    Lang(Lang),
    /// Show or hide the pika code for the design.
    Code(bool),
    Overview(bool),
    /// Open (run the comparison of the run so far as 3.10 and 4.3) or close the comparison.
    Compare(bool),
    /// Download one generated file (its name).
    DownloadCode(String),
    /// The tools worker answered (a [`warren_model::tools`] answer), or could not start (why).
    Tool(String),
    ToolsFailed(String),
    /// A key in the console's line: Enter runs it, the arrows walk the history.
    ConsoleKey(KeyboardEvent),
    /// The terminals panel (the learner's own scripts).
    Term(terminals::TermMsg),
}

pub struct App {
    hist: History,
    live: Live,
    /// Playback position (simulated ms).
    t: f64,
    playing: bool,
    speed: f64,
    last_frame: Option<f64>,
    sel: Sel,
    drag: Option<Drag>,
    scale: f32,
    tx: f32,
    ty: f32,
    error: Option<String>,
    notice: Option<String>,
    /// The last share link made (shown to copy).
    share: Option<String>,
    /// What was copied from it last (the link or the embed snippet), and whether the browser
    /// let the page copy it.
    copied: Option<(Snippet, bool)>,
    /// The Python panel's file copied last, and whether the browser let it be copied.
    code_copied: Option<(String, bool)>,
    /// Embedded in another page (`?embed`): canvas and playback only, editing only with `&edit`,
    /// nothing written to local storage.
    embed: Option<bool>,
    /// Presentation mode: large type, high contrast, the canvas alone.
    present: bool,
    /// Fit the canvas once the page has been laid out anew.
    fit_pending: bool,
    filter: String,
    tester: String,
    /// (which simulation, its timeline version) last rendered: re-render when it changes.
    shown_version: (u64, u64),
    live_gen: u64,
    /// The run before the last fresh start, kept for Undo: (its design, the run).
    stashed: Option<(Design, Live)>,
    /// Why the last edit could not join the run (the run goes on without it).
    needs_restart: Option<String>,
    /// A scenario without a canvas on its way to the tools worker: its publishes are the run.
    import_steps: Option<serde_json::Value>,
    /// The run a file or link brought, with the design it was opened as (↺ Restart replays it).
    replayed: Option<(Design, warren_model::runfile::Run)>,
    clock: NodeRef,
    frame: Option<AnimationFrame>,
    /// Keys anywhere on the page (Delete, Ctrl+Z…), also when the focused node was just removed.
    _keys: Option<gloo::events::EventListener>,
    _hash: Option<gloo::events::EventListener>,
    /// The window changes size (a phone turned, a projector's window): the canvas is fitted anew.
    _resize: Option<gloo::events::EventListener>,
    /// On a narrow screen, the header's palette and edit buttons are shown (its menu is open).
    menu: bool,
    /// The fingers on the canvas (pointer id, where).
    touches: Vec<(i32, f32, f32)>,
    /// Two fingers on the canvas: they zoom and pan it (from the view when they came down).
    pinch: Option<touch::Pinch>,
    reader: Option<gloo::file::callbacks::FileReader>,
    svg: NodeRef,
    canvas: NodeRef,
    /// The counts layer (under the dots): redrawn only when what it shows changes.
    counts_canvas: NodeRef,
    /// The dots layer's picture (the messages in flight).
    dots: crate::dots::Dots,
    places: PlaceCache,
    /// The links as last drawn, and what they were drawn from.
    edges_cache: std::cell::RefCell<Option<(EdgesKey, EdgesProps)>>,
    /// What the counts layer was last drawn from, and when (page ms).
    counts_drawn: Option<CountsKey>,
    counts_at: f64,
    /// When (page ms) the clock's text was last set.
    clock_at: f64,
    /// Bumped whenever the design changes (positions included): the counts layer follows it.
    design_gen: u64,
    /// The recent frame interval (page ms, smoothed): while playing, the counts layer is redrawn
    /// at most every [`RENDER_MS`], or every few frames when frames come slower (the page every
    /// [`PAGE_CADENCES`] of that).
    frame_ms: f64,
    select_link: Callback<usize>,
    select_node: Callback<Id>,
    /// One callback for every form field (compared by identity, so unchanged fields are skipped).
    send: Callback<Msg>,
    /// The tools worker, started the first time one of its jobs is asked for.
    tools: Option<web_sys::Worker>,
    /// Its jobs asked for and not answered yet, by request number.
    tool_jobs: VecMap<u64, ToolJob>,
    tool_next: u64,
    /// The design's pika code, for the design of that generation.
    code_files: Option<(u64, Vec<(String, String)>)>,
    select_msg: Callback<Option<MsgId>>,
    /// The log as last built (with the page's render).
    log: Lines,
    log_version: (u64, u64),
    render_at: f64,
    /// The selected message and those it belongs with: an RPC request and its reply (same
    /// correlation id), a dead-lettered copy.
    related: Vec<MsgId>,
    /// The nodes those messages went through.
    path: warren_engine::names::VecSet<Id>,
    lang: Lang,
    tour: Option<Tour>,
    /// The tutorials, fetched the first time one is opened.
    tutorials: Option<Rc<Vec<Tutorial>>>,
    /// The tutorial to open once they are (being) fetched.
    tutorial_wanted: Option<usize>,
    /// The pika code panel is open.
    code: bool,
    /// The overview panel (management UI style) is open.
    overview: bool,
    /// The comparison of the versions, while open (of the run as it was when opened).
    compare: Option<Result<warren_model::compare::Comparison, String>>,
    console: warren_model::console::Console,
    console_input: NodeRef,
    console_out: NodeRef,
    console_scroll: bool,
    /// The terminals panel: files, command lines, the run.
    terms: terminals::Terms,
}

impl App {
    /// Whether the user may change the design (not in an embed without `&edit`).
    fn can_edit(&self) -> bool {
        self.embed != Some(false)
    }

    /// A tutorial is open, or opening (its file on the way).
    fn touring(&self) -> bool {
        self.tour.is_some() || self.tutorial_wanted.is_some()
    }

    /// Tutorial `i`, if the tutorials are loaded.
    fn tutorial(&self, i: usize) -> Option<&Tutorial> {
        self.tutorials.as_ref()?.get(i)
    }

    /// The design changed by the user's own edit: the run takes it from now on where it can
    /// (what happened so far stays), or goes on without it and says why.
    fn edited(&mut self) {
        if self.terms.on_canvas && self.hist.design.topology() != self.live.design.topology() {
            // the scripts' broker edited: their run stops, and the design runs as one of its own
            self.term_detach();
            self.changed(true);
            return;
        }
        self.design_gen += 1;
        let t = self.t as u64;
        if self.hist.design.topology() != self.live.design.topology() && t < self.live.clock() {
            // editing after a step back: the run from that instant
            self.live.rewind(t);
            self.live_gen += 1;
        }
        match self.live.edit(t, self.hist.design.clone()) {
            Ok(()) => {
                if self.needs_restart.take().is_some() {
                    self.notice = None;
                }
            }
            Err(_) if !self.live.acted() => {
                // nothing happened in this run yet: a new one loses nothing
                self.live = Live::new(self.hist.design.clone());
                self.live_gen += 1;
                self.t = 0.0;
            }
            Err(why) => {
                self.notice = Some(format!(
                    "{} {why}. {}",
                    tr(self.lang, "This change needs a new run:"),
                    tr(self.lang, "The run goes on without it; ↺ Restart starts again with it, and Undo then brings this run back.")
                ));
                self.needs_restart = Some(why);
            }
        }
        self.saved();
    }

    /// The design changed as a whole. `afresh` (a file, a link, a tutorial, New: a design of its
    /// own): a fresh run starts, and the one before is kept for Undo. Otherwise (Undo, Redo): a
    /// run it can take goes on; else the run before a fresh start, if it was this design's, or a
    /// fresh run.
    fn changed(&mut self, afresh: bool) {
        // the canvas leaves the scripts' broker (Undo, a file, a tutorial): their run stops
        let afresh = afresh || self.terms.on_canvas;
        self.term_detach();
        self.design_gen += 1;
        let fresh = afresh
            || (self.hist.design.topology() != self.live.design.topology()
                && self.live.edit(self.t as u64, self.hist.design.clone()).is_err());
        if fresh {
            match self.stashed.take() {
                // back to the run before a fresh start (Undo after ↺ Restart)
                Some((d, live)) if !afresh && d.topology() == self.hist.design.topology() => {
                    let now = std::mem::replace(&mut self.live, live);
                    self.stashed = Some((now.design.clone(), now));
                    self.live.design = self.hist.design.clone();
                }
                _ => {
                    let old = std::mem::replace(&mut self.live, Live::new(self.hist.design.clone()));
                    self.stashed = Some((old.design.clone(), old));
                    self.t = 0.0;
                }
            }
            self.live_gen += 1;
        }
        if self.needs_restart.is_some() && self.hist.design.topology() == self.live.design.topology() {
            self.needs_restart = None;
            self.notice = None;
        }
        self.saved();
    }

    /// While playing, how long (page ms) the counts stay drawn before they are drawn anew:
    /// [`RENDER_MS`], or five frames when frames come slower than one every 20 ms (a slow machine
    /// keeps the dots moving every frame and updates the counts less often).
    fn cadence(&self) -> f64 {
        RENDER_MS.max(5.0 * self.frame_ms)
    }
}

fn input_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

fn input_checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked())
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let mut notice = None;
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let embed = query.contains("embed").then(|| query.contains("edit"));
        let lang = start_lang(&query);
        let saved = if embed.is_some() {
            None // an embedded view shows its link's scenario, never the visitor's own canvas
        } else {
            LocalStorage::raw().get_item(STORAGE_KEY).ok().flatten()
        };
        let design = match saved {
            Some(text) => match saved_design(&text) {
                Ok(d) => d,
                Err(e) => {
                    // keep what could not be read, under another key, and say so
                    let _ = LocalStorage::raw().set_item(&format!("{STORAGE_KEY}.unreadable"), &text);
                    notice = Some(format!(
                        "{} ({e})",
                        tr(
                            lang,
                            "The saved canvas could not be read; it is kept in local storage as 'warren.design.unreadable'. Showing the example."
                        )
                    ));
                    example()
                }
            },
            None => example(),
        };
        // a shared link (#s1.…) opens over the saved canvas, which stays one Undo away
        let mut error = None;
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let mut import = None;
        let mut replay = None;
        let hist = if hash.len() > 1 {
            let opened = open_link(lang, &hash);
            // an embed keeps its link (reloading the frame shows the same scenario)
            if embed.is_none() {
                clear_hash();
            }
            match opened {
                Ok(Opened::Design(shared, run)) => {
                    if embed.is_none() {
                        notice = Some(opened_link(lang).into());
                    }
                    replay = run.map(|r| warren_model::runfile::read(&shared, &r));
                    History::over(shared, design)
                }
                // a scenario without a canvas: the tools worker imports its topology; an embed
                // shows an empty canvas until then
                Ok(Opened::Import(v)) => {
                    import = Some(v);
                    History::new(if embed.is_some() { Design::default() } else { design })
                }
                Err(e) => {
                    error = Some(e);
                    History::new(design)
                }
            }
        } else {
            History::new(design)
        };
        let mut app = App {
            live: Live::new(hist.design.clone()),
            hist,
            t: 0.0,
            playing: true,
            speed: 1.0,
            last_frame: None,
            sel: Sel::None,
            drag: None,
            scale: 1.0,
            tx: 0.0,
            ty: 0.0,
            error,
            notice,
            share: None,
            copied: None,
            code_copied: None,
            embed,
            present: query.contains("present"),
            fit_pending: false,
            filter: String::new(),
            tester: String::new(),
            shown_version: (0, 0),
            live_gen: 0,
            stashed: None,
            needs_restart: None,
            import_steps: None,
            replayed: None,
            clock: NodeRef::default(),
            frame: None,
            _keys: {
                let link = ctx.link().clone();
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                Some(gloo::events::EventListener::new_with_options(
                    &gloo::utils::document(),
                    "keydown",
                    options,
                    move |e| {
                        if let Some(k) = e.dyn_ref::<KeyboardEvent>() {
                            link.send_message(Msg::Key(k.clone()));
                        }
                    },
                ))
            },
            _hash: {
                let link = ctx.link().clone();
                web_sys::window().map(|w| {
                    gloo::events::EventListener::new(&w, "hashchange", move |_| link.send_message(Msg::HashChanged))
                })
            },
            _resize: {
                let link = ctx.link().clone();
                web_sys::window()
                    .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| link.send_message(Msg::Resized)))
            },
            menu: false,
            touches: Vec::new(),
            pinch: None,
            reader: None,
            svg: NodeRef::default(),
            canvas: NodeRef::default(),
            counts_canvas: NodeRef::default(),
            dots: Default::default(),
            places: Default::default(),
            edges_cache: Default::default(),
            counts_drawn: None,
            counts_at: f64::NEG_INFINITY,
            clock_at: f64::NEG_INFINITY,
            design_gen: 0,
            frame_ms: 16.7,
            select_link: ctx.link().callback(|i| Msg::Select(Sel::Link(i))),
            select_node: ctx.link().callback(|i| Msg::Select(Sel::Node(i))),
            send: ctx.link().callback(|m: Msg| m),
            tools: None,
            tool_jobs: VecMap::new(),
            tool_next: 0,
            code_files: None,
            select_msg: ctx
                .link()
                .callback(|m: Option<MsgId>| Msg::Select(m.map_or(Sel::None, Sel::Msg))),
            log: Lines::default(),
            log_version: (u64::MAX, 0),
            render_at: f64::NEG_INFINITY,
            related: Vec::new(),
            path: Default::default(),
            lang,
            tour: None,
            tutorials: None,
            tutorial_wanted: None,
            code: false,
            overview: false,
            compare: None,
            console: Default::default(),
            console_input: NodeRef::default(),
            console_out: NodeRef::default(),
            console_scroll: false,
            terms: Default::default(),
        };
        set_document_lang(app.lang);
        // ?tutorial=ID opens a tutorial (a link a teacher can hand out)
        if let Some(i) = query_value(&query, "tutorial").and_then(|id| INDEX.iter().position(|t| t.id == id)) {
            ctx.link().send_message(Msg::Tutorial(i));
        }
        match replay {
            Some(Ok(run)) => app.replay(run),
            Some(Err(e)) => app.error = Some(link_failed(lang, &e)),
            None => {}
        }
        if let Some(v) = import {
            app.import_steps = Some(v.clone());
            app.ask_tools(ctx, ToolJob::OpenLink, v);
        }
        app.schedule_frame(ctx);
        app
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        if first {
            // navigation → the first interactive canvas (scripts/frames.sh reads this mark)
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.mark("warren-interactive");
            }
        }
        // the code panel shows the design's code: a changed design asks for it again
        self.ask_code(ctx);
        // fitting needs the laid-out size, and the SVG then needs drawing with the new transform
        if first || std::mem::take(&mut self.fit_pending) {
            ctx.link().send_message(Msg::Fit);
        }
        if std::mem::take(&mut self.console_scroll) {
            if let Some(out) = self.console_out.cast::<web_sys::Element>() {
                out.set_scroll_top(out.scroll_height());
            }
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.on_msg(ctx, msg)
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let d = &self.hist.design;
        // (its name for screen readers says what its text says, in the page's language)
        // (its icon is the kind's shape on the canvas)
        let add = |k: Kind, aria: &'static str| {
            html! { <button class={classes!("add", format!("add-{}", k.name()))} onclick={link.callback(move |_| Msg::Add(k))} aria-label={tr(l, aria)}>{ icon(Icon::Kind(k)) }{ tr(l, k.name()) }</button> }
        };
        if let Some(edit) = self.embed {
            // embedded in a doc: the canvas and its controls, sized to the frame
            let open = web_sys::window()
                .and_then(|w| {
                    let l = w.location();
                    Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.hash().ok()?))
                })
                .unwrap_or_default();
            return html! {
                <div class={classes!("studio", "embed", edit.then_some("editable"))} tabindex="-1">
                    { self.controls(ctx) }
                    if let Some(e) = &self.error {
                        <p class="error" role="alert">{ warren_model::i18n::message(self.lang, e) }</p>
                    }
                    { self.tour_view(ctx) }
                    <main>{ self.canvas_view(ctx) }</main>
                    <a class="open" href={open} target="_blank" rel="noopener">{ format!("{} · open in Warren ↗", d.name) }</a>
                </div>
            };
        }
        let code = self.code;
        let terms_open = self.terms.open;
        let overview = self.overview;
        let menu = self.menu;
        html! {
            <div class={classes!("studio", self.present.then_some("present"))} tabindex="-1">
                <header class={classes!(self.menu.then_some("open"))}>
                    <h1>{ "Warren" }</h1>
                    <button class="menu" onclick={link.callback(move |_| Msg::Menu(!menu))} aria-expanded={menu.to_string()}
                        aria-label="menu" title="Add nodes, edit, save, share">{ "☰" }</button>
                    <Field label="scenario name" bare={true} value={AttrValue::from(d.name.clone())} send={self.send.clone()} lang={self.lang} target={Target::Title} />
                    <nav class="palette" aria-label="palette">
                        { add(Kind::Producer, "add a producer") }
                        { add(Kind::Exchange, "add an exchange") }
                        { add(Kind::Queue, "add a queue") }
                        { add(Kind::Consumer, "add a consumer") }
                    </nav>
                    <nav class="learn" aria-label="learn">
                        <select aria-label="tutorials" onchange={link.batch_callback(|e: Event| input_value(&e).parse::<usize>().ok().map(Msg::Tutorial))}>
                            <option value="" selected={self.tour.is_none() && self.tutorial_wanted.is_none()}>{ tr(self.lang, "Tutorials…") }</option>
                            { for INDEX.iter().enumerate().map(|(i, t)| html! {
                                <option value={i.to_string()} selected={self.tour.as_ref().map_or(self.tutorial_wanted, |x| Some(x.index)) == Some(i)}>{ t.title.get(self.lang) }</option>
                            }) }
                        </select>
                        <select aria-label="language" onchange={link.callback(|e: Event| Msg::Lang(Lang::from_tag(&input_value(&e))))}>
                            { for [Lang::En, Lang::Zh].into_iter().map(|l| html! {
                                <option value={l.tag()} selected={self.lang == l}>{ l.own_name() }</option>
                            }) }
                        </select>
                        { self.version_picker(ctx) }
                    </nav>
                    <nav class="edit" aria-label="edit">
                        <button onclick={link.callback(|_| Msg::Undo)} disabled={!self.hist.can_undo()} aria-label={tr(l, "undo")} title="Undo (Ctrl+Z)">{ icon(Icon::Undo) }{ tr(l, "Undo") }</button>
                        <button onclick={link.callback(|_| Msg::Redo)} disabled={!self.hist.can_redo()} aria-label={tr(l, "redo")} title="Redo (Ctrl+Y)">{ icon(Icon::Redo) }{ tr(l, "Redo") }</button>
                        <button onclick={link.callback(|_| Msg::Delete)} disabled={matches!(self.sel, Sel::None | Sel::Msg(_))} aria-label={tr(l, "delete selection")} title="Delete">{ icon(Icon::Delete) }{ tr(l, "Delete") }</button>
                        <button onclick={link.callback(|_| Msg::Do(Action::Tidy))} aria-label={tr(l, "tidy layout")}>{ icon(Icon::Tidy) }{ tr(l, "Tidy") }</button>
                        <button onclick={link.callback(|_| Msg::Fit)} aria-label={tr(l, "fit to screen")}>{ icon(Icon::Fit) }{ tr(l, "Fit") }</button>
                        <label><input type="checkbox" checked={d.show_default}
                            onchange={link.callback(|e: Event| Msg::Do(Action::ShowDefault(input_checked(&e))))} />{ tr(l, " default exchange") }</label>
                        <button onclick={link.callback(|_| Msg::New)} aria-label={tr(l, "new empty canvas")}>{ icon(Icon::New) }{ tr(l, "New") }</button>
                        <button onclick={link.callback(|_| Msg::Save)} aria-label={tr(l, "save scenario file")}>{ icon(Icon::Save) }{ tr(l, "Save") }</button>
                        <button onclick={link.callback(|_| Msg::ExportDefinitions)} aria-label={tr(l, "export RabbitMQ definitions")}
                            title="The topology as rabbitmqctl export_definitions prints it">{ icon(Icon::Definitions) }{ tr(l, "Definitions") }</button>
                        <button onclick={link.callback(|_| Msg::Share)} aria-label={tr(l, "share as a link")}>{ icon(Icon::Share) }{ tr(l, "Share") }</button>
                        <button onclick={link.callback(move |_| Msg::Code(!code))} aria-pressed={code.to_string()} aria-label={tr(l, "python code")}
                            title="pika scripts for this design, in the style of the RabbitMQ tutorials">{ icon(Icon::Python) }{ tr(l, "Python") }</button>
                        <button onclick={link.callback(move |_| Msg::Term(terminals::TermMsg::Open(!terms_open)))} aria-pressed={terms_open.to_string()} aria-label={tr(l, "terminals")}
                            title="Run your own pika scripts in terminals, as the tutorials say">{ icon(Icon::Python) }{ tr(l, "Terminals") }</button>
                        <button onclick={link.callback(move |_| Msg::Overview(!overview))} aria-pressed={overview.to_string()} aria-label={tr(l, "overview")}
                            title="Totals, message rates, queues and consumers, as the management UI shows them">{ icon(Icon::Overview) }{ tr(l, "Overview") }</button>
                        <label class="load">{ icon(Icon::Load) }{ tr(l, "Load") }
                            <input type="file" accept=".json,application/json" aria-label="load scenario file"
                                onchange={link.batch_callback(|e: Event| {
                                    e.target_dyn_into::<HtmlInputElement>().and_then(|i| i.files()).and_then(|f| f.get(0)).map(Msg::Load)
                                })} />
                        </label>
                    </nav>
                </header>
                { self.controls(ctx) }
                if let Some(e) = &self.error {
                    <p class="error" role="alert">{ warren_model::i18n::message(self.lang, e) }
                        <button onclick={link.callback(|_| Msg::Dismiss)} aria-label="dismiss">{ "×" }</button></p>
                }
                if let Some(n) = &self.notice {
                    <p class="notice" role="status">{ n.clone() }</p>
                }
                if let Some(url) = &self.share {
                    { self.share_view(ctx, url, &d.name) }
                }
                if self.code {
                    { self.code_view(ctx) }
                }
                if self.terms.open {
                    { self.terminals_view(ctx) }
                }
                if self.overview {
                    { self.overview_view(ctx) }
                }
                if let Some(c) = &self.compare {
                    { self.compare_view(ctx, c) }
                }
                <main>
                    { self.canvas_view(ctx) }
                    <aside class={classes!(self.touring().then_some("touring"))}>
                        { self.tour_view(ctx) }
                        { self.inspector(ctx) }
                        { self.users_view(ctx) }
                        { self.console_view(ctx) }
                        { self.log_view(ctx) }
                    </aside>
                </main>
            </div>
        }
    }
}

/// A long name cut to what fits above a node, with an ellipsis (the whole name is its title).
fn short_name(s: &str) -> String {
    if s.chars().count() <= 24 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(23).collect::<String>())
    }
}

fn clock_text(t: f64) -> String {
    format!("t = {} s", fixed(t / 1000.0, 2))
}

/// `k=v, k=v` into a map.
fn pairs(v: &str) -> Result<VecMap<String, String>, String> {
    let mut m = VecMap::new();
    for p in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').ok_or_else(|| format!("'{p}' is not key=value"))?;
        m.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(m)
}

/// A table's head row: its columns' titles.
fn head(titles: &[&'static str]) -> Html {
    html! { <thead><tr>{ for titles.iter().map(|t| html! { <th>{ *t }</th> }) }</tr></thead> }
}
