// The page's figures in headless Chromium (prints them; asserts nothing about speed):
//   - the time from navigation to the first interactive canvas (the app's `warren-interactive`
//     performance mark, set when its first render is on the page; median of 5 cold loads);
//   - frame times while the page animates a large topology (200 nodes, 500 links), without and with
//     4x CPU throttling (Chrome DevTools Protocol Emulation.setCPUThrottlingRate), at several loads:
//     the producers publish more or less often, so more or fewer messages are in flight;
//   - the page's memory (JS heap in use after a garbage collection, plus the wasm memory) with
//     100,000 messages waiting in a queue.
// The last line is key=value. With WARREN_CHART=FILE, also writes an SVG chart of frame time
// against messages in flight.
//   WARREN_URL=http://127.0.0.1:PORT/ node tests/e2e/frames.mjs [seconds]
import { writeFileSync } from 'node:fs';
import { largeDesign, launch, loadDesign, showLarge, VIEWPORT as viewport } from './large.mjs';
import { pageMemory } from './memory.mjs';

const URL = process.env.WARREN_URL ?? 'http://127.0.0.1:8732/';
const SECONDS = Number(process.argv[2] ?? 8);

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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();

// 1. navigation → first interactive canvas, each load in a fresh context (nothing cached)
const firstCanvas = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(URL);
  await page.waitForFunction(() => performance.getEntriesByName('warren-interactive').length > 0);
  firstCanvas.push(await page.evaluate(() => performance.getEntriesByName('warren-interactive')[0].startTime));
  await context.close();
}
const firstCanvasMs = median(firstCanvas);
console.log(`first interactive canvas: median ${firstCanvasMs.toFixed(0)} ms after navigation (5 cold loads: ${firstCanvas.map((t) => t.toFixed(0)).join(', ')} ms)`);

// 2. frame times on the large topology, at several loads; `every` 500 ms is the headline one
const context = await browser.newContext({ viewport });
const page = await context.newPage();
await page.goto(URL);
await page.locator('#diagram').waitFor();
const cdp = await context.newCDPSession(page);
const loads = (process.env.WARREN_FRAMES_LOADS ?? '4000,2000,1000,500,250').split(',').map(Number);
const series = [];
let counts, headline;
for (const every of loads) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await showLarge(page, largeDesign({ every }));
  counts ??= await page.evaluate(() => ({
    nodes: document.querySelectorAll('svg .node').length,
    links: document.querySelectorAll('svg g.edge').length,
  }));
  if (process.env.WARREN_SCREENSHOTS && every === 500) await page.screenshot({ path: `${process.env.WARREN_SCREENSHOTS}/large.png` });
  const point = { every };
  for (const rate of [1, 4]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const secs = every === 500 ? SECONDS : Math.max(2, SECONDS / 2);
    const { ts, dots } = await measure(page, secs);
    const iv = ts.slice(1).map((t, i) => t - ts[i]);
    const st = stats(iv);
    const inflight = dots.reduce((a, b) => a + b, 0) / dots.length;
    point[rate] = { ...st, frames: iv.length, dots_mean: inflight, dots_max: Math.max(...dots) };
    console.log(`producers every ${every} ms, throttle ${rate}x: ${iv.length} frames, median ${st.median.toFixed(1)} ms, p95 ${st.p95.toFixed(1)} ms, ${st.fps.toFixed(1)} fps; messages in flight: mean ${inflight.toFixed(0)}, max ${Math.max(...dots)}`);
  }
  series.push(point);
  if (every === 500) headline = point;
}
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
headline ??= series[series.length - 1];
console.log(`topology: ${counts.nodes} nodes, ${counts.links} links`);
await context.close();

// 3. the page's memory with 100,000 messages waiting (tests/e2e/memory.mjs)
const pageMb = await pageMemory(browser, URL);
await browser.close();

if (process.env.WARREN_CHART) {
  writeFileSync(process.env.WARREN_CHART, chart(series));
  console.log(`chart: ${process.env.WARREN_CHART}`);
}

