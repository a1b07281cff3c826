// The large topology the page's figures are measured on, and how both scripts that measure it
// (frames.mjs, profile.mjs) open a browser and put the topology on the page.
import { chromium } from 'playwright-core';

/** The window the figures are measured in. */
export const VIEWPORT = { width: 1400, height: 860 };

/** Debian's Chromium, headless, software raster. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** Load a design file into the page (the load button's file input) and wait for `waitFor`. */
export async function loadDesign(page, design, waitFor) {
  await page.setInputFiles('input[aria-label="load scenario file"]', {
    name: 'design.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.locator(waitFor).waitFor();
}

/** Put a large design on the page as an imported topology would be (tidied, fitted to the
 * screen), then let its producers fill the pipes for 3 s. */
export async function showLarge(page, design) {
  await loadDesign(page, design, '[aria-label="queue q99: 0 ready, 0 unacknowledged"]');
  await page.locator('[aria-label="tidy layout"]').click();
  await page.locator('[aria-label="fit to screen"]').click();
  await page.waitForTimeout(3000);
}

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
