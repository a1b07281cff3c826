// Frame times of the page while it animates a large topology: 200 nodes, 500 links and several
// hundred messages in flight, in headless Chromium, without and with 4x CPU throttling (Chrome
// DevTools Protocol Emulation.setCPUThrottlingRate). Prints figures; asserts nothing about speed.
//   WARREN_URL=http://127.0.0.1:PORT/ node tests/e2e/frames.mjs [seconds]
import { chromium } from 'playwright-core';

const URL = process.env.WARREN_URL ?? 'http://127.0.0.1:8732/';
const SECONDS = Number(process.argv[2] ?? 8);

/** The large topology, in the scenario file's "canvas" format (README: Scenario files). */
export function largeDesign({ producers = 20, exchanges = 30, queues = 100, consumers = 50, bindings = 401, every = 500 } = {}) {
  const nodes = [];
  const links = [];
  let id = 0;
  const add = (kind, name, col, row, extra) => {
    id += 1;
    nodes.push({ id, name, kind, x: 110 + col * 240, y: 60 + row * 70, ...extra });
    return id;
  };
  const P = [], X = [], Q = [], C = [];
  for (let i = 0; i < producers; i++) P.push(add('producer', `p${i}`, 0, i * 5, { body: 'm{n}', burst: 1, every_ms: every + 10 * i }));
  for (let i = 0; i < exchanges; i++) X.push(add('exchange', `x${i}`, 1 + (i % 3), i * 3.3, { exchange_type: 'fanout' }));
  for (let i = 0; i < queues; i++) Q.push(add('queue', `q${i}`, 4, i, {}));
  for (let i = 0; i < consumers; i++) C.push(add('consumer', `c${i}`, 5, i * 2, { prefetch: 5, processing_ms: 400 }));
  P.forEach((p, i) => links.push({ from: p, to: X[i % exchanges] }));
  // exchange-to-exchange, two layers deep (no cycles): x0..x9 feed x10..x29
  for (let i = 0; i < 10; i++) {
    links.push({ from: X[i], to: X[10 + 2 * i] }, { from: X[i], to: X[11 + 2 * i] }, { from: X[i], to: X[20 + (i % 10)] });
  }
  for (let k = 0; k < bindings; k++) links.push({ from: X[k % exchanges], to: Q[(k * 7 + Math.floor(k / 300)) % queues], key: '' });
  C.forEach((c, i) => links.push({ from: Q[i * 2], to: c }));
  // drop self-links and duplicates
  const seen = new Set();
  const unique = links.filter((l) => l.from !== l.to && !seen.has(`${l.from}-${l.to}`) && seen.add(`${l.from}-${l.to}`));
  return { name: 'Large topology', seed: 7, steps: [], canvas: { version: 1, nodes, links: unique } };
}

function stats(intervals) {
  const s = [...intervals].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), fps: 1000 / (s.reduce((a, b) => a + b, 0) / s.length) };
}

async function measure(page, seconds) {
  return page.evaluate((ms) => new Promise((res) => {
    const ts = [], dots = [];
    const t0 = performance.now();
    function f(t) {
      ts.push(t);
      dots.push(Number(document.querySelector('#dots').dataset.dots ?? 0));
      if (t - t0 < ms) requestAnimationFrame(f); else res({ ts, dots });
    }
    requestAnimationFrame(f);
  }), seconds * 1000);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
await page.goto(URL);
await page.locator('#diagram').waitFor();
const design = largeDesign();
await page.setInputFiles('input[aria-label="load scenario file"]', {
  name: 'large.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
});
await page.locator('[aria-label="queue q99: 0 ready, 0 unacknowledged"]').waitFor();
const counts = await page.evaluate(() => ({
  nodes: document.querySelectorAll('svg .node').length,
  links: document.querySelectorAll('svg g.edge').length,
}));
// lay it out as an imported topology would be: tidy, then fit to the screen
await page.locator('[aria-label="tidy layout"]').click();
await page.locator('[aria-label="fit to screen"]').click();
// warm up: let the producers fill the pipes
await page.waitForTimeout(3000);
if (process.env.WARREN_SCREENSHOTS) await page.screenshot({ path: `${process.env.WARREN_SCREENSHOTS}/large.png` });
const cdp = await page.context().newCDPSession(page);
const out = {};
for (const rate of [1, 4]) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const { ts, dots } = await measure(page, SECONDS);
  const iv = ts.slice(1).map((t, i) => t - ts[i]);
  const st = stats(iv);
  const inflight = dots.reduce((a, b) => a + b, 0) / dots.length;
  out[rate] = { ...st, frames: iv.length, dots_mean: inflight, dots_max: Math.max(...dots) };
  console.log(`throttle ${rate}x: ${iv.length} frames, median ${st.median.toFixed(1)} ms, p95 ${st.p95.toFixed(1)} ms, ${st.fps.toFixed(1)} fps; messages in flight: mean ${inflight.toFixed(0)}, max ${Math.max(...dots)}`);
}
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
console.log(`topology: ${counts.nodes} nodes, ${counts.links} links`);
console.log(`frames nodes=${counts.nodes} links=${counts.links} dots_mean=${out[1].dots_mean.toFixed(0)} fps=${out[1].fps.toFixed(1)} frame_ms_median=${out[1].median.toFixed(1)} frame_ms_p95=${out[1].p95.toFixed(1)} fps_4x=${out[4].fps.toFixed(1)} frame_ms_median_4x=${out[4].median.toFixed(1)}`);
await browser.close();
