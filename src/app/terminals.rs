//! The terminals panel: the learner's own pika scripts (files pasted, typed, opened, or the Python
//! panel's), run in terminals as a tutorial says ("in the first terminal run python receive.py"),
//! each in a Python of its own (a worker with pyodide, `www/python-worker.js`), all driven by the
//! view-model's run ([`warren_model::terminals::run`]) on the simulated broker.

use super::*;
use warren_model::terminals::run::{Do, Run};
use warren_model::terminals::{Command, Stream};

/// How long a script may compute without a word to the broker (real time) before Ctrl+C, and
/// after that before its terminal is closed.
const SILENT_MS: i32 = 10_000;

/// The panel's state: its files, its terminals' command lines, and the run.
#[derive(Default)]
pub struct Terms {
    pub open: bool,
    /// (name, text), in the order added.
    pub files: Vec<(String, String)>,
    /// One command line a terminal (`python receive.py`).
    pub commands: Vec<String>,
    pub run: Option<Run>,
    /// Each terminal's Python (a worker), while the run needs it.
    workers: Vec<Option<web_sys::Worker>>,
    /// The run's number: what a worker of an older run says is not heard.
    generation: u64,
    /// Bumped with every message heard: a silence timer set before it is stale.
    heard: u64,
    /// The last problem with the panel's input (a command line that is not one).
    pub problem: Option<String>,
    /// A Python loaded ahead (from when the panel opens), for the next run's first terminal:
    /// the worker, its number, and whether it has loaded.
    spare: Option<(web_sys::Worker, u64, bool)>,
    spares: u64,
    /// The canvas shows the run's broker (a design of its own, made as the scripts declare;
    /// Undo brings back the one before).
    pub on_canvas: bool,
    /// The run's shape the canvas was last drawn from ([`Terminals::shape`]).
    shape: u64,
    /// How many of the terminals' lines were shown at the last render.
    pub shown: usize,
    /// The terminals of a run the canvas left, as they ended.
    ended: Option<Vec<warren_model::terminals::Terminal>>,
}

pub enum TermMsg {
    Open(bool),
    FileName(usize, String),
    FileText(usize, String),
    AddFile,
    RemoveFile(usize),
    /// Files chosen to open (`.py`).
    Choose(Vec<web_sys::File>),
    /// A file read: its name and text.
    Opened(String, String),
    /// Take the Python panel's scripts (of the current design).
    TakeCode,
    Command(usize, String),
    AddTerminal,
    RemoveTerminal(usize),
    Run,
    Stop,
    /// Ctrl+C in terminal k.
    CtrlC(usize),
    /// Terminal k's Python (of run `generation`) said this.
    Heard(usize, u64, String),
    /// Terminal k's worker failed to start or broke.
    Broke(usize, u64, String),
    /// Terminal k has been silent since message number `heard` (of run `generation`).
    Silent(usize, u64, u64),
    /// The Python loaded ahead (spare number `.0`) is ready.
    SpareReady(u64),
}

impl Terms {
    fn stop_workers(&mut self) {
        for w in self.workers.iter_mut() {
            if let Some(w) = w.take() {
                w.terminate();
            }
        }
    }
}

impl Terms {
    /// How many of the run's lines have been printed by simulated instant `t`.
    pub fn printed_by(&self, t: f64) -> usize {
        let Some(run) = &self.run else { return 0 };
        run.terms
            .terminals
            .iter()
            .map(|term| term.lines.partition_point(|l| l.t_ms as f64 <= t))
            .sum()
    }
}

