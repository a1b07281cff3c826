//! The page: thin Yew components over the view-model. The canvas draws the design (SVG) and the
//! messages in flight (a 2D canvas over it, redrawn each frame from the timeline); every user
//! action becomes a design [`Action`] or a simulation [`Input`].

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

/// The most pixels the dots layer's picture has (each frame copies what changed of it).
const DOTS_PIXELS: f32 = 2_000_000.0;

/// While playing, how often (page ms) the nodes' counts are redrawn; the dots move every frame.
const RENDER_MS: f64 = 100.0;

/// While playing, the page is rendered every this many counts' cadences (see [`App::cadence`]).
const PAGE_CADENCES: f64 = 2.5;

/// How many lines of the event log are drawn (newest first) when paused.
const LOG_LINES: usize = 150;

/// While playing: the newest lines only (a fast run rewrites them several times a second, and
/// every line rewritten is text laid out anew; pausing shows [`LOG_LINES`]).
const LOG_LINES_PLAYING: usize = 40;

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

/// Node geometry: half width and half height of each kind's shape.
fn half(kind: Kind) -> (f32, f32) {
    match kind {
        Kind::Producer => (55.0, 22.0),
        Kind::Exchange => (70.0, 30.0),
        Kind::Queue => (80.0, 28.0),
        Kind::Consumer => (60.0, 30.0),
    }
}

/// Where the default exchange is drawn (when shown): left of the queues, above them.
fn default_exchange_at(d: &Design) -> (f32, f32) {
    let qs: Vec<&Node> = d.nodes.iter().filter(|n| n.kind() == Kind::Queue).collect();
    let x = qs.iter().map(|n| n.x).fold(f32::INFINITY, f32::min);
    let y = qs.iter().map(|n| n.y).fold(f32::INFINITY, f32::min);
    if x.is_finite() {
        (x - 200.0, y - 90.0)
    } else {
        (300.0, 60.0)
    }
}

/// The canvas node a place is (None for the default exchange, which is not a node).
fn node_at(live: &Live, p: &Place) -> Option<Id> {
    let d = &live.design;
    let n = match p {
        Place::Client(c) => d
            .nodes
            .iter()
            .find(|n| *n.name == **c && matches!(n.kind(), Kind::Producer | Kind::Consumer)),
        Place::Exchange(x) => d.by_name(Kind::Exchange, x),
        Place::Queue(q) => d.by_name(Kind::Queue, live.canvas_queue(q)),
        Place::Consumer(_, tag) => d.by_name(Kind::Consumer, tag),
    }?;
    Some(n.id)
}

fn place_at(live: &Live, p: &Place) -> Option<(f32, f32)> {
    if matches!(p, Place::Exchange(x) if x.is_empty()) {
        return Some(default_exchange_at(&live.design));
    }
    let n = live.design.node(node_at(live, p)?)?;
    Some((n.x, n.y))
}

/// A place by the addresses of its names' texts (one per text, kept for the thread's life: see
/// [`warren_engine::Name`]): a cheap key for caching where places are.
type PlaceKey = (u8, usize, usize);

/// Where the places messages travel between are, kept across frames while the design and the
/// run stay the same (`gens`). A place is found by the addresses of its names. Places not
/// found are not kept: a server-named queue finds its node once the broker has declared it.
#[derive(Default)]
struct PlaceCache {
    gens: (u64, u64),
    /// Sorted by key.
    at: Vec<(PlaceKey, (f32, f32))>,
}

impl PlaceCache {
    /// The most places kept (a run with ever new names, server-named queues say, would pile up).
    const MAX: usize = 4096;

    fn get(&mut self, live: &Live, p: &Place) -> Option<(f32, f32)> {
        let key = place_key(p);
        let i = match self.at.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => return Some(self.at[i].1),
            Err(i) => i,
        };
        let xy = place_at(live, p)?;
        if self.at.len() >= Self::MAX {
            self.at.clear();
            self.at.push((key, xy));
        } else {
            self.at.insert(i, (key, xy));
        }
        Some(xy)
    }
}

fn place_key(p: &Place) -> PlaceKey {
    let at = |n: &warren_engine::Name| n.as_str().as_ptr() as usize;
    match p {
        Place::Client(n) => (0, at(n), 0),
        Place::Exchange(n) => (1, at(n), 0),
        Place::Queue(n) => (2, at(n), 0),
        Place::Consumer(c, t) => (3, at(c), at(t)),
    }
}

/// What the links are drawn from (see [`App::edges_view`]).
#[derive(Clone, Debug, PartialEq)]
struct EdgesKey {
    design_gen: u64,
    /// A node being dragged: its id and where it is.
    dragged: Option<(Id, u32, u32)>,
    /// The selected link.
    sel: Option<usize>,
    /// The links whose binding the broker does not have at the instant shown.
    gone: Vec<usize>,
}

/// What the counts layer was drawn from (see [`App::counts_key`]).
#[derive(Clone, Debug, PartialEq)]
struct CountsKey {
    /// Where and how the counts are drawn: a change redraws them at once.
    layout: CountsLayout,
    /// The timeline's counts: a change redraws them at the playing cadence.
    version: u64,
}

/// What places the counts on their layer (floats as bits, to compare exactly).
#[derive(Clone, Debug, PartialEq)]
struct CountsLayout {
    design_gen: u64,
    live_gen: u64,
    /// tx, ty, scale.
    transform: [u32; 3],
    /// The layer's CSS size and the device pixel ratio.
    size: (i32, i32, u64),
    /// A node being dragged: its id and where it is.
    dragged: Option<(Id, u32, u32)>,
    present: bool,
    lang: Lang,
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
    Down(f32, f32, bool),
    Move(f32, f32),
    Up(f32, f32),
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
    /// Download one generated file (its name).
    DownloadCode(String),
    /// The tools worker answered (a [`warren_model::tools`] answer), or could not start (why).
    Tool(String),
    ToolsFailed(String),
    /// A key in the console's line: Enter runs it, the arrows walk the history.
    ConsoleKey(KeyboardEvent),
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
    console: warren_model::console::Console,
    console_input: NodeRef,
    console_out: NodeRef,
    console_scroll: bool,
}

impl App {
    /// Whether the user may change the design (not in an embed without `&edit`).
    fn can_edit(&self) -> bool {
        self.embed != Some(false)
    }

    /// Ask the tools worker ([`warren_model::tools`]) for `job`, starting it if need be; the answer comes
    /// back as [`Msg::Tool`].
    fn ask_tools(&mut self, ctx: &Context<Self>, job: ToolJob, input: serde_json::Value) {
        use wasm_bindgen::closure::Closure;
        if self.tools.is_none() {
            let worker = match web_sys::Worker::new("./tools-loader.js") {
                Ok(w) => w,
                Err(e) => {
                    let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                    return self.tool_done(ctx, job, Err(why));
                }
            };
            let reply = ctx.link().callback(Msg::Tool);
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                reply.emit(e.data().as_string().unwrap_or_default())
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget(); // as long as the worker: the page's life
            let failed = ctx.link().callback(Msg::ToolsFailed);
            let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let why = e
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .filter(|m| !m.is_empty());
                failed.emit(why.unwrap_or_else(|| "tools-loader.js did not load".into()))
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            self.tools = Some(worker);
        }
        self.tool_next += 1;
        let id = self.tool_next;
        let request = warren_model::tools::request(id, job.kind(), input);
        self.tool_jobs.insert(id, job);
        if let Some(w) = &self.tools {
            let _ = w.post_message(&wasm_bindgen::JsValue::from_str(&request));
        }
    }

    /// What a tools job's answer does.
    fn tool_done(&mut self, ctx: &Context<Self>, job: ToolJob, outcome: Result<serde_json::Value, String>) {
        match (job, outcome) {
            (ToolJob::Code(generation), Ok(v)) => {
                let files = Json::read(&v).unwrap_or_default();
                self.code_files = Some((generation, files));
            }
            (ToolJob::Code(generation), Err(e)) => {
                // not asked again for this design (reopening the panel asks again)
                self.code_files = Some((generation, Vec::new()));
                self.error = Some(e);
            }
            (ToolJob::Definitions(stem), Ok(d)) => {
                // `{:#}` is serde_json's pretty form, through the Display the page already has
                let text = format!("{d:#}");
                download(&format!("{stem}.definitions.json"), &text);
                self.notice = Some(
                    tr(self.lang, "Saved RabbitMQ definitions: load them into a broker with `rabbitmqctl import_definitions FILE` or the management UI.").into(),
                );
            }
            (ToolJob::Definitions(_), Err(e)) => {
                self.error = Some(format!("{} {e}", tr(self.lang, "Could not make definitions:")))
            }
            (ToolJob::Import, Ok(v)) => {
                let design = Design::read(&v["design"]);
                let left_out = Json::read(&v["left_out"]).unwrap_or_default();
                match design {
                    Ok(d) => {
                        self.replay_steps(ctx, &d);
                        self.opened(ctx, d, left_out)
                    }
                    Err(e) => self.load_failed(&e),
                }
            }
            (ToolJob::Import, Err(e)) => self.load_failed(&e),
            (ToolJob::OpenLink, outcome) => match outcome.and_then(|v| Design::read(&v["design"])) {
                Ok(d) => {
                    self.replay_steps(ctx, &d);
                    self.opened_link(ctx, d)
                }
                Err(e) => self.error = Some(link_failed(self.lang, &e)),
            },
        }
    }

    /// Ask for the design's pika code if its panel is open and the code is not this design's. One
    /// request at a time: while a node is dragged the design changes every frame, and the code
    /// of the design as it is when the answer comes is asked for then.
    fn ask_code(&mut self, ctx: &Context<Self>) {
        let asked = self.tool_jobs.values().any(|j| matches!(j, ToolJob::Code(_)));
        if self.code && !asked && self.code_files.as_ref().is_none_or(|c| c.0 != self.design_gen) {
            let generation = self.design_gen;
            self.ask_tools(ctx, ToolJob::Code(generation), design_json(&self.hist.design));
        }
    }

    /// A file opened as a design: it replaces the canvas (one Undo away).
    fn opened(&mut self, ctx: &Context<Self>, d: Design, left_out: Vec<String>) {
        ctx.link().send_message(Msg::Do(Action::Replace(d)));
        ctx.link().send_message(Msg::Fit);
        self.notice = (!left_out.is_empty()).then(|| {
            format!(
                "{} {}.",
                tr(self.lang, "Imported the definitions' topology; left out:"),
                left_out.join("; ")
            )
        });
    }

    /// The design as a scenario file, with the run so far when the user did something: its
    /// steps are then what the run did (what `warren trace` replays), and `"run"` what the user
    /// did, for the page to replay ([`warren_model::runfile`]).
    fn scenario_with_run(&self) -> serde_json::Value {
        let mut sc = self.hist.design.to_scenario();
        if let Some(run) = warren_model::runfile::write(&self.live, &self.hist.design) {
            sc["steps"] = serde_json::Value::Array(self.live.steps());
            sc["run"] = run;
        }
        sc
    }

    /// Replay a run from its start (a file's or a link's): its actions happen at their instants
    /// as the page plays.
    fn replay(&mut self, run: warren_model::runfile::Run) {
        self.live = run.live();
        self.replayed = Some((self.hist.design.clone(), run));
        self.live_gen += 1;
        self.t = 0.0;
        self.playing = true;
    }

    /// A scenario without a canvas was imported as `d`: its publishes, at their instants, are
    /// its run.
    fn replay_steps(&mut self, ctx: &Context<Self>, d: &Design) {
        if let Some(v) = self.import_steps.take() {
            let run = warren_model::runfile::of_steps(d, &v);
            if !run.actions.is_empty() {
                ctx.link().send_message(Msg::Replay(Box::new(run)));
            }
        }
    }

    /// A share link's design: it replaces the canvas (one Undo away).
    fn opened_link(&mut self, ctx: &Context<Self>, d: Design) {
        ctx.link().send_message(Msg::Do(Action::Replace(d)));
        ctx.link().send_message(Msg::Fit);
        if self.embed.is_none() {
            self.notice = Some(opened_link(self.lang).into());
        }
    }

