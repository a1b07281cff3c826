// The page's tools worker (src/tools.rs): starts the wasm, which then answers each message.
// Messages that arrive while it starts are kept and handed to it once it has; a wasm that
// fails to start is reported to the page as the worker's error.
const early = [];
self.onmessage = (e) => early.push(e);
importScripts('./warren-tools.js');
wasm_bindgen({ module_or_path: './warren-tools_bg.wasm' }).then(
  () => { for (const e of early.splice(0)) self.onmessage(e); },
  (e) => setTimeout(() => { throw new Error(`warren-tools_bg.wasm: ${e}`); }),
);
