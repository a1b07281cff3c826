// One terminal's Python, for `warren python`: CPython (pyodide) in this Node process, running one
// script with Warren's pika. The coordinator (the warren CLI) talks to it in JSON lines
// (python/protocol.md): it sends the start ({"argv", "source"}) and every answer on stdin; this
// process writes what the script prints and every request on stdout, and waits, blocked, for the
// answer. Only one terminal runs at a time, so a run is the same every time.
import { loadPyodide, version } from "pyodide";
import { Worker } from "node:worker_threads";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const site = path.join(here, "site");

let buffered = Buffer.alloc(0);
const chunk = Buffer.alloc(1 << 16);

/** The next line on stdin (blocking: the script waits for its answer). */
function readLine() {
  for (;;) {
    const nl = buffered.indexOf(10);
    if (nl >= 0) {
      const line = buffered.subarray(0, nl).toString("utf8");
      buffered = buffered.subarray(nl + 1);
      return line;
    }
    let n;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      throw e;
    }
    if (n === 0) process.exit(0); // the coordinator is gone
    buffered = Buffer.concat([buffered, chunk.subarray(0, n)]);
  }
}

function writeLine(text) {
  const b = Buffer.from(text + "\n", "utf8");
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(1, b, off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}

/** Copy Warren's Python files (pika, the launcher) into the interpreter's file system. */
function install(py, from, to) {
  py.FS.mkdirTree(to);
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== "__pycache__") install(py, path.join(from, e.name), to + "/" + e.name);
    } else if (e.name.endsWith(".py")) {
      py.FS.writeFile(to + "/" + e.name, fs.readFileSync(path.join(from, e.name)));
    }
  }
}

// A started Python kept on disk (pyodide's memory snapshot, as the page keeps one in the browser):
// the memory of a Python that has started and imported the standard modules Warren's pika uses.
// The first run makes it (in WARREN_PYTHON_CACHE, else ~/.cache/warren); later ones start from it
// in a fraction of the time. One made by another pyodide is never used (its name has the version).
const cacheDir = process.env.WARREN_PYTHON_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "warren");
const snapshotFile = path.join(cacheDir, `python-snapshot-${version}-1.bin`);
const PRELUDE = "import builtins, enum, json, linecache, os, sys, time, traceback, urllib.parse";

async function startPython() {
  if (fs.existsSync(snapshotFile)) {
    try {
      return await loadPyodide({ _loadSnapshot: fs.readFileSync(snapshotFile) });
    } catch {
      fs.rmSync(snapshotFile, { force: true }); // unusable: start the long way
    }
  }
  const py = await loadPyodide({ _makeSnapshot: true });
  try {
    py.runPython(PRELUDE);
    const snapshot = py.makeMemorySnapshot();
    // written beside, then renamed: terminals starting together never read half a file
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${snapshotFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, snapshot);
    fs.renameSync(tmp, snapshotFile);
  } catch {
    // no snapshot this time (a read-only home, say); the Python itself is fine
  }
  return py;
}

const out = (op) => (text) => writeLine(JSON.stringify({ op, text }));
const py = await startPython();
py.setStdout({ batched: out("out") });
py.setStderr({ batched: out("err") });
install(py, site, "/warren/site");

// Ctrl+C for a script that computes without end (it never waits for an answer): the coordinator
// creates WARREN_INTERRUPT_FILE, a watcher thread sees it and sets the interpreter's interrupt
// flag, and Python raises KeyboardInterrupt where it is, as in a terminal.
const flag = new Int32Array(new SharedArrayBuffer(4));
py.setInterruptBuffer(flag);
if (process.env.WARREN_INTERRUPT_FILE) {
  const watcher = new Worker(
    `const { workerData } = require("node:worker_threads");
     const fs = require("node:fs");
     const timer = setInterval(() => {
       if (fs.existsSync(workerData.file)) {
         fs.rmSync(workerData.file, { force: true });
         Atomics.store(workerData.flag, 0, 2); // SIGINT
       }
     }, 100);`,
    { eval: true, workerData: { file: process.env.WARREN_INTERRUPT_FILE, flag } },
  );
  watcher.unref();
}
writeLine(JSON.stringify({ op: "ready" }));
const start = JSON.parse(readLine());
py.globals.set("_warren_args", py.toPy(start.argv));
py.globals.set("_warren_source", start.source);
py.runPython(`import sys; sys.path.insert(0, "/warren/site")`);
py.pyimport("warren_host").install(
  (text) => {
    writeLine(text);
    return readLine();
  },
  (text) => writeLine(text),
);
const status = py.runPython(`
import warren_launch
warren_launch.main(list(_warren_args), _warren_source)
`);
process.exit(typeof status === "number" ? Math.max(0, Math.min(255, status)) : 0);