const h = headline;
console.log(`frames nodes=${counts.nodes} links=${counts.links} dots_mean=${h[1].dots_mean.toFixed(0)} fps=${h[1].fps.toFixed(1)} frame_ms_median=${h[1].median.toFixed(1)} frame_ms_p95=${h[1].p95.toFixed(1)} fps_4x=${h[4].fps.toFixed(1)} frame_ms_median_4x=${h[4].median.toFixed(1)} frame_ms_p95_4x=${h[4].p95.toFixed(1)} first_canvas_ms=${firstCanvasMs.toFixed(0)} page_mb_100k=${pageMb.toFixed(1)}`);

/** An SVG line chart of frame time (median, mean, p95) against mean messages in flight, without and with 4x throttling. */
function chart(points) {
  const W = 720, H = 380, L = 56, R = 190, T = 34, B = 46;
  const xs = points.flatMap((p) => [p[1].dots_mean, p[4].dots_mean]);
  const ys = points.flatMap((p) => [p[1].p95, p[4].p95]).concat([16.7]);
  const xmax = Math.max(...xs) * 1.05, ymax = Math.max(...ys) * 1.1;
  const X = (v) => L + (v / xmax) * (W - L - R), Y = (v) => H - B - (v / ymax) * (H - T - B);
  const tick = (m) => { const e = 10 ** Math.floor(Math.log10(m / 4)); return [1, 2, 5, 10].map((k) => k * e).find((s) => m / s <= 6); };
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="20" font-size="14" font-weight="bold">Frame time against messages in flight (200 nodes, 500 links)</text>`];
  for (let v = 0, s = tick(ymax); v <= ymax; v += s) out.push(`<line x1="${L}" x2="${W - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${+v.toFixed(1)}</text>`);
  for (let v = 0, s = tick(xmax); v <= xmax; v += s) out.push(`<text x="${X(v)}" y="${H - B + 16}" text-anchor="middle">${Math.round(v)}</text>`);
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">messages in flight (mean)</text>`);
  out.push(`<text transform="translate(14 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">frame time, ms</text>`);
  out.push(`<line x1="${L}" x2="${W - R}" y1="${Y(16.7)}" y2="${Y(16.7)}" stroke="#2a9d8f" stroke-dasharray="6 4"/><text x="${W - R + 6}" y="${Y(16.7) + 4}" fill="#2a9d8f">16.7 ms (60 fps)</text>`);
  const value = (p, key) => (key === 'mean' ? 1000 / p.fps : p[key]);
  const line = (rate, key, colour, dash) => {
    const pts = points.map((p) => [X(p[rate].dots_mean), Y(value(p[rate], key))]).sort((a, b) => a[0] - b[0]);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.map((q) => q.map((v) => v.toFixed(1)).join(',')).join(' ')}"/>`);
    if (!dash) for (const [x, y] of pts) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${colour}"/>`);
  };
  const key = [['#1f77b4', 1, 'median', '', 'median, no throttle'], ['#1f77b4', 1, 'mean', '8 3 2 3', 'mean, no throttle'], ['#1f77b4', 1, 'p95', '3 3', 'p95, no throttle'],
    ['#d62728', 4, 'median', '', 'median, 4x throttle'], ['#d62728', 4, 'mean', '8 3 2 3', 'mean, 4x throttle'], ['#d62728', 4, 'p95', '3 3', 'p95, 4x throttle']];
  for (const [c, rate, k, d] of key) line(rate, k, c, d);
  key.forEach(([c, , , d, label], i) => out.push(`<line x1="${W - R + 6}" x2="${W - R + 26}" y1="${T + 14 + i * 18}" y2="${T + 14 + i * 18}" stroke="${c}" stroke-width="2"${d ? ` stroke-dasharray="${d}"` : ''}/><text x="${W - R + 30}" y="${T + 18 + i * 18}" font-size="11">${label}</text>`));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