impl App {
    pub(super) fn on_term(&mut self, ctx: &Context<Self>, msg: TermMsg) -> bool {
        let t = &mut self.terms;
        match msg {
            TermMsg::Open(on) => {
                t.open = on;
                if on && t.commands.is_empty() {
                    t.commands = vec![String::new(), String::new()];
                }
                // Python loads while the learner types (the first time a terminal opens)
                if on && t.spare.is_none() {
                    t.spares += 1;
                    t.spare = spawn_spare(ctx, t.spares).map(|w| (w, t.spares, false));
                }
            }
            TermMsg::SpareReady(id) => {
                if let Some(s) = t.spare.as_mut().filter(|s| s.1 == id) {
                    s.2 = true;
                }
                return false;
            }
            TermMsg::FileName(i, name) => {
                if let Some(f) = t.files.get_mut(i) {
                    f.0 = name;
                }
            }
            TermMsg::FileText(i, text) => {
                if let Some(f) = t.files.get_mut(i) {
                    f.1 = text;
                }
            }
            TermMsg::AddFile => {
                let n = (1..)
                    .find(|n| !t.files.iter().any(|f| f.0 == format!("script{n}.py")))
                    .unwrap_or(1);
                t.files.push((format!("script{n}.py"), String::new()));
            }
            TermMsg::RemoveFile(i) => {
                if i < t.files.len() {
                    t.files.remove(i);
                }
            }
            TermMsg::Choose(files) => {
                for f in files {
                    let name = f.name();
                    let link = ctx.link().clone();
                    let file = gloo::file::File::from(f);
                    // read each; the reader lives until it has read (a leaked reader is a few bytes)
                    let reader = gloo::file::callbacks::read_as_text(&file, move |r| {
                        link.send_message(Msg::Term(TermMsg::Opened(name, r.unwrap_or_default())));
                    });
                    std::mem::forget(reader);
                }
                return false;
            }
            TermMsg::Opened(name, text) => put_file(&mut t.files, name, text),
            TermMsg::TakeCode => {
                match self.code_files.as_ref().filter(|c| c.0 == self.design_gen) {
                    Some((_, files)) => {
                        for (name, text) in files.iter().filter(|f| f.0.ends_with(".py")) {
                            put_file(&mut self.terms.files, name.clone(), text.clone());
                        }
                    }
                    None => {
                        // the Python panel's code is made by the tools worker: open it, then take
                        self.code = true;
                        self.ask_code(ctx);
                        self.terms.problem = Some(
                            tr(
                                self.lang,
                                "The Python panel is writing the code: take it again in a moment.",
                            )
                            .into(),
                        );
                    }
                }
            }
            TermMsg::Command(i, line) => {
                if let Some(c) = t.commands.get_mut(i) {
                    *c = line;
                }
            }
            TermMsg::AddTerminal => t.commands.push(String::new()),
            TermMsg::RemoveTerminal(i) => {
                if i < t.commands.len() && t.run.is_none() {
                    t.commands.remove(i);
                }
            }
            TermMsg::Run => self.term_run(ctx),
            TermMsg::Stop => {
                // Ctrl+C in every terminal, now (at the run's present, after a step back)
                let Some(run) = self.terms.run.as_mut() else {
                    return false;
                };
                self.t = self.t.max(run.terms.now() as f64);
                let todo = run.stop(&mut self.live);
                self.term_do(ctx, todo);
            }
            TermMsg::CtrlC(k) => {
                let Some(run) = self.terms.run.as_mut() else {
                    return false;
                };
                self.t = self.t.max(run.terms.now() as f64);
                let todo = run.interrupt(&mut self.live, k);
                self.term_do(ctx, todo);
            }
            TermMsg::Heard(k, generation, text) => {
                if generation != t.generation {
                    return false;
                }
                t.heard += 1;
                let Some(run) = t.run.as_mut() else { return false };
                let todo = run.heard(&mut self.live, k, &text);
                self.term_do(ctx, todo);
                // rendered when the script waits or ends, not at every message it sends
                return self.terms.run.as_ref().is_none_or(|r| r.awaiting() != Some(k));
            }
            TermMsg::Broke(k, generation, why) => {
                if generation != t.generation {
                    return false;
                }
                if let Some(w) = t.workers.get_mut(k).and_then(Option::take) {
                    w.terminate();
                }
                let Some(run) = t.run.as_mut() else { return false };
                let todo = run.lost(&mut self.live, k, &format!("this browser could not run Python: {why}"));
                self.term_do(ctx, todo);
            }
            TermMsg::Silent(k, generation, heard) => {
                if generation != t.generation || heard != t.heard {
                    return false;
                }
                let Some(run) = t.run.as_mut() else { return false };
                let why = format!(
                    "the script computed for {} s without waiting for the broker (a loop that never ends?)",
                    SILENT_MS / 1000
                );
                let todo = run.silent(&mut self.live, k, &why);
                self.term_do(ctx, todo);
            }
        }
        true
    }