    fn load_failed(&mut self, e: &str) {
        self.error = Some(format!(
            "{} {e}",
            tr(self.lang, "That file could not be loaded; your canvas is unchanged.")
        ))
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

    /// The design changed as a whole (a file, a tutorial, Undo or Redo): a run it can take goes
    /// on; else a fresh run starts, and the one before is kept for Undo.
    fn changed(&mut self) {
        self.design_gen += 1;
        let fresh = self.hist.design.topology() != self.live.design.topology()
            && self.live.edit(self.t as u64, self.hist.design.clone()).is_err();
        if fresh {
            match self.stashed.take() {
                // back to the run before a fresh start (Undo after ↺ Restart)
                Some((d, live)) if d.topology() == self.hist.design.topology() => {
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

    /// Keep the design in local storage (not in an embed).
    fn saved(&mut self) {
        self.live.timeline.show_default = self.hist.design.show_default;
        if self.embed.is_some() {
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

    fn to_canvas(&self, x: f32, y: f32) -> (f32, f32) {
        let (left, top) = self
            .svg
            .cast::<web_sys::Element>()
            .map(|e| {
                let r = e.get_bounding_client_rect();
                (r.left() as f32, r.top() as f32)
            })
            .unwrap_or_default();
        ((x - left - self.tx) / self.scale, (y - top - self.ty) / self.scale)
    }

    fn hit(&self, x: f32, y: f32) -> Option<(Id, bool)> {
        self.hist.design.nodes.iter().rev().find_map(|n| {
            let (w, h) = half(n.kind());
            let port = (x - (n.x + w + 8.0)).powi(2) + (y - n.y).powi(2) <= 12.0f32.powi(2);
            if port && n.kind() != Kind::Consumer {
                Some((n.id, true))
            } else if (x - n.x).abs() <= w && (y - n.y).abs() <= h {
                Some((n.id, false))
            } else {
                None
            }
        })
    }

    fn fit(&mut self) {
        let d = &self.hist.design;
        if d.nodes.is_empty() {
            (self.scale, self.tx, self.ty) = (1.0, 0.0, 0.0);
            return;
        }
        let (w, h) = self
            .svg
            .cast::<web_sys::Element>()
            .map(|e| (e.client_width() as f32, e.client_height() as f32))
            .unwrap_or((1000.0, 600.0));
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for n in &d.nodes {
            let (hw, hh) = half(n.kind());
            x0 = x0.min(n.x - hw - 20.0);
            x1 = x1.max(n.x + hw + 30.0);
            y0 = y0.min(n.y - hh - 40.0);
            y1 = y1.max(n.y + hh + 70.0);
        }
        if d.show_default {
            let (dx, dy) = default_exchange_at(d);
            x0 = x0.min(dx - 90.0);
            y0 = y0.min(dy - 50.0);
        }
        let s = (w / (x1 - x0)).min(h / (y1 - y0)).clamp(0.1, 2.0);
        self.scale = s;
        self.tx = (w - (x1 - x0) * s) / 2.0 - x0 * s;
        self.ty = (h - (y1 - y0) * s) / 2.0 - y0 * s;
    }

    /// While playing, how long (page ms) the counts stay drawn before they are drawn anew:
    /// [`RENDER_MS`], or five frames when frames come slower than one every 20 ms (a slow machine
    /// keeps the dots moving every frame and updates the counts less often).
    fn cadence(&self) -> f64 {
        RENDER_MS.max(5.0 * self.frame_ms)
    }

    /// A canvas over the diagram sized to its box (device pixels), cleared, with the diagram's
    /// transform set.
    fn canvas_ctx(&self, r: &NodeRef) -> Option<(HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
        let canvas = r.cast::<HtmlCanvasElement>()?;
        let (w, h) = (canvas.client_width() as u32, canvas.client_height() as u32);
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0);
        let (pw, ph) = ((w as f64 * dpr) as u32, (h as f64 * dpr) as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())?;
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        let s = self.scale as f64 * dpr;
        let _ = ctx.set_transform(s, 0.0, 0.0, s, self.tx as f64 * dpr, self.ty as f64 * dpr);
        Some((canvas, ctx))
    }

    /// What the counts layer shows is drawn from: when it differs from what was drawn, the layer
    /// is drawn anew (at once for a change of layout, at the playing cadence for new counts).
    fn counts_key(&self) -> CountsKey {
        let dragged = self.dragged_key();
        let (w, h) = self
            .counts_canvas
            .cast::<web_sys::Element>()
            .map_or((0, 0), |c| (c.client_width(), c.client_height()));
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        CountsKey {
            layout: CountsLayout {
                design_gen: self.design_gen,
                live_gen: self.live_gen,
                transform: [self.tx.to_bits(), self.ty.to_bits(), self.scale.to_bits()],
                size: (w, h, dpr.to_bits()),
                dragged,
                present: self.present,
                lang: self.lang,
            },
            version: self.live.timeline.version,
        }
    }

    /// The counts RabbitMQ would report, drawn on their own layer under the dots: a queue's
    /// ready/unacked and its ready messages as squares, a consumer's `got N`, a producer's
    /// acks/returns/replies.
    fn draw_counts(&self) {
        let Some((_, ctx)) = self.canvas_ctx(&self.counts_canvas) else {
            return;
        };
        let live = &self.live;
        let tally = live.timeline.tally();
        ctx.set_font(if self.present {
            "bold 12px system-ui, sans-serif"
        } else {
            "11px system-ui, sans-serif"
        });
        ctx.set_text_align("center");
        ctx.set_fill_style_str(COUNTS_INK);
        for node in &self.hist.design.nodes {
            let (x, y) = self.shown_at(node);
            let text = match &node.spec {
                Spec::Queue(_) => {
                    let real = live.real_queue(&node.name);
                    if !tally.queues.contains_key(&real) {
                        continue;
                    }
                    let (r, u) = tally.queue(&real);
                    // its messages: one square per ready message (up to 16), along the bottom
                    for i in 0..r.min(16) {
                        ctx.fill_rect((x - 76.0 + 9.5 * i as f32) as f64, (y + 23.0) as f64, 7.0, 3.0);
                    }
                    format!("ready {r} · unacked {u}")
                }
                Spec::Consumer(c) => {
                    let got = tally.got(&node.name);
                    if got > 0 {
                        let _ = ctx.fill_text(&format!("got {got}"), x as f64, (y + 44.0) as f64);
                    }
                    let unacked = tally.consumer(&node.name, &node.name);
                    let slots = prefetch_slots(c.prefetch, c.auto_ack);
                    if slots > 0 {
                        // its prefetch window: the slots the node draws, filled here while playing
                        ctx.set_fill_style_str(SLOT_FULL);
                        for i in 0..unacked.min(slots) {
                            let (sx, sy) = slot_at(x, y, slots, i);
                            ctx.fill_rect(sx as f64, sy as f64, SLOT as f64, SLOT as f64);
                        }
                        ctx.set_fill_style_str(COUNTS_INK);
                    }
                    if c.auto_ack || slots > 0 {
                        continue;
                    }
                    format!("unacked {unacked}")
                }
                Spec::Producer(_) => {
                    let text = producer_counts(tally, &node.name);
                    if text.is_empty() {
                        continue;
                    }
                    let _ = ctx.fill_text(&text, x as f64, (y + 36.0) as f64);
                    continue;
                }
                _ => continue,
            };
            let dy = if node.kind() == Kind::Queue { 20.0 } else { 9.0 };
            let _ = ctx.fill_text(&text, x as f64, (y + dy) as f64);
        }
    }

    /// The messages in flight, drawn every frame (and the counts layer when it is due).
    fn draw_dots(&mut self) {
        let key = self.counts_key();
        let due = match &self.counts_drawn {
            None => true,
            Some(k) if k.layout != key.layout => true,
            Some(k) => {
                k.version != key.version
                    && (!self.playing || self.last_frame.unwrap_or(0.0) - self.counts_at >= self.cadence())
            }
        };
        if due {
            self.draw_counts();
            self.counts_at = self.last_frame.unwrap_or(0.0);
            self.counts_drawn = Some(key);
        }
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        // drawn into a picture of the canvas's device pixels, handed over as one rectangle; a
        // large high-density screen gets a picture of at most DOTS_PIXELS, scaled up by the browser
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0) as f32;
        let (cw, ch) = (
            canvas.client_width().max(0) as f32,
            canvas.client_height().max(0) as f32,
        );
        let k = dpr.min((DOTS_PIXELS / (cw * ch).max(1.0)).sqrt());
        let (pw, ph) = ((cw * k) as u32, (ch * k) as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        self.dots.resize(pw, ph);
        self.dots.begin();
        let (s, tx, ty) = (self.scale * k, self.tx * k, self.ty * k);
        let live = &self.live;
        let highlight = &self.related;
        let gens = (self.design_gen, self.live_gen);
        if self.places.gens != gens {
            self.places = PlaceCache {
                gens,
                ..Default::default()
            };
        }
        for trip in self.live.timeline.active(self.t) {
            let Some((x0, y0)) = self.places.get(live, &trip.from) else {
                continue;
            };
            let f = ((self.t - trip.start) / (trip.end - trip.start)).clamp(0.0, 1.0) as f32;
            let (x, y) = match &trip.to {
                Some(to) => {
                    let Some((x1, y1)) = self.places.get(live, to) else {
                        continue;
                    };
                    (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)
                }
                None => (x0 + 20.0 * f, y0 + 30.0 + 50.0 * f),
            };
            let r = if highlight.contains(&trip.msg) { 11.0 } else { 7.0 };
            self.dots
                .dot(x * s + tx, y * s + ty, r * s, crate::dots::colour(trip.kind));
        }
        let n = self.dots.count();
        if let Some(r) = self.dots.take_dirty() {
            let (w, h) = self.dots.size();
            let ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
            let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(self.dots.pixels()), w, h);
            if let (Some(ctx), Ok(img)) = (ctx, img) {
                let (x, y) = (r.x0 as f64, r.y0 as f64);
                let _ = ctx.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
                    &img,
                    0.0,
                    0.0,
                    x,
                    y,
                    r.width() as f64,
                    r.height() as f64,
                );
            }
        }
        let _ = canvas.set_attribute("data-dots", &n.to_string());
        if let Some(c) = self.clock.cast::<web_sys::Element>() {
            // while playing, the clock moves at the counts' cadence, whether anything happens
            // or not (a text change lays out: not every frame)
            let now = self.last_frame.unwrap_or(0.0);
            if due || !self.playing || now - self.clock_at >= self.cadence() {
                c.set_text_content(Some(&clock_text(self.t)));
                self.clock_at = now;
            }
        }
    }

    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| link.send_message(Msg::Frame(ts))));
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
            console: Default::default(),
            console_input: NodeRef::default(),
            console_out: NodeRef::default(),
            console_scroll: false,
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
        match msg {
            Msg::Frame(ts) => {
                let dt = self.last_frame.map_or(0.0, |l| (ts - l).clamp(0.0, 100.0));
                if self.last_frame.is_some() {
                    self.frame_ms += (dt - self.frame_ms) * 0.1;
                }
                self.last_frame = Some(ts);
                if self.playing {
                    self.t += dt * self.speed;
                }
                self.live.advance_to(self.t as u64);
                self.live.timeline.seek(self.t);
                self.draw_dots();
                self.schedule_frame(ctx);
                let v = (self.live_gen, self.live.timeline.version);
                // While playing, the page (the log, the nodes' states as assistive technology reads
                // them, the inspector) is rendered at most 4 times a second, less often when frames
                // come slowly: what moves is drawn on the canvas layers meanwhile (the dots every
                // frame; counts and prefetch slots at the counts' cadence). At once otherwise.
                let render =
                    v != self.shown_version && (!self.playing || ts - self.render_at >= PAGE_CADENCES * self.cadence());
                if render {
                    self.shown_version = v;
                    self.render_at = ts;
                    if v != self.log_version {
                        self.log = Lines(Rc::new(self.log_lines()));
                        self.log_version = v;
                    }
                }
                return render;
            }
            Msg::Do(a) => {
                let whole = matches!(a, Action::Replace(_));
                match self.hist.apply(a) {
                    Ok(()) => {
                        self.error = None;
                        if whole {
                            self.changed();
                        } else {
                            self.edited();
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Msg::Add(kind) => {
                let d = &self.hist.design;
                let column = match kind {
                    Kind::Producer => 0.0,
                    Kind::Exchange => 1.0,
                    Kind::Queue => 2.0,
                    Kind::Consumer => 3.0,
                };
                let count = d.nodes.iter().filter(|n| n.kind() == kind).count() as f32;
                let (x, y) = (110.0 + column * 220.0, 80.0 + count * 110.0);
                if self.hist.apply(Action::Add { kind, x, y }).is_ok() {
                    let id = self.hist.design.nodes.last().map(|n| n.id).unwrap_or(0);
                    self.sel = Sel::Node(id);
                    self.edited();
                }
            }
            Msg::Select(s) => self.sel = s,
            Msg::Down(x, y, shift) => {
                let (cx, cy) = self.to_canvas(x, y);
                let hit = if self.can_edit() { self.hit(cx, cy) } else { None };
                self.drag = match hit {
                    Some((id, true)) => Some(Drag::Link { from: id, x: cx, y: cy }),
                    Some((id, false)) if shift => Some(Drag::Link { from: id, x: cx, y: cy }),
                    Some((id, false)) => {
                        self.sel = Sel::Node(id);
                        let n = self.hist.design.node(id).expect("hit");
                        Some(Drag::Node {
                            id,
                            dx: cx - n.x,
                            dy: cy - n.y,
                            x: n.x,
                            y: n.y,
                            moved: false,
                        })
                    }
                    None => {
                        self.sel = Sel::None;
                        Some(Drag::Pan {
                            sx: x,
                            sy: y,
                            tx: self.tx,
                            ty: self.ty,
                        })
                    }
                };
            }
            Msg::Move(x, y) => {
                let (cx, cy) = self.to_canvas(x, y);
                match &mut self.drag {
                    Some(Drag::Node {
                        dx,
                        dy,
                        x: nx,
                        y: ny,
                        moved,
                        ..
                    }) => {
                        (*nx, *ny, *moved) = (cx - *dx, cy - *dy, true);
                    }
                    Some(Drag::Link { x: lx, y: ly, .. }) => (*lx, *ly) = (cx, cy),
                    Some(Drag::Pan { sx, sy, tx, ty }) => {
                        self.tx = *tx + x - *sx;
                        self.ty = *ty + y - *sy;
                        self.draw_dots();
                    }
                    None => return false,
                }
                // only the drawing follows the pointer: no need to rebuild the log or selection
                return true;
            }
            Msg::Up(x, y) => {
                let (cx, cy) = self.to_canvas(x, y);
                match self.drag.take() {
                    Some(Drag::Node {
                        id, x, y, moved: true, ..
                    }) => ctx.link().send_message(Msg::Do(Action::Move { id, x, y })),
                    Some(Drag::Link { from, .. }) => {
                        if let Some((to, _)) = self.hit(cx, cy).filter(|h| h.0 != from) {
                            ctx.link().send_message(Msg::Do(Action::Link { from, to }));
                        }
                    }
                    _ => {}
                }
            }
            Msg::Wheel(dy, x, y) => {
                let (cx, cy) = self.to_canvas(x, y);
                let s = (self.scale * (1.0 - dy.clamp(-100.0, 100.0) / 500.0)).clamp(0.1, 4.0);
                // keep the point under the pointer where it is
                self.tx += (cx * self.scale) - (cx * s);
                self.ty += (cy * self.scale) - (cy * s);
                self.scale = s;
                self.draw_dots();
                return true;
            }
            Msg::Undo => {
                if self.hist.undo() {
                    self.changed();
                }
            }
            Msg::Redo => {
                if self.hist.redo() {
                    self.changed();
                }
            }
            Msg::Delete => match self.sel {
                Sel::Node(id) => {
                    self.sel = Sel::None;
                    ctx.link().send_message(Msg::Do(Action::DeleteNode { id }));
                }
                Sel::Link(index) => {
                    self.sel = Sel::None;
                    ctx.link().send_message(Msg::Do(Action::DeleteLink { index }));
                }
                _ => {}
            },
            Msg::Key(e) => {
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                let k = e.key();
                let editing_key = matches!(k.as_str(), "Delete" | "Backspace" | "z" | "Z" | "y")
                    || (e.shift_key() && k.starts_with("Arrow"));
                if editing_key && !self.can_edit() {
                    return false;
                }
                // Space on a button (or a node, or a log line) presses it, not play/pause
                let on_button = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        el.tag_name() == "BUTTON" || el.get_attribute("role").as_deref() == Some("button")
                    });
                if typing || (on_button && (k == " " || k == "Enter")) {
                    return false;
                }
                let ctrl = e.ctrl_key() || e.meta_key();
                match k.as_str() {
                    "z" | "Z" if ctrl && e.shift_key() => ctx.link().send_message(Msg::Redo),
                    "z" if ctrl => ctx.link().send_message(Msg::Undo),
                    "y" if ctrl => ctx.link().send_message(Msg::Redo),
                    "Delete" | "Backspace" => ctx.link().send_message(Msg::Delete),
                    " " => ctx.link().send_message(Msg::Play(!self.playing)),
                    "ArrowRight" | "ArrowLeft" | "ArrowUp" | "ArrowDown" if e.shift_key() => {
                        let Sel::Node(id) = self.sel else {
                            return false;
                        };
                        let Some(n) = self.hist.design.node(id) else {
                            return false;
                        };
                        let (dx, dy) = match k.as_str() {
                            "ArrowRight" => (20.0, 0.0),
                            "ArrowLeft" => (-20.0, 0.0),
                            "ArrowUp" => (0.0, -20.0),
                            _ => (0.0, 20.0),
                        };
                        let (x, y) = (n.x + dx, n.y + dy);
                        ctx.link().send_message(Msg::Do(Action::Move { id, x, y }));
                    }
                    "ArrowRight" => ctx.link().send_message(Msg::Step(true)),
                    "ArrowLeft" => ctx.link().send_message(Msg::Step(false)),
                    "Escape" => self.sel = Sel::None,
                    _ => return false,
                }
                e.prevent_default();
            }
            Msg::Play(p) => {
                self.playing = p;
                // the log shows more lines when paused than while playing
                self.log = Lines(Rc::new(self.log_lines()));
            }
            Msg::Step(forward) => {
                self.playing = false;
                if forward {
                    let mut next = self.live.timeline.next_moment(self.t + 1e-6);
                    if next.is_none() {
                        if let Some(d) = self.live.next_due() {
                            self.live.advance_to(d);
                            next = self.live.timeline.next_moment(self.t + 1e-6);
                        }
                    }
                    if let Some(n) = next {
                        self.t = n;
                    }
                } else {
                    self.t = self.live.timeline.prev_moment(self.t - 1e-6).unwrap_or(0.0);
                }
                // the simulation at that instant: a frame that lands then has been taken
                self.live.advance_to(self.t as u64);
                self.live.timeline.seek(self.t);
                self.draw_dots();
            }
            Msg::Speed(s) => self.speed = s.clamp(0.25, 8.0),
            Msg::Replay(run) => self.replay(*run),
            Msg::Rewind => {
                // a file's or link's run plays again from its start, while its design is on the canvas
                let fresh = match &self.replayed {
                    Some((d, run)) if d.topology() == self.hist.design.topology() => run.live(),
                    _ => Live::new(self.hist.design.clone()),
                };
                let old = std::mem::replace(&mut self.live, fresh);
                if self.needs_restart.take().is_some() {
                    // the run the change could not join stays one Undo away
                    self.stashed = Some((old.design.clone(), old));
                    self.notice = None;
                }
                self.live_gen += 1;
                self.t = 0.0;
                self.sel = Sel::None;
            }
            Msg::Input(i) => {
                // acting from an earlier moment (after stepping back) replays up to it first
                if (self.t as u64) < self.live.clock() {
                    self.live.rewind(self.t as u64);
                    self.live_gen += 1;
                }
                if let Err(e) = self.live.input(self.t as u64, i) {
                    self.error = Some(e);
                } else {
                    self.error = None;
                }
            }
            Msg::Save => {
                let text = format!("{:#}", self.scenario_with_run());
                download(&format!("{}.json", file_stem(&self.hist.design.name)), &text);
                self.notice = Some(tr(self.lang, "Saved: the file is a scenario `warren trace` can run.").into());
            }
            Msg::ExportDefinitions => {
                let stem = file_stem(&self.hist.design.name);
                self.ask_tools(ctx, ToolJob::Definitions(stem), design_json(&self.hist.design));
            }
            Msg::Share => {
                let frag = warren_engine::share::encode(&self.scenario_with_run());
                let here = web_sys::window()
                    .and_then(|w| {
                        let l = w.location();
                        Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
                    })
                    .unwrap_or_default();
                let url = format!("{here}#{frag}");
                if let Some(w) = web_sys::window() {
                    // best effort: the link is also shown to copy by hand
                    let _ = w.navigator().clipboard().write_text(&url);
                }
                self.share = Some(url);
            }
            Msg::Load(file) => {
                let link = ctx.link().clone();
                let file = gloo::file::File::from(file);
                self.reader = Some(gloo::file::callbacks::read_as_text(&file, move |r| {
                    link.send_message(Msg::Loaded(r.map_err(|e| e.to_string())))
                }));
            }
            Msg::Loaded(r) => {
                self.reader = None;
                match r.and_then(|text| Design::open(&text)) {
                    Ok(Opened::Design(d, run)) => match run.map(|r| warren_model::runfile::read(&d, &r)).transpose() {
                        Ok(run) => {
                            self.opened(ctx, d, Vec::new());
                            if let Some(run) = run {
                                ctx.link().send_message(Msg::Replay(Box::new(run)));
                            }
                        }
                        Err(e) => self.load_failed(&e),
                    },
                    // definitions are imported by the tools worker (the page has no importer)
                    Ok(Opened::Import(v)) => {
                        self.import_steps = Some(v.clone());
                        self.ask_tools(ctx, ToolJob::Import, v)
                    }
                    Err(e) => self.load_failed(&e),
                }
            }
            Msg::Fit => {
                self.fit();
                self.draw_dots();
            }
            Msg::Filter(f) => self.filter = f,
            Msg::Tester(t) => self.tester = t,
            Msg::Error(e) => self.error = Some(e),
            Msg::Present(p) => {
                self.present = p;
                self.fit_pending = true;
            }
            Msg::HashChanged => {
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if hash.len() > 1 {
                    clear_hash();
                    match open_link(self.lang, &hash) {
                        Ok(Opened::Design(d, run)) => {
                            match run.map(|r| warren_model::runfile::read(&d, &r)).transpose() {
                                Ok(run) => {
                                    self.opened_link(ctx, d);
                                    if let Some(run) = run {
                                        ctx.link().send_message(Msg::Replay(Box::new(run)));
                                    }
                                }
                                Err(e) => self.error = Some(link_failed(self.lang, &e)),
                            }
                        }
                        Ok(Opened::Import(v)) => {
                            self.import_steps = Some(v.clone());
                            self.ask_tools(ctx, ToolJob::OpenLink, v)
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
            }
            Msg::Dismiss => {
                self.error = None;
                self.share = None;
            }
            Msg::New => {
                ctx.link().send_message(Msg::Do(Action::Replace(Design::default())));
                self.sel = Sel::None;
            }
            Msg::Tutorial(i) => {
                let Some(all) = self.tutorials.clone() else {
                    // the first one opened: fetch them all (the menu alone is in the page)
                    if self.tutorial_wanted.replace(i).is_none() {
                        let done = ctx.link().callback(Msg::Tutorials);
                        wasm_bindgen_futures::spawn_local(async move { done.emit(fetch_text("tutorials.json").await) });
                    }
                    return true;
                };
                let Some(t) = all.get(i) else {
                    return false;
                };
                let mut d = t.design();
                if self.embed.is_some() || !self.can_edit() {
                    // an embed shows the tutorial without touching history or storage
                    self.hist = History::new(d);
                    self.changed();
                } else {
                    d.name = t.title.get(self.lang).to_string();
                    let _ = Component::update(self, ctx, Msg::Do(Action::Replace(d)));
                    if self.tour.is_none() {
                        self.notice = Some(
                            tr(
                                self.lang,
                                "The tutorial replaced the canvas: Undo (Ctrl+Z) brings yours back.",
                            )
                            .into(),
                        );
                    }
                }
                // from the start, also when the canvas already held this tutorial
                self.live = Live::new(self.hist.design.clone());
                self.live_gen += 1;
                self.t = 0.0;
                self.sel = Sel::None;
                self.playing = true;
                self.fit_pending = true;
                self.tour = Some(Tour {
                    index: i,
                    step: 0,
                    done: false,
                    answer: String::new(),
                    verdict: None,
                });
            }
            Msg::Tutorials(got) => {
                let wanted = self.tutorial_wanted.take();
                match got.and_then(|text| warren_model::tutorial::parse(&text)) {
                    Ok(all) => {
                        self.tutorials = Some(Rc::new(all));
                        if let Some(i) = wanted {
                            return Component::update(self, ctx, Msg::Tutorial(i));
                        }
                    }
                    Err(e) => self.error = Some(format!("{} {e}", tr(self.lang, "The tutorials could not be loaded:"))),
                }
            }
            Msg::TourDo => {
                let Some(tour) = self.tour.clone() else {
                    return false;
                };
                let Some(step) = self.tutorial(tour.index).and_then(|t| t.steps.get(tour.step)) else {
                    return false;
                };
                // acting after stepping back replays up to that moment first (as Input does);
                // later acts are planned a moment after the one before, as a learner clicks
                for (k, act) in step.acts.clone().into_iter().enumerate() {
                    match act.resolve(&self.hist.design) {
                        Ok(Resolved::Input(i)) if k == 0 => {
                            let _ = Component::update(self, ctx, Msg::Input(i));
                        }
                        Ok(Resolved::Input(i)) => {
                            let at = self.t as u64 + k as u64 * warren_model::tutorial::ACT_GAP_MS;
                            self.live.input_at(at, i);
                        }
                        Ok(Resolved::Edit { id, spec }) => {
                            // a tutorial's setting change starts its run again, as its text says
                            let _ = Component::update(self, ctx, Msg::Do(Action::SetSpec { id, spec }));
                            self.live = Live::new(self.hist.design.clone());
                            self.live_gen += 1;
                            self.t = 0.0;
                            self.needs_restart = None;
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                self.playing = true;
                if let Some(t) = &mut self.tour {
                    t.done = true;
                }
            }
            Msg::TourNext => {
                if let Some(t) = &mut self.tour {
                    t.step += 1;
                    t.done = false;
                }
            }
            Msg::TourAnswer(a) => {
                if let Some(t) = &mut self.tour {
                    t.answer = a;
                }
                return false;
            }
            Msg::TourCheck => {
                let lang = self.lang;
                let Some(all) = self.tutorials.clone() else {
                    return false;
                };
                let Some(tour) = &mut self.tour else {
                    return false;
                };
                let Some(q) = all.get(tour.index).map(|t| &t.question) else {
                    return false;
                };
                let shown = q.measure.read(&self.live, self.live.timeline.tally());
                tour.verdict = Some(match tour.answer.trim().parse::<u64>() {
                    Ok(n) if n == shown => (true, format!("{} {}", tr(lang, "Right."), q.why.get(lang))),
                    Ok(_) => (
                        false,
                        format!("{} {}", tr(lang, "Not quite: look at"), q.look.get(lang)),
                    ),
                    Err(_) => (false, tr(lang, "Type a whole number, as the canvas shows it.").into()),
                });
            }
            Msg::TourClose => self.tour = None,
            Msg::Code(on) => {
                self.code = on;
                if self.code_files.as_ref().is_some_and(|c| c.1.is_empty()) {
                    self.code_files = None; // it failed: try again (rendered asks)
                }
            }
            Msg::Overview(on) => self.overview = on,
            Msg::ConsoleKey(e) => {
                let Some(input) = self.console_input.cast::<HtmlInputElement>() else {
                    return false;
                };
                match e.key().as_str() {
                    "Enter" => {
                        let t = self.t as u64;
                        // after a step back the node is read (or changed) as it was at `t`
                        if t < self.live.clock() {
                            self.live.rewind(t);
                            self.live_gen += 1;
                        }
                        self.console.run(&input.value(), |args| self.live.console(t, args));
                        input.set_value("");
                        self.console_scroll = true; // the newest output in view once drawn
                    }
                    "ArrowUp" => {
                        e.prevent_default();
                        if let Some(line) = self.console.up() {
                            input.set_value(line);
                        }
                        return false;
                    }
                    "ArrowDown" => {
                        e.prevent_default();
                        input.set_value(self.console.down());
                        return false;
                    }
                    _ => return false,
                }
            }
            Msg::DownloadCode(name) => {
                if let Some((_, text)) = self.code_files.iter().flat_map(|c| &c.1).find(|f| f.0 == name) {
                    download(&name, text);
                }
            }
            Msg::Tool(text) => {
                let Some((id, outcome)) = warren_model::tools::answer(&text) else {
                    return false;
                };
                let Some(job) = self.tool_jobs.remove(&id) else {
                    return false;
                };
                self.tool_done(ctx, job, outcome);
            }
            Msg::ToolsFailed(why) => {
                // a later job starts the worker again
                self.tools = None;
                let why = format!("{} {why}", tr(self.lang, "The tools could not be started:"));
                for job in std::mem::take(&mut self.tool_jobs).into_iter().map(|(_, j)| j) {
                    self.tool_done(ctx, job, Err(why.clone()));
                }
            }
            Msg::Lang(l) => {
                self.lang = l;
                self.log = Lines(Rc::new(self.log_lines()));
                self.log_version = (self.live_gen, self.live.timeline.version);
                set_document_lang(l);
                if self.embed.is_none() {
                    let _ = LocalStorage::raw().set_item(LANG_KEY, l.tag());
                }
            }
        }
        self.live.timeline.seek(self.t);
        self.related = match self.sel {
            Sel::Msg(m) => related(&self.live, m),
            _ => Vec::new(),
        };
        self.path = self
            .live
            .timeline
            .trips
            .iter()
            .filter(|t| self.related.contains(&t.msg))
            .flat_map(|t| [Some(&t.from), t.to.as_ref()])
            .flatten()
            .filter_map(|p| node_at(&self.live, p))
            .collect();
        self.log = Lines(Rc::new(self.log_lines()));
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let d = &self.hist.design;
        let add = |k: Kind, label: &'static str| {
            html! { <button class="add" onclick={link.callback(move |_| Msg::Add(k))} aria-label={format!("add a {}", k.name())}>{ label }</button> }
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
        let overview = self.overview;
        html! {
            <div class={classes!("studio", self.present.then_some("present"))} tabindex="-1">
                <header>
                    <h1>{ "Warren" }</h1>
                    <Field label="scenario name" bare={true} value={AttrValue::from(d.name.clone())} send={self.send.clone()} target={Target::Title} />
                    <nav class="palette" aria-label="palette">
                        { add(Kind::Producer, tr(l, "+ Producer")) }
                        { add(Kind::Exchange, tr(l, "+ Exchange")) }
                        { add(Kind::Queue, tr(l, "+ Queue")) }
                        { add(Kind::Consumer, tr(l, "+ Consumer")) }
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
                    </nav>
                    <nav class="edit" aria-label="edit">
                        <button onclick={link.callback(|_| Msg::Undo)} disabled={!self.hist.can_undo()} aria-label="undo" title="Undo (Ctrl+Z)">{ tr(l, "Undo") }</button>
                        <button onclick={link.callback(|_| Msg::Redo)} disabled={!self.hist.can_redo()} aria-label="redo" title="Redo (Ctrl+Y)">{ tr(l, "Redo") }</button>
                        <button onclick={link.callback(|_| Msg::Delete)} disabled={matches!(self.sel, Sel::None | Sel::Msg(_))} aria-label="delete selection" title="Delete">{ tr(l, "Delete") }</button>
                        <button onclick={link.callback(|_| Msg::Do(Action::Tidy))} aria-label="tidy layout">{ tr(l, "Tidy") }</button>
                        <button onclick={link.callback(|_| Msg::Fit)} aria-label="fit to screen">{ tr(l, "Fit") }</button>
                        <label><input type="checkbox" checked={d.show_default}
                            onchange={link.callback(|e: Event| Msg::Do(Action::ShowDefault(input_checked(&e))))} />{ tr(l, " default exchange") }</label>
                        <button onclick={link.callback(|_| Msg::New)} aria-label="new empty canvas">{ tr(l, "New") }</button>
                        <button onclick={link.callback(|_| Msg::Save)} aria-label="save scenario file">{ tr(l, "Save") }</button>
                        <button onclick={link.callback(|_| Msg::ExportDefinitions)} aria-label="export RabbitMQ definitions"
                            title="The topology as rabbitmqctl export_definitions prints it">{ tr(l, "Definitions") }</button>
                        <button onclick={link.callback(|_| Msg::Share)} aria-label="share as a link">{ tr(l, "Share") }</button>
                        <button onclick={link.callback(move |_| Msg::Code(!code))} aria-pressed={code.to_string()} aria-label="python code"
                            title="pika scripts for this design, in the style of the RabbitMQ tutorials">{ tr(l, "Python") }</button>
                        <button onclick={link.callback(move |_| Msg::Overview(!overview))} aria-pressed={overview.to_string()} aria-label="overview"
                            title="Totals, message rates, queues and consumers, as the management UI shows them">{ tr(l, "Overview") }</button>
                        <label class="load">{ tr(l, "Load") }
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
                    <div class="notice share">
                        <label>{ tr(self.lang, "Link to this scenario (copied if the browser allowed it) ") }
                            <input readonly=true aria-label="share link" value={url.clone()} /></label>
                        <label>{ tr(self.lang, "Embed it in a page ") }
                            <input readonly=true aria-label="embed snippet" value={embed_snippet(url, &d.name)} /></label>
                        <button onclick={link.callback(|_| Msg::Dismiss)} aria-label="close the link">{ "×" }</button>
                    </div>
                }
                if self.code {
                    { self.code_view(ctx) }
                }
                if self.overview {
                    { self.overview_view(ctx) }
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

impl App {
    /// rabbitmqctl against the simulated broker: what was typed, what it printed, a prompt.
    fn console_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        html! {
            <details class="console" open={!self.console.entries.is_empty()}>
                <summary>{ tr(l, "rabbitmqctl console") }</summary>
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

    /// The design's users and their permissions on vhost `/`: the setup creates them before the
    /// producers and consumers connect (a producer or consumer names its user in the inspector).
    fn users_view(&self, ctx: &Context<Self>) -> Html {
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
            html! { <Field label={label} value={AttrValue::from(value.to_string())} send={self.send.clone()}
            target={Target::User { index, users: users.clone(), set }} /> }
        };
        html! {
            <details class="users" open={!users.is_empty()}>
                <summary>{ tr(l, "Users and permissions") }</summary>
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

    /// The management UI's overview of the simulated broker at the moment shown.
    fn overview_view(&self, ctx: &Context<Self>) -> Html {
        use warren_model::overview::{rate_text, CHART_BINS, CHART_MS};
        let (link, l) = (ctx.link(), self.lang);
        let o = warren_model::overview::at(&self.live, self.t);
        // the chart: three lines over the last 30 s of simulated time
        let (w, h) = (300.0, 70.0);
        let top = o
            .series
            .iter()
            .flat_map(|r| [r.publish, r.deliver, r.ack])
            .fold(1.0f64, f64::max);
        let line = |f: fn(&warren_model::overview::Rates) -> f64| -> String {
            o.series
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let x = w * (i as f64 + 0.5) / CHART_BINS as f64;
                    let y = h - 4.0 - (h - 8.0) * f(r) / top;
                    format!("{},{}", fixed(x, 1), fixed(y, 1))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let total =
            |label: &str, v: String| html! { <div class="total"><span>{ label.to_string() }</span><b>{ v }</b></div> };
        html! {
            <section class="overview" aria-label="overview">
                <p>{ tr(l, "Overview of the simulated broker (vhost /) at this moment; rates over the last 5 s of simulated time.") }
                    <button class="close" onclick={link.callback(|_| Msg::Overview(false))} aria-label="close the overview">{ "×" }</button></p>
                <div class="totals" aria-label="totals">
                    { total(tr(l, "Connections"), o.connections.to_string()) }
                    { total(tr(l, "Channels"), o.channels.to_string()) }
                    { total(tr(l, "Exchanges"), o.exchanges.to_string()) }
                    { total(tr(l, "Queues"), o.queues.to_string()) }
                    { total(tr(l, "Consumers"), o.consumers.to_string()) }
                    { total(tr(l, "Ready"), o.ready.to_string()) }
                    { total(tr(l, "Unacked"), o.unacked.to_string()) }
                    { total(tr(l, "Total"), o.total().to_string()) }
                    { total(tr(l, "Publish"), rate_text(o.rates.publish)) }
                    { total(tr(l, "Deliver"), rate_text(o.rates.deliver)) }
                    { total(tr(l, "Ack"), rate_text(o.rates.ack)) }
                </div>
                <figure class="rates">
                    <svg viewBox={format!("0 0 {} {}", short(w, 0), short(h, 0))} role="img" aria-label={format!("message rates over the last {} s", short(CHART_MS / 1000.0, 0))}>
                        <polyline class="publish" points={line(|r| r.publish)} />
                        <polyline class="deliver" points={line(|r| r.deliver)} />
                        <polyline class="ack" points={line(|r| r.ack)} />
                    </svg>
                    <figcaption><span class="publish">{ tr(l, "publish") }</span>{ " · " }<span class="deliver">{ tr(l, "deliver") }</span>
                        { " · " }<span class="ack">{ tr(l, "ack") }</span>{ format!(" · {} /s · 30 s", rate_text(top).trim_end_matches("/s")) }</figcaption>
                </figure>
                <table aria-label="queues">
                    { head(&[tr(l, "Queue"), tr(l, "Ready"), tr(l, "Unacked"), tr(l, "Total"), tr(l, "Consumers"), tr(l, "incoming"), tr(l, "deliver"), tr(l, "ack")]) }
                    <tbody>{ for o.queue_rows.iter().map(|q| html! {
                        <tr><td>{ q.name.clone() }</td><td>{ q.ready }</td><td>{ q.unacked }</td><td>{ q.ready + q.unacked }</td>
                            <td>{ q.consumers }</td><td>{ rate_text(q.incoming) }</td><td>{ rate_text(q.deliver) }</td><td>{ rate_text(q.ack) }</td></tr>
                    }) }</tbody>
                </table>
                <table aria-label="consumers">
                    { head(&[tr(l, "Consumer"), tr(l, "Queue"), tr(l, "Ack required"), tr(l, "Prefetch"), tr(l, "Unacked"), tr(l, "Utilisation")]) }
                    <tbody>{ for o.consumer_rows.iter().map(|c| {
                        let prefetch = match (c.prefetch, c.global_prefetch) {
                            (0, 0) => tr(l, "unlimited").to_string(),
                            (p, 0) => p.to_string(),
                            (0, g) => format!("{g} (global)"),
                            (p, g) => format!("{p} · {g} (global)"),
                        };
                        let used = c.utilisation.map(|u| format!("{}%", fixed(u * 100.0, 0))).unwrap_or_else(|| "—".into());
                        html! {
                            <tr><td>{ format!("{} ({})", c.client, c.tag) }</td><td>{ c.queue.clone() }</td>
                                <td>{ if c.ack_required { "●" } else { "○" } }</td><td>{ prefetch }</td><td>{ c.unacked }</td>
                                <td><meter min="0" max="1" value={short(c.utilisation.unwrap_or(0.0), 3)} />{ " " }{ used }</td></tr>
                        }
                    }) }</tbody>
                </table>
            </section>
        }
    }

    /// The design as Python (pika) scripts, one per actor, each to read or download.
    fn code_view(&self, ctx: &Context<Self>) -> Html {
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
                    let n = name.clone();
                    html! {
                        <details>
                            <summary>{ name.clone() }{ " " }
                                <button onclick={link.callback(move |_| Msg::DownloadCode(n.clone()))} aria-label={format!("download {name}")}>{ tr(l, "Download") }</button></summary>
                            <pre>{ text }</pre>
                        </details>
                    }
                }) }
            </section>
        }
    }

    /// The tutorial in progress: its step (what to do, then what to watch), or its question.
    fn tour_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        let Some((tour, t)) = self
            .tour
            .as_ref()
            .and_then(|tour| Some((tour, self.tutorial(tour.index)?)))
        else {
            return match self.tutorial_wanted.and_then(|i| INDEX.get(i)) {
                Some(e) => html! {
                    <section class="tutorial" aria-label="tutorial">
                        <h2>{ e.title.get(l) }</h2>
                        <p class="loading" role="status">{ tr(l, "Loading the tutorial…") }</p>
                    </section>
                },
                None => html! {},
            };
        };
        let (n, index) = (t.steps.len(), tour.index);
        let body = match t.steps.get(tour.step) {
            Some(step) => {
                let acts: Vec<String> = step.acts.iter().map(|a| a.label(l)).collect();
                html! {<>
                    <p class="step-count">{ format!("{} {} / {}", tr(l, "Step"), tour.step + 1, n) }</p>
                    <p class="say">{ step.say.get(l) }</p>
                    if !tour.done {
                        <button class="do" onclick={link.callback(|_| Msg::TourDo)} aria-label="run this step">{ format!("▶ {}", acts.join(", ")) }</button>
                    } else {
                        <p class="watch"><strong>{ tr(l, "Watch:") }</strong>{ " " }{ step.watch.get(l) }</p>
                        <button class="next" onclick={link.callback(|_| Msg::TourNext)} aria-label="next step">
                            { if tour.step + 1 < n { tr(l, "Next step →") } else { tr(l, "The question →") } }</button>
                    }
                </>}
            }
            None => html! {<>
                <p class="ask">{ t.question.ask.get(l) }</p>
                <input class="answer" inputmode="numeric" aria-label="your answer"
                    oninput={link.callback(|e: InputEvent| Msg::TourAnswer(e.target_unchecked_into::<HtmlInputElement>().value()))}
                    onkeydown={link.batch_callback(|e: KeyboardEvent| (e.key() == "Enter").then_some(Msg::TourCheck))} />
                <button class="check" onclick={link.callback(|_| Msg::TourCheck)} aria-label="check the answer">{ tr(l, "Check on the canvas") }</button>
                if let Some((right, text)) = &tour.verdict {
                    <p class={classes!("verdict", if *right { "right" } else { "wrong" })} role="status">{ text.clone() }</p>
                }
            </>},
        };
        html! {
            <section class="tutorial" aria-label="tutorial">
                <h2>{ t.title.get(l) }
                    <button class="close" onclick={link.callback(|_| Msg::TourClose)} aria-label="close the tutorial">{ "×" }</button></h2>
                if tour.step == 0 && !tour.done { <p class="intro">{ t.intro.get(l) }</p> }
                { body }
                if tour.step > 0 || tour.done {
                    <button class="again" onclick={link.callback(move |_| Msg::Tutorial(index))} aria-label="start the tutorial over">{ tr(l, "Start over") }</button>
                }
            </section>
        }
    }

    /// Play, pause, step, speed, restarts, the clock (the full page and the embed share them).
    fn controls(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let present = self.present;
        html! {
                <section class="controls" aria-label="playback">
                    if self.playing {
                        <button onclick={link.callback(|_| Msg::Play(false))} aria-label="pause">{ tr(l, "Pause") }</button>
                    } else {
                        <button onclick={link.callback(|_| Msg::Play(true))} aria-label="play">{ tr(l, "Play") }</button>
                    }
                    <button onclick={link.callback(|_| Msg::Step(false))} aria-label="step back" title="Step back (←)">{ tr(l, "← Back") }</button>
                    <button onclick={link.callback(|_| Msg::Step(true))} aria-label="step forward" title="Step forward (→)">{ tr(l, "Step →") }</button>
                    <label>{ tr(l, "Speed ") }
                        // an option's value is its place in SPEEDS: parsing a float would bring
                        // core's decimal-to-float tables into the page (about 10 KB gzip'd)
                        <select aria-label="speed" onchange={link.batch_callback(|e: Event| input_value(&e).parse::<usize>().ok().and_then(|i| SPEEDS.get(i)).map(|s| Msg::Speed(*s)))}>
                            { for SPEEDS.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={*s == self.speed}>{ format!("{}x", short(*s, 2)) }</option> }) }
                        </select>
                    </label>
                    <button onclick={link.callback(|_| Msg::Rewind)} aria-label="restart from the same seed">{ tr(l, "↺ Restart") }</button>
                    <button onclick={link.callback(|_| Msg::Input(Input::Restart))} aria-label="restart the broker">{ tr(l, "⚡ Broker restart") }</button>
                    if self.embed.is_none() {
                        <button onclick={link.callback(move |_| Msg::Present(!present))} aria-pressed={present.to_string()}
                            aria-label="presentation mode" title="Large type, high contrast, the canvas alone">{ if present { tr(l, "Exit presentation") } else { tr(l, "Present") } }</button>
                    }
                    <span class="clock" ref={self.clock.clone()} aria-label="simulated time">{ clock_text(self.t) }</span>
                    if self.embed.is_some() {
                        // an embedded design publishes from its bar (it has no inspector)
                        { for self.hist.design.nodes.iter().filter(|n| n.kind() == Kind::Producer).map(|n| {
                            let id = n.id;
                            html! { <button class="publish" onclick={link.callback(move |_| Msg::Input(Input::Publish(id)))}
                                aria-label={format!("publish from {}", n.name)}>{ format!("▶ {}", n.name) }</button> }
                        }) }
                    }
                </section>
        }
    }

    /// A node being dragged: its id and where it is (floats as bits, to compare exactly).
    fn dragged_key(&self) -> Option<(Id, u32, u32)> {
        match &self.drag {
            Some(Drag::Node { id, x, y, .. }) => Some((*id, x.to_bits(), y.to_bits())),
            _ => None,
        }
    }

    /// Where a node is drawn: a dragged node where the pointer is.
    fn shown_at(&self, n: &Node) -> (f32, f32) {
        match &self.drag {
            Some(Drag::Node { id, x, y, .. }) if *id == n.id => (*x, *y),
            _ => (n.x, n.y),
        }
    }

    /// The links, drawn anew only when the design, the dragged node or the selected link
    /// changes (not when counts do): kept in `edges_cache`, and a component of their own that
    /// the page's other renders pass over without comparing its 500 links one by one.
    /// The links that stand for a binding (exchange to queue or exchange) the broker does not
    /// have at the instant shown.
    fn lost_bindings(&self) -> Vec<usize> {
        let d = &self.hist.design;
        let tally = self.live.timeline.tally();
        d.links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let (Some(a), Some(b)) = (d.node(l.from), d.node(l.to)) else {
                    return false;
                };
                if a.kind() != Kind::Exchange || !matches!(b.kind(), Kind::Queue | Kind::Exchange) {
                    return false;
                }
                let dest = if b.kind() == Kind::Queue {
                    self.live.real_queue(&b.name)
                } else {
                    b.name.clone()
                };
                !tally.bound(&a.name, &dest, &l.key)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn edges_view(&self) -> Html {
        let d = &self.hist.design;
        let gone = self.lost_bindings();
        let key = EdgesKey {
            design_gen: self.design_gen,
            dragged: self.dragged_key(),
            sel: match self.sel {
                Sel::Link(i) => Some(i),
                _ => None,
            },
            gone,
        };
        let version = match &*self.edges_cache.borrow() {
            Some((k, props)) if *k == key => return html! { <Edges ..props.clone() /> },
            Some((_, props)) => props.version + 1,
            None => 0,
        };
        let pos = |n: &Node| self.shown_at(n);
        let mut by_id: Vec<(Id, &Node)> = d.nodes.iter().map(|n| (n.id, n)).collect();
        warren_engine::sort::sort_by_key(&mut by_id, |e| e.0);
        let node = |id: Id| by_id.binary_search_by_key(&id, |e| e.0).ok().map(|i| by_id[i].1);
        let at = |id: Id| node(id).map(pos);
        let mut edges = Vec::new();
        let mut parallel: warren_engine::names::VecMap<(Id, Id), f32> = warren_engine::names::VecMap::new();
        for (i, l) in d.links.iter().enumerate() {
            let (Some((x0, y0)), Some((x1, y1)), Some(a), Some(b)) = (at(l.from), at(l.to), node(l.from), node(l.to))
            else {
                continue;
            };
            // a producer linked to a queue publishes through the default exchange
            let (x0, y0) = if d.show_default && a.kind() == Kind::Producer && b.kind() == Kind::Queue {
                default_exchange_at(d)
            } else {
                (x0, y0)
            };
            // several bindings between the same two nodes: their labels stack
            let nth = parallel.entry((l.from, l.to)).or_default();
            let label = if !l.arguments.is_empty() {
                l.arguments
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                l.key.clone()
            };
            let gone = key.gone.contains(&i);
            let e = EdgeProps {
                index: i,
                line: (x0, y0, x1, y1),
                label_dy: 14.0 * *nth,
                gone,
                aria: format!(
                    "link {} to {}{}{}",
                    a.name,
                    b.name,
                    if label.is_empty() {
                        String::new()
                    } else {
                        format!(" with key {label}")
                    },
                    if gone { ", not on the broker" } else { "" }
                ),
                label: label.into(),
                selected: self.sel == Sel::Link(i),
                onselect: self.select_link.clone(),
            };
            *nth += 1.0;
            edges.push(html! { <EdgeView ..e /> });
        }
        if d.show_default {
            let (dx, dy) = default_exchange_at(d);
            // a producer linked to a queue publishes to the default exchange: that leg too
            for p in d.nodes.iter().filter(|n| n.kind() == Kind::Producer) {
                if d.producer_target(p.id).is_some_and(|t| t.0.is_empty()) {
                    let (px, py) = pos(p);
                    edges.push(html! {
                        <g class="edge implicit" aria-label={format!("{} publishes to the default exchange", p.name)}>
                            <line x1={coord(px)} y1={coord(py)} x2={coord(dx)} y2={coord(dy)} />
                        </g>
                    });
                }
            }
            for q in d.nodes.iter().filter(|n| n.kind() == Kind::Queue) {
                let (qx, qy) = pos(q);
                edges.push(html! {
                    <g class="edge implicit" aria-label={format!("implicit binding of queue {} with key {}", q.name, q.name)}>
                        <line x1={coord(dx)} y1={coord(dy)} x2={coord(qx)} y2={coord(qy)} />
                    </g>
                });
            }
        }
        // the ways with no link: dead letters and RPC replies, dashed
        for (from, to, kind) in d.implied_paths() {
            let (Some((x0, y0)), Some((x1, y1)), Some(a), Some(b)) = (at(from), at(to), node(from), node(to)) else {
                continue;
            };
            let (class, aria) = match kind {
                warren_model::design::Implied::DeadLetter => {
                    ("dead-letter", format!("dead letters of {} go to {}", a.name, b.name))
                }
                warren_model::design::Implied::Reply => ("reply", format!("{} replies to {}", a.name, b.name)),
            };
            edges.push(html! {
                <g class={classes!("edge", "implied", class)} aria-label={aria}>
                    <line x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
                </g>
            });
        }
        let props = EdgesProps {
            version,
            edges: edges.into_iter().collect(),
        };
        *self.edges_cache.borrow_mut() = Some((key, props.clone()));
        html! { <Edges ..props /> }
    }

    fn canvas_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let d = &self.hist.design;
        let tally = self.live.timeline.tally();
        let pos = |n: &Node| self.shown_at(n);
        let at = |id: Id| d.node(id).map(pos);
        let edges = self.edges_view();
        let nodes = d.nodes.iter().map(|n| {
            let (x, y) = pos(n);
            let state = match &n.spec {
                Spec::Queue(_) => {
                    let real = self.live.real_queue(&n.name);
                    let (ready, unacked) = tally.queue(&real);
                    NodeState::Queue {
                        live: tally.queues.contains_key(&real),
                        ready,
                        unacked,
                        // a server-named queue: the name the broker gave it, as the log says it
                        broker_name: (real != n.name && !real.is_empty()).then(|| AttrValue::from(real.clone())),
                    }
                }
                Spec::Consumer(c) => NodeState::Consumer {
                    unacked: tally.consumer(&n.name, &n.name),
                    prefetch: c.prefetch,
                    auto_ack: c.auto_ack,
                    got: tally.got(&n.name),
                    stopped: self.live.stopped_at(n.id, self.t as u64),
                    consuming: tally.consuming(&n.name, &n.name),
                },
                Spec::Exchange(x) => NodeState::Exchange(x.kind.as_str().into(), tally.exchange(&n.name)),
                Spec::Producer(_) => NodeState::Producer(producer_counts(tally, &n.name).into()),
            };
            html! { <NodeView key={n.id} id={n.id} name={AttrValue::from(n.name.clone())} x={x} y={y}
            selected={self.sel == Sel::Node(n.id)} on_path={self.path.contains(&n.id)} state={state} onselect={self.select_node.clone()} lang={self.lang} /> }
        });
        let drawing = match &self.drag {
            Some(Drag::Link { from, x, y }) => at(*from).map(|(x0, y0)| {
                html! { <line class="drawing" x1={coord(x0)} y1={coord(y0)} x2={coord(*x)} y2={coord(*y)} /> }
            }),
            _ => None,
        };
        let default_x = d.show_default.then(|| {
            let (x, y) = default_exchange_at(d);
            html! {
                <g class="node exchange default" aria-label="direct exchange (default)">
                    <polygon points={diamond(x, y)} />
                    <text x={coord(x)} y={coord(y + 4.0)} class="label">{ tr(self.lang, "(default)") }</text>
                </g>
            }
        });
        let point = |e: &PointerEvent| (e.client_x() as f32, e.client_y() as f32);
        html! {
            <div class="canvas">
                <svg id="diagram" ref={self.svg.clone()} role="application" aria-label="broker canvas: drag nodes to move them, drag from a node's handle to link it"
                    onpointerdown={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Down(x, y, e.shift_key()) })}
                    onpointermove={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Move(x, y) })}
                    onpointerup={link.callback(move |e: PointerEvent| { let (x, y) = point(&e); Msg::Up(x, y) })}
                    onwheel={link.callback(|e: WheelEvent| { Msg::Wheel(e.delta_y() as f32, e.client_x() as f32, e.client_y() as f32) })}>
                    <g transform={format!("translate({} {}) scale({})", coord(self.tx), coord(self.ty), short(self.scale as f64, 4))}>
                        { edges }
                        { for default_x }
                        { for nodes }
                        { for drawing }
                    </g>
                </svg>
                <canvas id="counts" ref={self.counts_canvas.clone()} aria-hidden="true"></canvas>
                <canvas id="dots" ref={self.canvas.clone()} aria-hidden="true"></canvas>
            </div>
        }
    }

    fn inspector(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let l = self.lang;
        let d = &self.hist.design;
        match self.sel {
            Sel::Node(id) => {
                let Some(n) = d.node(id) else {
                    return html! {};
                };
                let spec = n.spec.clone();
                // fields that edit the spec: parse the input, change a copy, apply it
                let send = self.send.clone();
                let field = |label: &'static str, value: String, f: fn(&mut Spec, &str) -> Result<(), String>| {
                    html! { <Field label={label} value={AttrValue::from(value)} send={send.clone()}
                    target={Target::Spec { id, spec: spec.clone(), set: f }} /> }
                };
                let check = |label: &'static str, value: bool, f: fn(&mut Spec, bool)| {
                    html! { <Field label={label} checkbox={Some(value)} send={send.clone()}
                    target={Target::Check { id, spec: spec.clone(), set: f }} /> }
                };
                fn num<T: std::str::FromStr>(v: &str) -> Result<T, String> {
                    v.trim().parse().map_err(|_| format!("'{v}' is not a number in range"))
                }
                fn opt<T: std::str::FromStr>(v: &str) -> Result<Option<T>, String> {
                    if v.trim().is_empty() {
                        Ok(None)
                    } else {
                        num(v).map(Some)
                    }
                }
                let fields = match &n.spec {
                    Spec::Producer(p) => html! {<>
                        <button class="publish" onclick={link.callback(move |_| Msg::Input(Input::Publish(id)))}
                            aria-label={format!("publish from {}", n.name)}>{ if p.burst > 1 { format!("{} {}", tr(l, "Publish"), p.burst) } else { tr(l, "Publish").into() } }</button>
                        if d.producer_target(id).is_some_and(|t| t.0.is_empty()) {
                            <p class="hint">{ tr(l, "Linked to a queue: publishes through the default exchange with the queue's name as routing key.") }</p>
                        } else {
                            { field(tr(l, "routing key"), p.routing_key.clone(), |s, v| { if let Spec::Producer(p) = s { p.routing_key = v.into() } Ok(()) }) }
                        }
                        { field(tr(l, "body"), p.body.clone(), |s, v| { if let Spec::Producer(p) = s { p.body = v.into() } Ok(()) }) }
                        { field(tr(l, "burst"), p.burst.to_string(), |s, v| { if let Spec::Producer(p) = s { p.burst = num(v)? } Ok(()) }) }
                        { field(tr(l, "every ms (0 = on click)"), p.every_ms.to_string(), |s, v| { if let Spec::Producer(p) = s { p.every_ms = num(v)? } Ok(()) }) }
                        { check(tr(l, "persistent (delivery_mode 2)"), p.persistent, |s, v| { if let Spec::Producer(p) = s { p.persistent = v } }) }
                        { check(tr(l, "mandatory"), p.mandatory, |s, v| { if let Spec::Producer(p) = s { p.mandatory = v } }) }
                        { check(tr(l, "publisher confirms"), p.confirm, |s, v| { if let Spec::Producer(p) = s { p.confirm = v } }) }
                        { field(tr(l, "correlation id"), p.correlation_id.clone(), |s, v| { if let Spec::Producer(p) = s { p.correlation_id = v.into() } Ok(()) }) }
                        { field(tr(l, "reply to"), p.reply_to.clone(), |s, v| { if let Spec::Producer(p) = s { p.reply_to = v.into() } Ok(()) }) }
                        if p.reply_to == warren_model::design::DIRECT_REPLY_TO {
                            <p class="hint">{ tr(l, "Direct reply-to: it consumes amq.rabbitmq.reply-to itself; replies come straight back, through no queue.") }</p>
                        }
                        { field(tr(l, "expiration ms"), p.expiration.clone(), |s, v| { if let Spec::Producer(p) = s { if !v.is_empty() { num::<u32>(v)?; } p.expiration = v.into() } Ok(()) }) }
                        { field(tr(l, "priority"), p.priority.map(|p| p.to_string()).unwrap_or_default(), |s, v| { if let Spec::Producer(p) = s { p.priority = opt(v)? } Ok(()) }) }
                        { field(tr(l, "headers (k=v, …)"), p.headers.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "), |s, v| {
                            if let Spec::Producer(p) = s { p.headers = pairs(v)? } Ok(()) }) }
                        { field(tr(l, "user (empty: guest)"), p.user.clone(), |s, v| { if let Spec::Producer(p) = s { p.user = v.trim().into() } Ok(()) }) }
                        { field(tr(l, "password"), p.password.clone(), |s, v| { if let Spec::Producer(p) = s { p.password = v.into() } Ok(()) }) }
                    </>},
                    Spec::Exchange(x) => {
                        let spec2 = spec.clone();
                        let kind_cb = link.callback(move |e: Event| {
                            let mut s = spec2.clone();
                            if let Spec::Exchange(x) = &mut s {
                                x.kind = input_value(&e);
                            }
                            Msg::Do(Action::SetSpec { id, spec: s })
                        });
                        let tester = self.tester_view(ctx, &n.name);
                        html! {<>
                            <label>{ tr(l, "type") }<select aria-label="exchange type" onchange={kind_cb}>
                                { for ["direct", "fanout", "topic", "headers"].iter().map(|k| html! { <option value={*k} selected={x.kind == *k}>{ *k }</option> }) }
                            </select></label>
                            { check(tr(l, "durable"), x.durable, |s, v| { if let Spec::Exchange(x) = s { x.durable = v } }) }
                            { field(tr(l, "alternate exchange"), x.alternate_exchange.clone().unwrap_or_default(), |s, v| {
                                if let Spec::Exchange(x) = s { x.alternate_exchange = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                            { tester }
                        </>}
                    }
                    Spec::Queue(q) => html! {<>
                        { check(tr(l, "durable"), q.durable, |s, v| { if let Spec::Queue(q) = s { q.durable = v } }) }
                        { check(tr(l, "exclusive"), q.exclusive, |s, v| { if let Spec::Queue(q) = s { q.exclusive = v } }) }
                        { check(tr(l, "auto-delete"), q.auto_delete, |s, v| { if let Spec::Queue(q) = s { q.auto_delete = v } }) }
                        { field(tr(l, "x-message-ttl ms"), q.message_ttl.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.message_ttl = opt(v)? } Ok(()) }) }
                        { field(tr(l, "x-max-length"), q.max_length.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.max_length = opt(v)? } Ok(()) }) }
                        { field(tr(l, "x-overflow"), q.overflow.clone(), |s, v| { if let Spec::Queue(q) = s { q.overflow = v.into() } Ok(()) }) }
                        { field(tr(l, "x-dead-letter-exchange"), q.dead_letter_exchange.clone().unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.dead_letter_exchange = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                        { field(tr(l, "x-dead-letter-routing-key"), q.dead_letter_routing_key.clone().unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.dead_letter_routing_key = (!v.is_empty()).then(|| v.to_string()) } Ok(()) }) }
                        { field(tr(l, "x-max-priority"), q.max_priority.map(|v| v.to_string()).unwrap_or_default(), |s, v| { if let Spec::Queue(q) = s { q.max_priority = opt(v)? } Ok(()) }) }
                    </>},
                    Spec::Consumer(c) => html! {<>
                        if self.live.stopped_at(id, self.t as u64) {
                            <p class="hint">{ tr(l, "Stopped: its connection is closed and its unacked messages went back to the queue.") }</p>
                            <button class="start" onclick={link.callback(move |_| Msg::Input(Input::Start(id)))}
                                aria-label={format!("start {}", n.name)}>{ tr(l, "Start (run its script again)") }</button>
                        } else {
                            <button class="stop" onclick={link.callback(move |_| Msg::Input(Input::Stop(id)))}
                                aria-label={format!("stop {}", n.name)}>{ tr(l, "Stop (its client dies)") }</button>
                        }
                        { field(tr(l, "prefetch"), c.prefetch.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.prefetch = num(v)? } Ok(()) }) }
                        { check(tr(l, "auto-ack"), c.auto_ack, |s, v| { if let Spec::Consumer(c) = s { c.auto_ack = v } }) }
                        { field(tr(l, "processing ms"), c.processing_ms.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.processing_ms = num(v)? } Ok(()) }) }
                        { field(tr(l, "failure %"), c.failure_pct.to_string(), |s, v| { if let Spec::Consumer(c) = s { c.failure_pct = num(v)? } Ok(()) }) }
                        { check(tr(l, "on failure: reject (else nack)"), c.on_failure == OnFailure::Reject, |s, v| { if let Spec::Consumer(c) = s { c.on_failure = if v { OnFailure::Reject } else { OnFailure::Nack } } }) }
                        { check(tr(l, "requeue on failure"), c.requeue, |s, v| { if let Spec::Consumer(c) = s { c.requeue = v } }) }
                        { check(tr(l, "RPC server: reply to reply_to"), c.reply, |s, v| { if let Spec::Consumer(c) = s { c.reply = v } }) }
                        { field(tr(l, "user (empty: guest)"), c.user.clone(), |s, v| { if let Spec::Consumer(c) = s { c.user = v.trim().into() } Ok(()) }) }
                        { field(tr(l, "password"), c.password.clone(), |s, v| { if let Spec::Consumer(c) = s { c.password = v.into() } Ok(()) }) }
                    </>},
                };
                html! {
                    <section class="inspector" aria-label="inspector">
                        <h2>{ format!("{} {}", tr(self.lang, n.kind().name()), n.name) }</h2>
                        <Field label={tr(self.lang, "name")} value={AttrValue::from(n.name.clone())} send={self.send.clone()} target={Target::Rename(id)} />
                        { self.link_to(ctx, n) }
                        { fields }
                    </section>
                }
            }
            Sel::Link(i) => {
                let Some(l) = d.links.get(i) else {
                    return html! {};
                };
                let (a, b) = (d.node(l.from), d.node(l.to));
                let is_binding = a.is_some_and(|a| a.kind() == Kind::Exchange);
                html! {
                    <section class="inspector" aria-label="inspector">
                        <h2>{ format!("link {} → {}", a.map(|n| n.name.as_str()).unwrap_or("?"), b.map(|n| n.name.as_str()).unwrap_or("?")) }</h2>
                        if is_binding {
                            <Field label={tr(self.lang, "binding key")} value={AttrValue::from(l.key.clone())} send={self.send.clone()}
                                target={Target::LinkKey { index: i, arguments: l.arguments.clone() }} />
                            <Field label={tr(self.lang, "headers arguments (x-match=all, k=v, …)")} send={self.send.clone()}
                                value={AttrValue::from(l.arguments.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))}
                                target={Target::LinkArgs { index: i, key: l.key.clone() }} />
                        } else {
                            <p>{ tr(self.lang, "This link has no settings: a producer's routing key is set on the producer.") }</p>
                        }
                    </section>
                }
            }
            Sel::Msg(m) => self.message_view(m),
            Sel::None if self.touring() => html! {},
            Sel::None => html! {
                <section class="inspector" aria-label="inspector">
                    <h2>{ tr(self.lang, "How to") }</h2>
                    <p>{ tr(self.lang, "Add nodes from the palette, drag them to move, drag from a node's round handle onto another node to link it (producer → exchange or queue, exchange → queue or exchange, queue → consumer). Select a producer and press Publish. Click an event in the log to follow its message.") }</p>
                </section>
            },
        }
    }

    /// Link this node to another, from the keyboard (the same as dragging from its handle).
    fn link_to(&self, ctx: &Context<Self>, n: &Node) -> Html {
        let d = &self.hist.design;
        let ok = |to: &Node| match (n.kind(), to.kind()) {
            (Kind::Producer, Kind::Exchange | Kind::Queue) | (Kind::Queue, Kind::Consumer) => true,
            (Kind::Exchange, Kind::Queue | Kind::Exchange) => to.id != n.id,
            (Kind::Consumer, Kind::Queue) => true,
            _ => false,
        };
        let targets: Vec<&Node> = d.nodes.iter().filter(|t| ok(t)).collect();
        if targets.is_empty() {
            return html! {};
        }
        let from = n.id;
        let onchange = ctx.link().batch_callback(move |e: Event| {
            let v = input_value(&e);
            v.parse::<Id>().ok().map(|to| Msg::Do(Action::Link { from, to }))
        });
        html! {
            <label>{ tr(self.lang, "link to") }
                <select aria-label="link to" {onchange}>
                    <option value="" selected=true>{ tr(self.lang, "choose a node…") }</option>
                    { for targets.iter().map(|t| html! { <option value={t.id.to_string()}>{ format!("{} {}", t.kind().name(), t.name) }</option> }) }
                </select>
            </label>
        }
    }

    /// A topic tester: type a routing key (and headers), see which bindings of the exchange match.
    fn tester_view(&self, ctx: &Context<Self>, exchange: &str) -> Html {
        let Some(x) = self.live.broker().exchange(exchange) else {
            return html! { <p>{ tr(self.lang, "This exchange is not on the broker (see the log for why).") }</p> };
        };
        let key: warren_engine::Name = self.tester.as_str().into();
        let rows = x.bindings.iter().map(|b| {
            let (hit, why) = warren_model::explain::binding_of(self.lang, x, b, std::slice::from_ref(&key), None);
            let to = self.live.canvas_queue(b.dest.name());
            html! { <li class={if hit { "match" } else { "miss" }}>{ format!("{} {} → {to}", if hit { "✔" } else { "✘" }, b.key) }
                <br /><small>{ why }</small></li> }
        });
        html! {
            <div class="tester">
                <label>{ tr(self.lang, "test a routing key") }<input aria-label="test routing key" value={self.tester.clone()}
                    oninput={ctx.link().callback(|e: InputEvent| Msg::Tester(e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()))} /></label>
                <ul aria-label="bindings that match">{ for rows }</ul>
            </div>
        }
    }

    /// A message: its properties, its path, and why each binding of its exchange matched or not.
    fn message_view(&self, m: MsgId) -> Html {
        let tl = &self.live.timeline;
        let path: Vec<String> = tl
            .events
            .iter()
            .filter(|e| e.at as f64 <= self.t && messages_of(&e.kind).contains(&m))
            .filter_map(|e| describe_in(self.lang, &e.kind, &tl.names).map(|d| d.1))
            .collect();
        let published = tl.events.iter().find_map(|e| match &e.kind {
            warren_engine::EventKind::Published { msg, message, .. } if *msg == m => Some(message.clone()),
            warren_engine::EventKind::DeadLettered { new_msg, message, .. } if *new_msg == m => Some(message.clone()),
            _ => None,
        });
        let why = published.as_ref().and_then(|msg| {
            if msg.exchange.is_empty() {
                return Some(html! { <p>{ format!("The default exchange binds every queue by its name: key '{}' goes to the queue of that name, if there is one.", msg.routing_key()) }</p> });
            }
            let x = self.live.broker().exchange(&msg.exchange)?;
            let rows: Vec<Html> = x
                .bindings
                .iter()
                .map(|b| {
                    let (hit, why) = warren_model::explain::binding_of(
                        self.lang,
                        x,
                        b,
                        &msg.routing_keys,
                        msg.properties.headers.as_ref(),
                    );
                    let to = self.live.canvas_queue(b.dest.name());
                    html! { <li class={if hit { "match" } else { "miss" }}>{ format!("{} → {to}: {why}", if hit { tr(self.lang, "✔ matched") } else { tr(self.lang, "✘ no match") }) }</li> }
                })
                .collect();
            Some(html! { <><h3>{ format!("{} '{}' ({})", tr(self.lang, "bindings of"), msg.exchange, x.kind.name()) }</h3><ul>{ for rows }</ul></> })
        });
        html! {
            <section class="inspector" aria-label="inspector">
                <h2>{ format!("{} #{}", tr(self.lang, "message"), m.0) }</h2>
                if let Some(msg) = &published {
                    <p>{ format!("{} '{}', {} \"{}\"", tr(self.lang, "routing key"), msg.routing_key(), tr(self.lang, "body"), msg.body_text()) }</p>
                    if *msg.properties != warren_engine::Properties::default() {
                        <pre class="props">{ msg.properties.to_trace_json().to_string() }</pre>
                    }
                }
                { for why }
                if self.related.len() > 1 {
                    <p class="pair">{ format!("{} {}", tr(self.lang, "Goes with:"), self.related[1..].iter().map(|m| format!("#{}", m.0)).collect::<Vec<_>>().join(", ")) }
                        { if published.as_ref().is_some_and(|p| p.properties.correlation_id.is_some()) { tr(self.lang, " (same correlation id: the RPC request and its reply; highlighted on the canvas and in the log)") } else { tr(self.lang, " (highlighted)") } }</p>
                }
                <h3>{ tr(self.lang, "path") }</h3>
                <ol>{ for path.into_iter().map(|p| html! { <li>{ p }</li> }) }</ol>
            </section>
        }
    }

    /// The newest log lines (at most LOG_LINES, or LOG_LINES_PLAYING while playing, matching the filter): only those are formatted,
    /// however long the run.
    fn log_lines(&self) -> Vec<LogLine> {
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

    fn log_view(&self, ctx: &Context<Self>) -> Html {
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
pub struct Lines(Rc<Vec<LogLine>>);
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
fn log_list(p: &LogProps) -> Html {
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

/// What a node shows besides its name (compared to skip re-drawing unchanged nodes).
#[derive(Clone, Debug, PartialEq)]
pub enum NodeState {
    /// What came back to it: publisher confirms, returns, replies (empty if nothing).
    Producer(AttrValue),
    /// Its type, and whether the broker has it.
    Exchange(AttrValue, bool),
    Queue {
        live: bool,
        ready: u64,
        unacked: u64,
        /// The broker's name for a server-named queue (`amq.gen-…`), once declared.
        broker_name: Option<AttrValue>,
    },
    Consumer {
        unacked: u64,
        prefetch: u16,
        auto_ack: bool,
        /// Deliveries received in all.
        got: u64,
        /// Its client was stopped (connection closed).
        stopped: bool,
        /// It is subscribed to its queue (not after its queue or connection went, say).
        consuming: bool,
    },
}

/// How many prefetch slots a consumer's node shows (none for auto-ack, no limit, or over 12).
fn prefetch_slots(prefetch: u16, auto_ack: bool) -> u64 {
    if prefetch == 0 || prefetch > 12 || auto_ack {
        0
    } else {
        prefetch as u64
    }
}

/// The side of a prefetch slot, and its colour when full.
const SLOT: f32 = 12.0;

/// A coordinate in the canvas's SVG, to a hundredth of a unit (`12.5`, `40`): without core's
/// float printing, which the page leaves out ([`warren_engine::num`]).
fn coord(x: f32) -> String {
    short(x as f64, 2)
}

/// The points of an exchange's diamond centred on (`x`, `y`).
fn diamond(x: f32, y: f32) -> String {
    [(x, y - 30.0), (x + 70.0, y), (x, y + 30.0), (x - 70.0, y)]
        .map(|(a, b)| format!("{},{}", coord(a), coord(b)))
        .join(" ")
}
const SLOT_FULL: &str = "#2e8540";
/// The counts layer's text.
const COUNTS_INK: &str = "#4a5263";

/// Where slot `i` of a consumer at (`x`, `y`) with `slots` slots is (its top left corner).
fn slot_at(x: f32, y: f32, slots: u64, i: u64) -> (f32, f32) {
    (x - 8.0 * slots as f32 + 16.0 * i as f32 + 2.0, y - 6.0)
}

/// What came back to a producer, as its node shows it: `acks 2 · returned 1 · replies 3`.
fn producer_counts(tally: &warren_model::timeline::Tally, name: &str) -> String {
    let mut parts = Vec::new();
    if let Some((acks, nacks)) = tally.confirms.get(name) {
        parts.push(format!("acks {acks}"));
        if *nacks > 0 {
            parts.push(format!("nacks {nacks}"));
        }
    }
    if let Some(r) = tally.returned.get(name) {
        parts.push(format!("returned {r}"));
    }
    let got = tally.got(name);
    if got > 0 {
        parts.push(format!("replies {got}"));
    }
    parts.join(" · ")
}

#[derive(Properties, Clone, PartialEq)]
pub struct NodeProps {
    pub id: Id,
    pub name: AttrValue,
    pub x: f32,
    pub y: f32,
    pub selected: bool,
    /// On the path of the selected message (and the messages that go with it).
    #[prop_or_default]
    pub on_path: bool,
    pub state: NodeState,
    pub onselect: Callback<Id>,
    pub lang: Lang,
}

/// One node: its shape, name and state, and (but for consumers) the handle links are drawn from.
#[function_component(NodeView)]
fn node_view(p: &NodeProps) -> Html {
    let (x, y, name) = (p.x, p.y, &p.name);
    let kind = match p.state {
        NodeState::Producer(_) => Kind::Producer,
        NodeState::Exchange(..) => Kind::Exchange,
        NodeState::Queue { .. } => Kind::Queue,
        NodeState::Consumer { .. } => Kind::Consumer,
    };
    let cls = classes!(
        "node",
        kind.name(),
        p.selected.then_some("selected"),
        p.on_path.then_some("onpath")
    );
    // keyboard: Tab to a node, Enter or Space selects it (then the inspector edits and links it)
    let (id, select) = (p.id, p.onselect.clone());
    let onkeydown = move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            select.emit(id);
        }
    };
    let port = (kind != Kind::Consumer).then(|| {
        let (w, _) = half(kind);
        html! { <circle class="port" cx={coord(x + w + 8.0)} cy={coord(y)} r="7"
        aria-label={format!("drag from here to link {name}")} /> }
    });
    let body = match &p.state {
        NodeState::Queue {
            live,
            ready,
            unacked,
            broker_name,
        } => html! {
            <g class={classes!(cls, (!live).then_some("gone"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown}
                aria-label={if *live { format!("queue {name}: {ready} ready, {unacked} unacknowledged") } else { format!("queue {name}: not on the broker") }}>
                if let Some(b) = broker_name {
                    <text x={coord(x)} y={coord(y - 33.0)} class="broker-name"><title>{ b.clone() }</title>{ short_name(b) }</text>
                }
                <rect x={coord(x - 80.0)} y={coord(y - 28.0)} width="160" height="56" rx="6" />
                <text x={coord(x)} y={coord(y - 6.0)} class="label">{ name.clone() }</text>
                // the counts are drawn on the canvas above (changing SVG text re-lays out the SVG)
                if !*live { <text x={coord(x)} y={coord(y + 16.0)} class="counts">{ tr(p.lang, "not on the broker") }</text> }
            </g>
        },
        NodeState::Consumer {
            unacked,
            prefetch,
            auto_ack,
            got,
            stopped,
            consuming,
        } => {
            let slots = prefetch_slots(*prefetch, *auto_ack);
            html! {
                <g class={classes!(cls, stopped.then_some("stopped"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown}
                    aria-label={format!("consumer {name}: {unacked} unacknowledged, prefetch {prefetch}, got {got}{}", if *stopped { ", stopped" } else if !*consuming { ", not consuming" } else { "" })}>
                    <rect x={coord(x - 60.0)} y={coord(y - 30.0)} width="120" height="60" rx="30" />
                    <text x={coord(x)} y={coord(y - 38.0)} class="label">{ name.clone() }</text>
                    // the full ones are filled on the counts layer (see App::draw_counts)
                    { for (0..slots).map(|i| {
                        let (sx, sy) = slot_at(x, y, slots, i);
                        html! { <rect class={if i < *unacked { "slot full" } else { "slot" }}
                            x={coord(sx)} y={coord(sy)} width={coord(SLOT)} height={coord(SLOT)} /> }
                    }) }
                    if slots == 0 && *auto_ack && !*stopped { <text x={coord(x)} y={coord(y + 5.0)} class="counts">{ tr(p.lang, "auto-ack") }</text> }
                    if *stopped { <text x={coord(x)} y={coord(y + 20.0)} class="counts">{ tr(p.lang, "stopped") }</text> }
                </g>
            }
        }
        NodeState::Exchange(k, live) => html! {
            <g class={classes!(cls, (!live).then_some("gone"))} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown}
                aria-label={if *live { format!("{k} exchange {name}") } else { format!("{k} exchange {name}: not on the broker") }}>
                <polygon points={diamond(x, y)} />
                <text x={coord(x)} y={coord(y - 2.0)} class="label">{ name.clone() }</text>
                <text x={coord(x)} y={coord(y + 14.0)} class="counts">{ if *live { k.to_string() } else { tr(p.lang, "not on the broker").to_string() } }</text>
            </g>
        },
        NodeState::Producer(back) => html! {
            <g class={cls} data-id={p.id.to_string()} tabindex="0" role="button" onkeydown={onkeydown}
                aria-label={if back.is_empty() { format!("producer {name}") } else { format!("producer {name}: {back}") }}>
                <rect x={coord(x - 55.0)} y={coord(y - 22.0)} width="110" height="44" rx="22" />
                <text x={coord(x)} y={coord(y + 5.0)} class="label">{ name.clone() }</text>
            </g>
        },
    };
    html! { <>{ body }{ for port }</> }
}

/// All the links, as [`App::edges_view`] drew them: `version` tells one drawing from another.
#[derive(Properties, Clone)]
pub struct EdgesProps {
    pub version: u64,
    pub edges: Html,
}

impl PartialEq for EdgesProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

#[function_component(Edges)]
fn edges(p: &EdgesProps) -> Html {
    p.edges.clone()
}

#[derive(Properties, Clone, PartialEq)]
pub struct EdgeProps {
    pub index: usize,
    pub line: (f32, f32, f32, f32),
    pub label: AttrValue,
    pub label_dy: f32,
    pub aria: String,
    pub selected: bool,
    /// A binding the broker does not have (lost in a restart, say).
    pub gone: bool,
    pub onselect: Callback<usize>,
}

/// One link, selectable (a wide invisible line takes the clicks).
#[function_component(EdgeView)]
fn edge_view(p: &EdgeProps) -> Html {
    let (x0, y0, x1, y1) = p.line;
    let (i, cb) = (p.index, p.onselect.clone());
    let key_cb = cb.clone();
    let onkeydown = move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            key_cb.emit(i);
        }
    };
    html! {
        <g class={classes!("edge", p.selected.then_some("selected"), p.gone.then_some("gone"))} role="button" tabindex="0"
            aria-label={p.aria.clone()} onclick={move |_| cb.emit(i)} {onkeydown}
            onpointerdown={|e: PointerEvent| e.stop_propagation()}>
            <line class="hitline" x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
            <line x1={coord(x0)} y1={coord(y0)} x2={coord(x1)} y2={coord(y1)} />
            if !p.label.is_empty() {
                <text x={coord((x0 + x1) / 2.0)} y={coord((y0 + y1) / 2.0 - 6.0 - p.label_dy)} class="edge-label">{ p.label.clone() }</text>
            }
        </g>
    }
}

/// What a form field changes when the user commits it (Enter, or leaving the field).
#[derive(Clone)]
pub enum Target {
    Spec {
        id: Id,
        spec: Spec,
        set: fn(&mut Spec, &str) -> Result<(), String>,
    },
    Check {
        id: Id,
        spec: Spec,
        set: fn(&mut Spec, bool),
    },
    Rename(Id),
    Title,
    LinkKey {
        index: usize,
        arguments: VecMap<String, String>,
    },
    LinkArgs {
        index: usize,
        key: String,
    },
    /// A field of the design's user `index`.
    User {
        index: usize,
        users: Vec<warren_model::design::UserSpec>,
        set: fn(&mut warren_model::design::UserSpec, &str),
    },
}

/// Equal when they change the same thing from the same state; the setter is not compared (a
/// field's label names it).
impl PartialEq for Target {
    fn eq(&self, o: &Target) -> bool {
        match (self, o) {
            (Target::Spec { id: a, spec: s, .. }, Target::Spec { id: b, spec: t, .. })
            | (Target::Check { id: a, spec: s, .. }, Target::Check { id: b, spec: t, .. }) => a == b && s == t,
            (Target::Rename(a), Target::Rename(b)) => a == b,
            (Target::Title, Target::Title) => true,
            (Target::LinkKey { index: a, arguments: x }, Target::LinkKey { index: b, arguments: y }) => {
                a == b && x == y
            }
            (Target::LinkArgs { index: a, key: x }, Target::LinkArgs { index: b, key: y }) => a == b && x == y,
            (Target::User { index: a, users: x, .. }, Target::User { index: b, users: y, .. }) => a == b && x == y,
            _ => false,
        }
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct FieldProps {
    pub label: &'static str,
    #[prop_or_default]
    pub value: AttrValue,
    /// A checkbox, and whether it is checked.
    #[prop_or_default]
    pub checkbox: Option<bool>,
    /// No visible label (the label is for screen readers).
    #[prop_or_default]
    pub bare: bool,
    pub target: Target,
    pub send: Callback<Msg>,
}

/// A form field. Its own component so that the frequent redraws while playing (equal props) do
/// not reset what the user is typing.
#[function_component(Field)]
fn field(p: &FieldProps) -> Html {
    let (target, send, label) = (p.target.clone(), p.send.clone(), p.label);
    let onchange = Callback::from(move |e: Event| {
        let text = input_value(&e);
        let msg = match &target {
            Target::Spec { id, spec, set } => {
                let mut s = spec.clone();
                match set(&mut s, &text) {
                    Ok(()) => Msg::Do(Action::SetSpec { id: *id, spec: s }),
                    Err(err) => Msg::Error(format!("{label}: {err}")),
                }
            }
            Target::Check { id, spec, set } => {
                let mut s = spec.clone();
                set(&mut s, input_checked(&e));
                Msg::Do(Action::SetSpec { id: *id, spec: s })
            }
            Target::Rename(id) => Msg::Do(Action::Rename { id: *id, name: text }),
            Target::Title => Msg::Do(Action::SetName(text)),
            Target::LinkKey { index, arguments } => Msg::Do(Action::EditLink {
                index: *index,
                key: text,
                arguments: arguments.clone(),
            }),
            Target::LinkArgs { index, key } => match pairs(&text) {
                Ok(arguments) => Msg::Do(Action::EditLink {
                    index: *index,
                    key: key.clone(),
                    arguments,
                }),
                Err(err) => Msg::Error(format!("arguments: {err}")),
            },
            Target::User { index, users, set } => {
                let mut users = users.clone();
                set(&mut users[*index], &text);
                Msg::Do(Action::SetUsers(users))
            }
        };
        send.emit(msg);
    });
    match p.checkbox {
        Some(checked) => html! {
            <label class="check"><input type="checkbox" aria-label={label} checked={checked} {onchange} />{ label }</label>
        },
        None if p.bare => html! { <input class="title" aria-label={label} value={p.value.clone()} {onchange} /> },
        None => html! { <label>{ label }<input aria-label={label} value={p.value.clone()} {onchange} /></label> },
    }
}

/// Offer `text` as a file download called `name`.
fn download(name: &str, text: &str) {
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
fn file_stem(name: &str) -> String {
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
fn opened_link(l: Lang) -> &'static str {
    tr(l, "Opened the shared scenario. Undo returns to the canvas you had.")
}

/// The canvas the page saved (a scenario file with its canvas).
fn saved_design(text: &str) -> Result<Design, String> {
    match Design::open(text)? {
        Opened::Design(d, _) => Ok(d),
        Opened::Import(_) => Err("it has no canvas".into()),
    }
}

/// The design a share link (`#s1.…`) holds, or a message for the person who followed it.
fn open_link(l: Lang, hash: &str) -> Result<Opened, String> {
    warren_engine::share::decode(hash)
        .and_then(Design::open_value)
        .map_err(|e| link_failed(l, &e))
}

fn link_failed(l: Lang, e: &str) -> String {
    format!(
        "{} {e}",
        tr(l, "The link could not be opened; your canvas is unchanged.")
    )
}

/// Take the share link out of the address: it has done its work, and a reload should show the
/// canvas as it is then (from local storage).
fn clear_hash() {
    if let Some(w) = web_sys::window() {
        let path = w.location().pathname().unwrap_or_default();
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

/// A query parameter's value (`?tutorial=topics&lang=zh`).
fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

/// The page's language: `?lang=`, else the visitor's saved choice, else the browser's preference.
fn start_lang(query: &str) -> Lang {
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

fn set_document_lang(l: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", l.tag());
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

/// The text at `url` (relative to the page), fetched.
async fn fetch_text(url: &str) -> Result<String, String> {
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

/// A job for the tools worker, with what its answer is for.
#[derive(Clone, Debug, PartialEq)]
enum ToolJob {
    /// The pika code of the design of this generation (for the code panel).
    Code(u64),
    /// Definitions to download, as this file name's stem.
    Definitions(String),
    /// A loaded file to import as a design: definitions, or a scenario without a canvas.
    Import,
    /// A share link's scenario without a canvas, to import as a design.
    OpenLink,
}

impl ToolJob {
    fn kind(&self) -> warren_model::tools::Job {
        match self {
            ToolJob::Code(_) => warren_model::tools::Job::Pika,
            ToolJob::Definitions(_) => warren_model::tools::Job::Definitions,
            ToolJob::Import | ToolJob::OpenLink => warren_model::tools::Job::Import,
        }
    }
}

/// A table's head row: its columns' titles.
fn head(titles: &[&'static str]) -> Html {
    html! { <thead><tr>{ for titles.iter().map(|t| html! { <th>{ *t }</th> }) }</tr></thead> }
}

/// The design as the page saves it (what the tools worker reads).
fn design_json(d: &Design) -> serde_json::Value {
    d.write()
}
