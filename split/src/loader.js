
// Added by warren-split (split/ in Warren's sources). The first module holds what the page runs
// when it opens; the rest of the page's code is in a second module, fetched once the page is idle
// after it has started, or at once (synchronously) when the first module calls a function that
// is still missing. `globalThis.__warrenLazy.how` says which: "idle" or "needed" (then `slot` is
// the table slot of the function first needed: target/split-stubs.txt names it).
const __warren_lazy_file = "LAZY_FILE";
const __warren_lazy_state = { how: null, slot: null, marks: null };
globalThis.__warrenLazy = __warren_lazy_state;
let __warren_lazy_module = null;
let __warren_lazy_wbg = null;

function __warren_lazy(wbg) {
    __warren_lazy_wbg = wbg;
    return {
        load(slot) {
            __warren_lazy_state.slot = slot;
            __warren_lazy_instantiate("needed");
        },
        mark(i) { (__warren_lazy_state.marks ??= new Set()).add(i); },
    };
}

function __warren_lazy_url() {
    return new URL(__warren_lazy_file, import.meta.url);
}

function __warren_lazy_instantiate(how) {
    if (__warren_lazy_state.how) return;
    if (!__warren_lazy_module) {
        const x = new XMLHttpRequest();
        x.open("GET", __warren_lazy_url(), false);
        x.overrideMimeType("text/plain; charset=x-user-defined");
        x.send();
        if (x.status !== 200) throw new Error(`Warren could not load ${__warren_lazy_url()}: HTTP ${x.status}`);
        const s = x.responseText;
        const bytes = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
        __warren_lazy_module = new WebAssembly.Module(bytes);
    }
    new WebAssembly.Instance(__warren_lazy_module, { first: wasm, "./warren-app_bg.js": __warren_lazy_wbg });
    wasm.__warren_lazy_loaded.value = 1;
    __warren_lazy_state.how = how;
}

function __warren_lazy_started() {
    if (!__warren_lazy_file) return;
    const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 200));
    idle(() => {
        fetch(__warren_lazy_url())
            .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`))))
            .then((b) => WebAssembly.compile(b))
            .then((m) => {
                __warren_lazy_module ??= m;
                __warren_lazy_instantiate("idle");
            })
            // The first call that needs the module loads it then.
            .catch(() => {});
    }, { timeout: 3000 });
}
