// What the page's end-to-end test files share: the test runner, the page's labels, and what
// a user does with the mouse and keyboard. (Debian's /usr/bin/chromium, driven by playwright-core.)
import { chromium } from 'playwright-core';

export const URL = process.env.WARREN_URL ?? 'http://127.0.0.1:8732/';
export const SHOTS = process.env.WARREN_SCREENSHOTS;
export const results = [];
export const errors = [];

export async function test(name, fn, page) {
  // WARREN_E2E_ONLY=REGEX runs only the tests whose name matches (while working on them)
  if (process.env.WARREN_E2E_ONLY && !new RegExp(process.env.WARREN_E2E_ONLY).test(name)) return;
  try {
    await fn(page);
    results.push([name, null]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, e]);
    await page?.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/warren-e2e-fail-${results.length}.png` }).catch(() => {});
    // its whole message (an accessibility check lists every violation), then where it was
    const where = String(e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3);
    console.log(`FAIL ${name}\n     ${[String(e.message ?? e), ...where].join('\n     ')}`);
  }
}

export function expect(cond, what) {
  if (!cond) throw new Error(what);
}

// a consumer's label ends with how many deliveries it got (and whether it was stopped): a test
// that does not care matches up to there
export const label = (page, l) => page.locator(
  /^consumer [^:]+: \d+ unacknowledged, prefetch \d+$/.test(l) ? `[aria-label^="${l}, got "]` : `[aria-label="${l}"]`);

export async function center(loc) {
  const b = await loc.boundingBox();
  if (!b) throw new Error('not on screen');
  return [b.x + b.width / 2, b.y + b.height / 2];
}

/** What the counts layer (#counts canvas) has drawn: its painted pixels and a hash of them. */
export async function countsInk(page) {
  return page.evaluate(() => {
    const c = document.querySelector('#counts');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0, hash = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]) { ink += 1; hash = (hash * 31 + i + d[i]) | 0; }
    return { ink, hash };
  });
}

/** Press on a node and let go without moving: selects it. */
export async function clickNode(page, l) {
  const [x, y] = await center(label(page, l));
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.up();
}

/** Drag from a node's link handle onto another node. */
export async function link(page, from, toLabel) {
  const [x0, y0] = await center(label(page, `drag from here to link ${from}`));
  const [x1, y1] = await center(label(page, toLabel));
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
  await page.mouse.move(x1, y1, { steps: 4 });
  await page.mouse.up();
}

/** Wait until the event log shows a line with this text (the log catches up 4 times a second). */
export async function logHas(page, text, timeout = 5000) {
  await page.locator('ol[role="log"] li', { hasText: text }).first().waitFor({ state: 'attached', timeout });
}

export async function setField(page, l, value) {
  const f = page.locator('.inspector').locator(`input[aria-label="${l}"]`);
  await f.fill(String(value));
  // the page redraws several times a second while it plays: what is typed must survive that
  await page.waitForTimeout(300);
  await f.press('Enter');
  await f.evaluate((e) => e.blur());
}

/** Run every step of the tutorial shown, at 8x, waiting for each to be marked done. */
export async function runTutorial(page) {
  await page.selectOption('select[aria-label="speed"]', { label: '8x' });
  for (;;) {
    const run = page.locator('.tutorial .do');
    if (!(await run.count())) break;
    await run.click();
    await page.locator('.tutorial .watch').waitFor();
    await page.locator('.tutorial .next').click();
  }
  await label(page, 'your answer').waitFor();
}

/** Play or pause (whichever the page is not doing already). */
export async function setPlaying(page, on) {
  const b = label(page, on ? 'play' : 'pause');
  if (await b.count()) await b.click();
  await label(page, on ? 'pause' : 'play').waitFor();
}

/** The event log's lines as [seconds, text], oldest first (pause first: it then shows more). */
export async function logLines(page) {
  return page.evaluate(() => [...document.querySelectorAll('ol[role="log"] li')]
    .map((l) => [parseFloat(l.querySelector('.at').textContent), l.textContent]).reverse());
}

/** Debian's headless Chromium. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** The browser, and a page on the first visit's canvas (1400×860), its errors collected. */
export async function start() {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(URL);
  await page.locator('#diagram').waitFor();
  return { browser, context, page };
}

/** Close the browser, print the tally, and exit with its status. */
export async function finish(browser, what) {
  if (errors.length) console.log('page errors:\n  ' + errors.join('\n  '));
  await browser.close();
  const failed = results.filter((r) => r[1]).length + (errors.length ? 1 : 0);
  console.log(`${what}: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