    /// Start a run of the terminals' command lines (the ones typed), each in a new Python.
    fn term_run(&mut self, ctx: &Context<Self>) {
        let t = &mut self.terms;
        t.stop_workers();
        t.generation += 1;
        t.problem = None;
        let lines: Vec<String> = t.commands.iter().filter(|c| !c.trim().is_empty()).cloned().collect();
        let mut commands = Vec::new();
        for line in &lines {
            match Command::parse(line) {
                Ok(c) => commands.push(c),
                Err(e) => {
                    t.problem = Some(e);
                    return;
                }
            }
        }
        if commands.is_empty() {
            t.problem = Some(
                tr(
                    self.lang,
                    "Type a command in a terminal first, such as python receive.py",
                )
                .into(),
            );
            return;
        }
        t.commands = lines;
        let files = t.files.clone();
        // the scripts' broker on the canvas: a design of its own, empty until they declare
        // (Undo brings back the one before); its users are the design's
        let d = &self.hist.design;
        let base = Design {
            name: "terminals".into(),
            seed: d.seed,
            rabbitmq: d.rabbitmq,
            users: d.users.clone(),
            show_default: false,
            ..Design::default()
        };
        // a fresh run of its own, the one before kept for Undo; not autosaved: the design saved
        // in the browser stays the learner's
        self.term_detach();
        if self.hist.apply(Action::Replace(base.clone())).is_ok() {
            self.compare = None;
            self.sel = Sel::None;
            let old = std::mem::replace(&mut self.live, Live::new(base));
            self.stashed = Some((old.design.clone(), old));
            self.live_gen += 1;
            self.design_gen += 1;
        }
        self.t = 0.0;
        self.playing = true;
        let t = &mut self.terms;
        t.on_canvas = true;
        t.shape = 0;
        t.ended = None;
        let mut run = Run::new(
            commands,
            |name| files.iter().find(|f| f.0 == name).map(|f| f.1.clone()),
            warren_model::timeline::HOP as u64,
        );
        // the learner presses Ctrl+C when they choose (or Stop)
        run.terms.auto_interrupt = false;
        run.terms.hold_at(0);
        // every Python starts loading at once (the first terminal's may have loaded already);
        // the run waits for each as its command comes
        let n = run.terms.terminals.len();
        let spare = t.spare.take();
        let mut todo = Vec::new();
        t.workers = (0..n)
            .map(|k| match (k, &spare) {
                (0, Some((w, _, ready))) => {
                    bind(ctx, w, 0, t.generation);
                    if *ready {
                        todo.push(0);
                    }
                    Some(w.clone())
                }
                _ => spawn(ctx, k, t.generation),
            })
            .collect();
        let mut first = run.start(&mut self.live);
        for k in todo {
            first.extend(run.loaded(&mut self.live, k));
        }
        t.run = Some(run);
        // and one more for the next run
        t.spares += 1;
        t.spare = spawn_spare(ctx, t.spares).map(|w| (w, t.spares, false));
        self.term_do(ctx, first);
    }

