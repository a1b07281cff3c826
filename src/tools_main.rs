//! The tools worker (built by Trunk as a web worker, started by the page the first time it needs
//! one): answers each message with [`warren_model::tools::handle`].

fn main() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let answer = warren_model::tools::handle(&e.data().as_string().unwrap_or_default());
        let _ = reply.post_message(&JsValue::from_str(&answer));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

// The page's allocator (see src/main.rs).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
