//! The tools worker, started on first use: pika code, definitions out and in, scenarios without a canvas.

use super::*;

impl App {
    /// Ask the tools worker ([`warren_model::tools`]) for `job`, starting it if need be; the answer comes
    /// back as [`Msg::Tool`].
    pub(super) fn ask_tools(&mut self, ctx: &Context<Self>, job: ToolJob, input: serde_json::Value) {
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
    pub(super) fn tool_done(&mut self, ctx: &Context<Self>, job: ToolJob, outcome: Result<serde_json::Value, String>) {
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
                        // the design first (a fresh run of its own), then its run replayed
                        let replay = d.clone();
                        self.opened(ctx, d, left_out);
                        self.replay_steps(ctx, &replay);
                    }
                    Err(e) => self.load_failed(&e),
                }
            }
            (ToolJob::Import, Err(e)) => self.load_failed(&e),
            (ToolJob::OpenLink, outcome) => match outcome.and_then(|v| Design::read(&v["design"])) {
                Ok(d) => {
                    let replay = d.clone();
                    self.opened_link(ctx, d);
                    self.replay_steps(ctx, &replay);
                }
                Err(e) => self.error = Some(link_failed(self.lang, &e)),
            },
        }
    }
}

/// A job for the tools worker, with what its answer is for.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ToolJob {
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