    /// Each frame, while the run's broker is on the canvas: the run goes on as far as the
    /// playback clock, and the clock no further than the run (a script computing holds it);
    /// the canvas draws what the scripts declared so far.
    pub(super) fn term_tick(&mut self, ctx: &Context<Self>) {
        if !self.terms.on_canvas {
            return;
        }
        let Some(run) = self.terms.run.as_mut() else { return };
        let todo = run.advance(&mut self.live, self.t as u64);
        let frontier = run.frontier();
        let shape = run.terms.shape;
        self.term_do(ctx, todo);
        if self.t > frontier as f64 {
            self.t = frontier as f64;
        }
        if shape != self.terms.shape {
            self.terms.shape = shape;
            let Some(run) = self.terms.run.as_ref() else { return };
            let d = run.terms.design(&self.live, &self.hist.design);
            let grew = d.nodes.len() != self.hist.design.nodes.len();
            self.live.design = d.clone();
            self.hist.design = d;
            self.design_gen += 1;
            self.live_gen += 1;
            if grew {
                self.fit_pending = true;
            }
        }
    }

    /// The canvas leaves the run's broker (another design replaces it, or an edit changes it):
    /// the run stops where it is, its terminals keep what they printed.
    pub(super) fn term_detach(&mut self) {
        let t = &mut self.terms;
        if !t.on_canvas {
            return;
        }
        t.on_canvas = false;
        t.stop_workers();
        t.generation += 1;
        if let Some(run) = t.run.take() {
            // what they printed stays shown; the run itself is over
            let mut terms = run.terms;
            for term in terms.terminals.iter_mut() {
                if term.exit.is_none() && term.started_at.is_some() {
                    term.lines.push(warren_model::terminals::Line {
                        t_ms: term.lines.last().map_or(0, |l| l.t_ms),
                        stream: Stream::Stderr,
                        text: "warren: the run ended: the canvas shows another design".into(),
                    });
                }
            }
            t.ended = Some(terms.terminals);
        }
    }

