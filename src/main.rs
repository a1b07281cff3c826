//! The app's entry point (built with Trunk): mount [`warren_app::app::App`].

fn main() {
    yew::Renderer::<warren_app::app::App>::new().render();
}

// Talc, not the standard library's dlmalloc: 3.4 KB less of the page gzip'd (its wasm figure in
// scripts/bench.sh is within 5% of dlmalloc's; warren-bench uses it too).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
