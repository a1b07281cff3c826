// One terminal's Python on the page: CPython (pyodide) in this worker, running one script with
// Warren's pika (python/site/). It talks to the page's coordinator (model/src/terminals/, run by
// the page) in the messages of python/protocol.md, one JSON text a message: it says
// {"op": "ready"} once loaded, then gets the start ({"argv", "source"}) and every answer. A
// blocking call waits for its answer with stack switching (JSPI: run_sync in warren_host), so the
// script's own code runs as it is, one call at a time.
import { loadPyodide, version } from "./python/pyodide/pyodide.mjs";

// Warren's Python files, installed into the interpreter's file system
const SITE = [
  "warren_host.py",
  "warren_launch.py",
  "pika/__init__.py",
  "pika/connection.py",
  "pika/credentials.py",
  "pika/exceptions.py",
  "pika/spec.py",
  "pika/adapters/__init__.py",
  "pika/adapters/blocking_connection.py",
];

let answer = null;
const early = [];
self.onmessage = (e) => {
  if (answer) {
    const a = answer;
    answer = null;
    a(e.data);
  } else {
    early.push(e.data);
  }
};
/** The next message from the page. */
const next = () => (early.length ? Promise.resolve(early.shift()) : new Promise((r) => (answer = r)));
const say = (text) => self.postMessage(text);

// A started Python, kept by the browser (Cache Storage): the memory of a Python that has started
// and imported the standard modules Warren's pika uses. A terminal whose Python starts from it is
// ready in a fraction of the time (pyodide's memory snapshot: loadPyodide's _loadSnapshot). The
// first terminal on a browser starts Python the long way and leaves the snapshot for the next
// ones; one made by another pyodide is never used (the key names the version).
const SNAPSHOT = `/warren/python-snapshot/${version}/1`;
const PRELUDE = "import builtins, enum, json, linecache, os, sys, time, traceback, urllib.parse";

async function snapshotCache() {
  try {
    return self.caches ? await self.caches.open("warren-python") : null;
  } catch {
    return null; // storage denied (a private window, an insecure origin)
  }
}

async function startPython(indexURL) {
  const cache = await snapshotCache();
  const kept = cache && (await cache.match(SNAPSHOT).catch(() => undefined));
  if (kept) {
    try {
      return await loadPyodide({ indexURL, _loadSnapshot: await kept.arrayBuffer() });
    } catch {
      await cache.delete(SNAPSHOT).catch(() => {}); // unusable: start the long way
    }
  }
  const py = await loadPyodide({ indexURL, _makeSnapshot: !!cache });
  if (cache) {
    try {
      py.runPython(PRELUDE);
      const snapshot = py.makeMemorySnapshot();
      // kept while the script runs: nothing waits for it
      cache.put(SNAPSHOT, new Response(snapshot)).catch(() => {});
    } catch {
      // no snapshot this time; the Python itself is fine
    }
  }
  return py;
}

try {
  const base = new URL("./python/", self.location.href);
  const [py, files] = await Promise.all([
    startPython(new URL("pyodide/", base).href),
    Promise.all(
      SITE.map(async (f) => {
        const r = await fetch(new URL("site/" + f, base));
        if (!r.ok) throw new Error(`python/site/${f}: ${r.status}`);
        return [f, await r.text()];
      }),
    ),
  ]);
  for (const [f, text] of files) {
    const path = "/warren/site/" + f;
    py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    py.FS.writeFile(path, text);
  }
  py.setStdout({ batched: (text) => say(JSON.stringify({ op: "out", text })) });
  py.setStderr({ batched: (text) => say(JSON.stringify({ op: "err", text })) });
  py.runPython(`import sys; sys.path.insert(0, "/warren/site")`);
  py.pyimport("warren_host").install(
    (text) => {
      say(text);
      return next();
    },
    (text) => say(text),
  );
  say(JSON.stringify({ op: "ready" }));
  const start = JSON.parse(await next());
  py.globals.set("_warren_args", py.toPy(start.argv));
  py.globals.set("_warren_source", start.source);
  await py.runPythonAsync(`
import warren_launch
warren_launch.main(list(_warren_args), _warren_source)
`);
} catch (e) {
  // the page reports it in the terminal (a browser without stack switching, a file missing)
  say(JSON.stringify({ op: "failed", text: String(e && e.message ? e.message : e) }));
}