    /// Do what the run says, and watch the Python it waits on.
    fn term_do(&mut self, ctx: &Context<Self>, todo: Vec<Do>) {
        let t = &mut self.terms;
        let mut todo = std::collections::VecDeque::from(todo);
        while let Some(d) = todo.pop_front() {
            match d {
                Do::Post(k, text) => {
                    if let Some(w) = t.workers.get(k).and_then(Option::as_ref) {
                        let _ = w.post_message(&wasm_bindgen::JsValue::from_str(&text));
                    }
                }
                // a worker's Python cannot be interrupted where it computes (that needs a buffer
                // shared with the page, which this page is not isolated enough to have): it stops
                Do::Interrupt(k) | Do::Stop(k) => {
                    if let Some(w) = t.workers.get_mut(k).and_then(Option::take) {
                        w.terminate();
                    }
                    if let Some(run) = t.run.as_mut() {
                        if run.terms.terminals[k].alive() {
                            todo.extend(run.lost(&mut self.live, k, "the script was stopped"));
                        }
                    }
                }
            }
        }
        let Some(run) = &t.run else { return };
        if run.done() {
            t.stop_workers();
            return;
        }
        if let (Some(k), true) = (run.awaiting(), run.started()) {
            let (generation, heard) = (t.generation, t.heard);
            let link = ctx.link().clone();
            let silent = wasm_bindgen::closure::Closure::once_into_js(move || {
                link.send_message(Msg::Term(TermMsg::Silent(k, generation, heard)));
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(silent.unchecked_ref(), SILENT_MS);
            }
        }
    }

    /// The side panel for a terminal's client on the canvas: its command and what it printed
    /// so far (its settings are its script's). None for any other node.
    pub(super) fn term_node_view(&self, n: &warren_model::design::Node) -> Option<Html> {
        if !self.terms.on_canvas {
            return None;
        }
        let run = self.terms.run.as_ref()?;
        let k = run
            .terms
            .terminals
            .iter()
            .enumerate()
            .map(|(k, _)| k)
            .find(|&k| warren_model::terminals::node_name(k) == n.name)?;
        let term = &run.terms.terminals[k];
        let l = self.lang;
        let printed: Vec<&str> = term
            .lines
            .iter()
            .take_while(|line| line.t_ms as f64 <= self.t)
            .map(|line| line.text.as_str())
            .collect();
        let last = &printed[printed.len().saturating_sub(8)..];
        Some(html! {
            <section class="inspector" aria-label="inspector">
                <h2>{ format!("{} {}: {}", tr(l, "terminal"), k + 1, n.name) }</h2>
                <p>{ tr(l, "This client is the script in that terminal: what it does is its code's.") }</p>
                <pre class="out">{ format!("$ python {}\n{}", term.command.argv.join(" "), last.join("\n")) }</pre>
            </section>
        })
    }

    /// The panel: files, terminals, and what each printed.
    pub(super) fn terminals_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        let t = &self.terms;
        let running = t.run.as_ref().is_some_and(|r| !r.done());
        let term = |m: TermMsg| Msg::Term(m);
        // what each terminal shows: on the canvas's clock while its broker is there (a step back
        // hides what was printed later)
        let shown_terms = t.run.as_ref().map(|r| &r.terms.terminals[..]).or(t.ended.as_deref());
        let by = if t.on_canvas { self.t } else { f64::INFINITY };
        html! {
            <section class="terminals" aria-label={tr(l, "terminals")}>
                <p>{ tr(l, "Your own pika scripts, run as the tutorials say: one terminal each, on the simulated broker, drawn on the canvas on its clock. The next command is typed once every terminal has been quiet for 1.5 s; Ctrl+C stops a script where it waits.") }
                    <button class="close" onclick={link.callback(move |_| term(TermMsg::Open(false)))} aria-label={tr(l, "close the terminals")}>{ "×" }</button></p>
                <div class="files">
                    <h3>{ tr(l, "Files") }</h3>
                    { for t.files.iter().enumerate().map(|(i, (name, text))| html! {
                        <div class="file">
                            // kept as typed (the page re-renders while a design plays, and a
                            // render sets an input's text back to its state)
                            <input class="name" value={name.clone()} aria-label={tr(l, "file name")}
                                oninput={link.callback(move |e: InputEvent| term(TermMsg::FileName(i, input_value(&e))))} />
                            <button onclick={link.callback(move |_| term(TermMsg::RemoveFile(i)))} aria-label={format!("{} {name}", tr(l, "remove"))}>{ "×" }</button>
                            <textarea class="python" spellcheck="false" value={text.clone()} aria-label={format!("{} {name}", tr(l, "text of"))}
                                oninput={link.callback(move |e: InputEvent| term(TermMsg::FileText(i, textarea_value(&e))))} />
                        </div>
                    }) }
                    <p class="actions">
                        <button onclick={link.callback(move |_| term(TermMsg::AddFile))}>{ tr(l, "New file") }</button>
                        <label class="load">{ tr(l, "Open .py files") }
                            <input type="file" accept=".py,text/x-python" multiple={true} aria-label={tr(l, "open Python files")}
                                onchange={link.batch_callback(|e: Event| {
                                    let files = e.target_dyn_into::<HtmlInputElement>().and_then(|i| i.files())?;
                                    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
                                    Some(Msg::Term(TermMsg::Choose(files)))
                                })} />
                        </label>
                        <button onclick={link.callback(move |_| term(TermMsg::TakeCode))}>{ tr(l, "Take the Python panel's scripts") }</button>
                    </p>
                </div>
                <div class="terms">
                    { for t.commands.iter().enumerate().map(|(k, line)| {
                        let shown = shown_terms.and_then(|ts| ts.get(k));
                        let ended = shown.and_then(|s| s.ended_at.map(|at| (at, s.exit))).filter(|e| e.0 as f64 <= by);
                        let waits = running && shown.is_some_and(|s| s.alive() && s.started_at.is_some());
                        html! {
                            <div class="term">
                                <label class="prompt">{ format!("t{} $ ", k + 1) }
                                    <input value={line.clone()} placeholder="python receive.py" disabled={running} aria-label={format!("{} {}", tr(l, "terminal"), k + 1)}
                                        oninput={link.callback(move |e: InputEvent| term(TermMsg::Command(k, input_value(&e))))} />
                                </label>
                                if !running {
                                    <button onclick={link.callback(move |_| term(TermMsg::RemoveTerminal(k)))} aria-label={format!("{} {}", tr(l, "remove terminal"), k + 1)}>{ "×" }</button>
                                }
                                if waits {
                                    <button class="ctrl-c" onclick={link.callback(move |_| term(TermMsg::CtrlC(k)))} aria-label={format!("Ctrl+C {} {}", tr(l, "in terminal"), k + 1)}>{ "Ctrl+C" }</button>
                                }
                                <pre class="out" aria-live="polite" aria-label={format!("{} {} {}", tr(l, "terminal"), k + 1, tr(l, "output"))}>
                                    { for shown.into_iter().flat_map(|s| s.lines.iter()).take_while(|line| line.t_ms as f64 <= by).map(|line| html! {
                                        <span class={classes!("line", (line.stream == Stream::Stderr).then_some("err"))}
                                            title={format!("t = {} s", fixed(line.t_ms as f64 / 1000.0, 2))}>{ format!("{}\n", line.text) }</span>
                                    }) }
                                    if let Some((_, Some(code))) = ended {
                                        <span class="exit">{ format!("[{} {code}]\n", tr(l, "exit")) }</span>
                                    }
                                </pre>
                            </div>
                        }
                    }) }
                    <p class="actions">
                        <button onclick={link.callback(move |_| term(TermMsg::AddTerminal))} disabled={running}>{ tr(l, "New terminal") }</button>
                        if running {
                            <button class="stop" onclick={link.callback(move |_| term(TermMsg::Stop))}>{ tr(l, "Stop the run") }</button>
                            <span class="status" role="status">{ tr(l, "Running…") }</span>
                        } else {
                            <button class="run" onclick={link.callback(move |_| term(TermMsg::Run))}>{ tr(l, "Run the terminals") }</button>
                        }
                    </p>
                    if let Some(p) = &t.problem {
                        <p class="error" role="alert">{ p.clone() }</p>
                    }
                </div>
            </section>
        }
    }
}

