// Where the page spends its main thread while animating the large topology (a development aid,
// not a test): a CPU profile by function (self and inclusive time) or, with TRACE=1, the
// browser's own trace events by thread and name (style, layout, paint, timers, function calls),
// under RATE x CPU throttling (default 4); with TRACE=1, INSIDE=NAME also lists what runs inside
// the events so named, LIST=NAME each event so named with its arguments, and INVALIDATIONS=1
// records layout invalidations too (LIST=LayoutInvalidationTracking). scripts/profile.sh serves a
// build whose wasm keeps its function names and runs this.
//   WARREN_URL=http://127.0.0.1:PORT/ [RATE=4] [TRACE=1 [INSIDE=NAME] [LIST=NAME]] node tests/e2e/profile.mjs
import { largeDesign, launch, showLarge, VIEWPORT } from './large.mjs';

const URL = process.env.WARREN_URL;
const browser = await launch();
const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
await page.goto(URL);
await page.locator('#diagram').waitFor();
await showLarge(page, largeDesign());
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.RATE ?? 4) });
const ms = (t) => `${(t / 1000).toFixed(1).padStart(6)} ms`;

if (process.env.TRACE) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'gpu', ...(process.env.INVALIDATIONS ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
  await page.waitForTimeout(4000);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const by = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const thread = threads.get(`${e.pid}:${e.tid}`) ?? '?';
    if (!/CrRendererMain|Compositor|Raster|VizCompositor|CrGpuMain/.test(thread)) continue;
    let k = `${thread} ${e.name}`;
    const d = e.args?.data;
    if (e.name === 'FunctionCall') k += ` ${d?.functionName ?? ''} ${(d?.url ?? '').split('/').pop()}:${d?.lineNumber ?? ''}`;
    const a = by.get(k) ?? { n: 0, t: 0 };
    a.n += 1; a.t += e.dur;
    by.set(k, a);
  }
  console.log([...by].sort((a, b) => b[1].t - a[1].t).slice(0, 50).map(([k, a]) => `${ms(a.t)} ${String(a.n).padStart(5)}x  ${k}`).join('\n'));
  if (process.env.LIST) {
    // each event so named, in order: its duration and arguments
    for (const e of events.filter((e) => e.name === process.env.LIST)) {
      console.log(`${ms(e.dur ?? 0)}  ${JSON.stringify(e.args).slice(0, 300)}`);
    }
  }
  if (process.env.INSIDE) {
    // what runs inside the events named INSIDE (same thread), by name
    const outer = events.filter((e) => e.ph === 'X' && e.name === process.env.INSIDE);
    const inner = new Map();
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur || e.name === process.env.INSIDE) continue;
      if (!outer.some((o) => o.tid === e.tid && o.ts <= e.ts && e.ts + e.dur <= o.ts + o.dur)) continue;
      const a = inner.get(e.name) ?? { n: 0, t: 0 };
      a.n += 1; a.t += e.dur;
      inner.set(e.name, a);
    }
    console.log(`inside ${process.env.INSIDE}:`);
    console.log([...inner].sort((a, b) => b[1].t - a[1].t).slice(0, 25).map(([k, a]) => `${ms(a.t)} ${String(a.n).padStart(5)}x  ${k}`).join('\n'));
  }
} else {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(5000);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map(), incl = new Map();
  let total = 0;
  const name = (n) => n.callFrame.functionName || n.callFrame.url.split('/').pop() || '(anonymous)';
  for (const [id, t] of time) {
    total += t;
    const k = name(byId.get(id));
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const f = name(byId.get(x));
      if (!seen.has(f)) { seen.add(f); incl.set(f, (incl.get(f) ?? 0) + t); }
    }
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${ms(t)} ${(100 * t / total).toFixed(1).padStart(5)}%  ${n.slice(0, 140)}`).join('\n');
  console.log(`sampled ${ms(total)}`);
  console.log('self time:');
  console.log(top(self, 35));
  console.log('inclusive time:');
  console.log(top(incl, 45));
}
await browser.close();
