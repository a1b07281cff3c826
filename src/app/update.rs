//! What each message does to the page: user actions become design actions or simulation inputs.

use super::*;

impl App {
    pub(super) fn on_msg(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
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
                // the scripts' run, if on the canvas, goes as far as the clock (and holds it)
                self.term_tick(ctx);
                self.live.advance_to(self.t as u64);
                self.live.timeline.seek(self.t);
                self.draw_dots();
                self.schedule_frame(ctx);
                let v = (self.live_gen, self.live.timeline.version);
                // While playing, the page (the log, the nodes' states as assistive technology reads
                // them, the inspector) is rendered at most 4 times a second, less often when frames
                // come slowly: what moves is drawn on the canvas layers meanwhile (the dots every
                // frame; counts and prefetch slots at the counts' cadence). At once otherwise.
                // a terminal's line is shown at its instant
                let printed = self.terms.printed_by(self.t);
                let render = (v != self.shown_version || printed != self.terms.shown)
                    && (!self.playing || ts - self.render_at >= PAGE_CADENCES * self.cadence());
                if render {
                    self.shown_version = v;
                    self.terms.shown = printed;
                    self.render_at = ts;
                    if v != self.log_version {
                        self.log = Lines(Rc::new(self.log_lines()));
                        self.log_version = v;
                    }
                }
                return render;
            }
            Msg::Do(a) => {
                // a file, a link, a tutorial, New, another RabbitMQ: a run of its own
                let whole = matches!(a, Action::Replace(_) | Action::SetVersion(_));
                match self.hist.apply(a) {
                    Ok(()) => {
                        self.error = None;
                        if whole {
                            self.compare = None;
                            self.changed(true);
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
            Msg::Down(pointer, x, y, shift, finger) => {
                if !finger {
                    self.touches.clear();
                    self.pinch = None;
                }
                if finger && self.touch_down(pointer, x, y) {
                    return true; // a second finger: a pinch, not a drag
                }
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
                    // (a press on the empty canvas deselects once let go without moving: a
                    // pan, or a pinch's first finger, keeps the selection)
                    None => Some(Drag::Pan {
                        sx: x,
                        sy: y,
                        tx: self.tx,
                        ty: self.ty,
                    }),
                };
            }
            Msg::Move(pointer, x, y) => {
                if self.touch_move(pointer, x, y) {
                    self.draw_dots();
                    return true;
                }
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
            Msg::Up(pointer, x, y) => {
                if self.touch_up(pointer) {
                    return false; // a pinch ends: no click, no drop
                }
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
                    Some(Drag::Pan { sx, sy, .. }) if (x - sx).abs() + (y - sy).abs() < 6.0 => self.sel = Sel::None,
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
                    self.changed(false);
                }
            }
            Msg::Redo => {
                if self.hist.redo() {
                    self.changed(false);
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
                    // presenting a tutorial, the arrows move through its steps, as slides do
                    "ArrowRight" if self.present && self.tour.is_some() => {
                        let done = self.tour.as_ref().is_some_and(|t| t.done);
                        let steps = self
                            .tour
                            .as_ref()
                            .and_then(|t| Some(self.tutorial(t.index)?.steps.len()));
                        let step = self.tour.as_ref().map_or(0, |t| t.step);
                        if step < steps.unwrap_or(0) {
                            ctx.link().send_message(if done { Msg::TourNext } else { Msg::TourDo });
                        }
                    }
                    "ArrowLeft" if self.present && self.tour.is_some() => ctx.link().send_message(Msg::TourPrev),
                    "ArrowRight" => ctx.link().send_message(Msg::Step(true)),
                    "ArrowLeft" => ctx.link().send_message(Msg::Step(false)),
                    "Escape" if self.present => ctx.link().send_message(Msg::Present(false)),
                    "Escape" if self.menu => self.menu = false,
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
                if forward && self.terms.on_canvas {
                    // the scripts' run is never ahead of the clock: past its last moment, it
                    // goes on for up to a second (as far as its scripts let it) to the next one
                    let from = self.t;
                    let next = match self.live.timeline.next_moment(from + 1e-6) {
                        Some(n) => n,
                        None => {
                            self.t = from + 1000.0;
                            self.term_tick(ctx);
                            let reached = self.t.max(from);
                            self.live
                                .timeline
                                .next_moment(from + 1e-6)
                                .map_or(reached, |n| n.min(reached))
                        }
                    };
                    self.t = next;
                } else if forward {
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
            // the scripts' run starts again from the start: their commands typed anew
            Msg::Rewind if self.terms.on_canvas => {
                self.on_term(ctx, terminals::TermMsg::Run);
            }
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
            Msg::Input(_) if self.terms.on_canvas => {
                self.notice = Some(
                    tr(
                        self.lang,
                        "The scripts are the clients on this canvas: act in their terminals.",
                    )
                    .into(),
                );
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
                self.notice = Some(tr(self.lang, "Saved. Load opens the file again, with what it ran.").into());
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
                self.share = Some(url);
                self.copied = None;
                // the link is copied at once (the browser may refuse: its Copy button is there)
                ctx.link().send_message(Msg::Copy(Snippet::Link));
            }
            Msg::Copy(what) => {
                let Some(url) = &self.share else {
                    return false;
                };
                let text = match what {
                    Snippet::Link => url.clone(),
                    Snippet::Embed => embed_snippet(url, &self.hist.design.name),
                };
                share::copy_text(ctx, text, move |ok| Msg::Copied(what, ok));
                return false;
            }
            Msg::Copied(what, ok) => self.copied = Some((what, ok)),
            Msg::CopyCode(name) => {
                let Some((_, text)) = self.code_files.iter().flat_map(|c| &c.1).find(|f| f.0 == name) else {
                    return false;
                };
                share::copy_text(ctx, text.clone(), move |ok| Msg::CodeCopied(name, ok));
                return false;
            }
            Msg::CodeCopied(name, ok) => self.code_copied = Some((name, ok)),
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
            Msg::Resized => {
                self.fit_pending = true;
            }
            Msg::Menu(open) => self.menu = open,
            Msg::TourPrev => {
                if let Some(t) = &mut self.tour {
                    if t.step > 0 {
                        t.step -= 1;
                        t.done = true;
                    }
                }
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
                    self.changed(true);
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
            Msg::Term(m) => return self.on_term(ctx, m),
            Msg::Compare(on) => {
                self.compare = on.then(|| warren_model::compare::of_run(&self.live, self.lang));
            }
            Msg::ConsoleKey(e) => {
                let Some(input) = self.console_input.cast::<HtmlInputElement>() else {
                    return false;
                };
                match e.key().as_str() {
                    "Enter" => {
                        if self.terms.on_canvas {
                            // the scripts' run cannot be replayed: a command acts at its present
                            self.t = self.t.max(self.live.clock() as f64);
                        }
                        let t = self.t as u64;
                        // after a step back the node is read (or changed) as it was at `t`
                        if t < self.live.clock() {
                            self.live.rewind(t);
                            self.live_gen += 1;
                        }
                        self.console
                            .run(&input.value(), |args, quiet| self.live.console(t, args, quiet));
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
                if self.compare.is_some() {
                    self.compare = Some(warren_model::compare::of_run(&self.live, l));
                }
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
}