/// Add a file, or replace the text of the one of that name.
fn put_file(files: &mut Vec<(String, String)>, name: String, text: String) {
    match files.iter_mut().find(|f| f.0 == name) {
        Some(f) => f.1 = text,
        None => files.push((name, text)),
    }
}

fn textarea_value(e: &InputEvent) -> String {
    e.target_dyn_into::<web_sys::HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// A Python: a module worker that loads pyodide (the page's messages are bound with [`bind`]).
fn new_worker() -> Result<web_sys::Worker, String> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    web_sys::Worker::new_with_options("./python-worker.js", &opts)
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Terminal `k`'s Python (of run `generation`): a new worker, bound.
fn spawn(ctx: &Context<App>, k: usize, generation: u64) -> Option<web_sys::Worker> {
    match new_worker() {
        Ok(w) => {
            bind(ctx, &w, k, generation);
            Some(w)
        }
        Err(why) => {
            ctx.link().send_message(Msg::Term(TermMsg::Broke(k, generation, why)));
            None
        }
    }
}

/// What `worker` says goes to the page as terminal `k`'s (of run `generation`).
fn bind(ctx: &Context<App>, worker: &web_sys::Worker, k: usize, generation: u64) {
    use wasm_bindgen::closure::Closure;
    let link = ctx.link().clone();
    let heard = link.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        heard.send_message(Msg::Term(TermMsg::Heard(
            k,
            generation,
            e.data().as_string().unwrap_or_default(),
        )))
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget(); // as long as the worker (a few bytes a run)
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let why = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "python-worker.js did not load".into());
        link.send_message(Msg::Term(TermMsg::Broke(k, generation, why)))
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
}

/// A Python loaded ahead, while the learner types: it says only that it is ready (spare `id`).
fn spawn_spare(ctx: &Context<App>, id: u64) -> Option<web_sys::Worker> {
    use wasm_bindgen::closure::Closure;
    let w = new_worker().ok()?;
    let link = ctx.link().clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if e.data().as_string().is_some_and(|t| t.contains("ready")) {
            link.send_message(Msg::Term(TermMsg::SpareReady(id)))
        }
    });
    w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    Some(w)
}
