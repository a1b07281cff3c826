// End-to-end tests of the page at the sizes people use it: a phone (390×844, and 360 px wide),
// a laptop (1400×860), a projector (1920×1080 and 1280×720, Present). Serve dist/ first
// (scripts/e2e.sh does) and pass its URL as WARREN_URL. WARREN_SCREENSHOTS=DIR writes a
// screenshot of each size there.
import { URL, SHOTS, errors, test, expect, label, launch, finish } from './lib.mjs';

const starts = (page, l) => page.locator(`[aria-label^="${l}"]`);

const browser = await launch();

/** A fresh page of this size (a phone: touch, and the mobile viewport). */
async function open(width, height, query = '', phone = false) {
  const ctx = await browser.newContext({
    viewport: { width, height },
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(URL + query);
  await page.locator('#diagram').waitFor();
  await page.waitForTimeout(400); // fitted once laid out
  return page;
}

/** What the layout gives: the viewport, the canvas's box, how wide the page scrolls, and
 * every element that sticks out of the page to the right (but what scrolls in its own box). */
async function layout(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.canvas').getBoundingClientRect();
    const w = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      if (!r.width || r.right <= w + 1) return false;
      // inside a box that scrolls sideways (the playback bar on a phone): not the page's
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= w + 1) return false;
      }
      return true;
    }).map((el) => `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className}`);
    return { vw: w, vh: innerHeight, scrollW: document.documentElement.scrollWidth, canvas: { x: c.x, y: c.y, w: c.width, h: c.height }, out };
  });
}

/** Each node's label and its shape: the label's width on screen and the room its shape gives. */
async function labelsFit(page) {
  return page.evaluate(() => [...document.querySelectorAll('#diagram g.node[data-id]')].map((g) => {
    const t = g.querySelector('text.label').getBoundingClientRect();
    const shape = g.querySelector(':scope > rect:not(.slot), :scope > polygon').getBoundingClientRect();
    const consumer = g.classList.contains('consumer');
    // a consumer's name is above its shape: its room is a little wider than the shape
    return { name: g.getAttribute('aria-label'), text: g.querySelector('text.label').textContent,
      label: t.width, room: shape.width * (consumer ? 1.3 : 1) };
  }));
}

/** The tutorial's steps, by the buttons a learner presses, to its question. */
async function runTutorial(page, press) {
  for (let i = 0; i < 12 && !(await label(page, 'your answer').count()); i++) {
    if (await page.locator('.tutorial .do').count()) {
      await press(page.locator('.tutorial .do'));
      await page.locator('.tutorial .watch').waitFor();
    } else {
      await press(page.locator('.tutorial .next'));
    }
  }
  await label(page, 'your answer').waitFor();
}

await test('a phone (390×844): a tutorial link shows the canvas first, full width, fitted; the page never scrolls sideways; the tutorial runs to its question by touch', async () => {
  const page = await open(390, 844, '?tutorial=work-queues', true);
  await page.locator('.tutorial h2', { hasText: 'Work queues' }).waitFor();
  await page.waitForTimeout(300);
  const l = await layout(page);
  expect(l.scrollW <= l.vw, `the page scrolls sideways: ${l.scrollW} > ${l.vw}`);
  expect(l.out.length === 0, `sticking out of the page: ${l.out.slice(0, 5).join(', ')}`);
  expect(l.canvas.w >= l.vw - 2, `the canvas is full width: ${l.canvas.w} of ${l.vw}`);
  expect(l.canvas.h >= 0.3 * l.vh, `the canvas has height: ${l.canvas.h} of ${l.vh}`);
  expect(l.canvas.y < 0.4 * l.vh, `the canvas comes first, near the top: ${l.canvas.y}`);
  expect(!(await page.locator('.legend').getAttribute('open')), 'the legend is folded on a phone');
  // fitted: every node on the canvas, big enough to see and tap
  const boxes = await page.locator('#diagram g.node[data-id]').evaluateAll((gs) => gs.map((g) => {
    const r = g.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, right: r.right, bottom: r.bottom };
  }));
  expect(boxes.length === 4, `the tutorial's four nodes: ${boxes.length}`);
  for (const b of boxes) {
    expect(b.x >= l.canvas.x - 1 && b.right <= l.canvas.x + l.canvas.w + 1, `a node off the canvas sideways: ${JSON.stringify(b)}`);
    expect(b.y >= l.canvas.y - 1 && b.bottom <= l.canvas.y + l.canvas.h + 1, `a node off the canvas: ${JSON.stringify(b)}`);
    expect(b.w >= 40, `a node too small to see: ${JSON.stringify(b)}`);
  }
  // the step's text is readable without zooming (16 px or more)
  const size = await page.locator('.tutorial .say').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(size >= 15.5, `the tutorial's text is ${size} px`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/phone.png` });
  const tap = async (loc) => { await loc.scrollIntoViewIfNeeded(); await loc.tap(); };
  await runTutorial(page, tap);
  await starts(page, 'consumer worker-1').first().waitFor();
  // the menu holds the palette and the edit buttons, closed to begin with
  expect(!(await label(page, 'add a queue').isVisible()), 'the palette is in the menu');
  await tap(label(page, 'menu'));
  await label(page, 'add a queue').waitFor();
  const after = await layout(page);
  expect(after.scrollW <= after.vw, `with the menu open the page scrolls sideways: ${after.scrollW}`);
  await page.context().close();
});

await test('a phone: tap selects a node, one finger drags it, two fingers pinch to zoom and pan', async () => {
  const page = await open(390, 844, '', true);
  const q = starts(page, 'queue task_queue');
  const box = await q.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('.inspector h2', { hasText: 'task_queue' }).waitFor();
  const touch = (type, id, x, y) => page.locator('#diagram').dispatchEvent(type,
    { pointerId: id, pointerType: 'touch', isPrimary: id === 11, clientX: x, clientY: y, bubbles: true });
  // one finger drags the queue 50 px down
  const [qx, qy] = [box.x + box.width / 2, box.y + box.height / 2];
  await touch('pointerdown', 11, qx, qy);
  for (let i = 1; i <= 5; i++) await touch('pointermove', 11, qx, qy + 10 * i);
  await touch('pointerup', 11, qx, qy + 50);
  await page.waitForFunction((y0) => {
    const r = document.querySelector('[aria-label^="queue task_queue"]').getBoundingClientRect();
    return Math.abs(r.y - y0 - 50) < 2;
  }, box.y);
  // two fingers (pointer events of two touches on the canvas)
  const view = () => page.locator('#diagram > g').getAttribute('transform');
  const scale = async () => parseFloat((await view()).match(/scale\(([\d.]+)\)/)[1]);
  const before = await scale();
  const c = await page.locator('#diagram').boundingBox();
  const [cx, cy] = [c.x + c.width / 2, c.y + c.height * 0.2];
  await touch('pointerdown', 11, cx - 40, cy);
  await touch('pointerdown', 12, cx + 40, cy);
  for (let i = 1; i <= 5; i++) {
    await touch('pointermove', 11, cx - 40 - 8 * i, cy);
    await touch('pointermove', 12, cx + 40 + 8 * i, cy);
  }
  await touch('pointerup', 11, cx - 80, cy);
  await touch('pointerup', 12, cx + 80, cy);
  const zoomed = await scale();
  expect(Math.abs(zoomed / before - 2) < 0.05, `fingers twice as far apart zoom twice: ${before} → ${zoomed}`);
  // both fingers move together: the drawing moves with them, the scale stays
  const t0 = await view();
  await touch('pointerdown', 11, cx - 40, cy);
  await touch('pointerdown', 12, cx + 40, cy);
  await touch('pointermove', 11, cx - 40, cy + 60);
  await touch('pointermove', 12, cx + 40, cy + 60);
  await touch('pointerup', 11, cx - 40, cy + 60);
  await touch('pointerup', 12, cx + 40, cy + 60);
  const t1 = await view();
  const ty = (t) => parseFloat(t.match(/translate\([-\d.]+ ([-\d.]+)\)/)[1]);
  expect(Math.abs(ty(t1) - ty(t0) - 60) < 1, `a two-finger pan moves the drawing 60 px down: ${t0} → ${t1}`);
  expect(Math.abs((await scale()) - zoomed) < 1e-3, 'a pan keeps the scale');
  // a pinch or a pan leaves the selection as it was
  await page.locator('.inspector h2', { hasText: 'task_queue' }).waitFor();
  await page.context().close();
});

await test('360 px wide: nothing sticks out, the canvas is on screen', async () => {
  const page = await open(360, 740, '?tutorial=topics', true);
  await page.locator('.tutorial h2', { hasText: 'Topics' }).waitFor();
  const l = await layout(page);
  expect(l.scrollW <= l.vw && l.out.length === 0, `sticking out at 360 px: ${l.scrollW}; ${l.out.slice(0, 5).join(', ')}`);
  expect(l.canvas.w >= l.vw - 2 && l.canvas.h >= 0.3 * l.vh, `canvas ${JSON.stringify(l.canvas)}`);
  await page.context().close();
});

await test('a laptop (1400×860): the canvas covers most of the window, nothing sticks out; badges say what matters about each node', async () => {
  const page = await open(1400, 860);
  const badges = async (node) => page.locator(`.notes.${node} .badge text`).allTextContents();
  expect((await badges('queue')).join() === 'durable', `the durable queue's badge: ${await badges('queue')}`);
  expect((await badges('consumer')).join() === 'prefetch 1,prefetch 1', `the workers' prefetch: ${await badges('consumer')}`);
  // under their node, inside the canvas
  const q = await page.locator('[aria-label^="queue task_queue"] rect').boundingBox();
  const b = await page.locator('.notes.queue .badge rect').first().boundingBox();
  expect(b.y >= q.y + q.height && b.y < q.y + q.height + 12 && Math.abs(b.x + b.width / 2 - (q.x + q.width / 2)) < 2, 'the badge sits under its queue');
  const l = await layout(page);
  expect(l.scrollW <= l.vw && l.out.length === 0, `sticking out: ${l.scrollW}; ${l.out.slice(0, 5).join(', ')}`);
  expect(l.canvas.w * l.canvas.h >= 0.55 * l.vw * l.vh, `the canvas covers ${Math.round(100 * l.canvas.w * l.canvas.h / (l.vw * l.vh))} %`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/laptop.png` });
  // the legend says what each dot means, each kind in its own shape
  const items = await page.locator('.legend li').allTextContents();
  expect(items.length === 6 && items[0] === 'a message on its way' && items.includes('dead-lettered'), `legend: ${items}`);
  const shapes = await page.locator('.legend li svg > *').evaluateAll((els) => els.map((e) => e.tagName + (e.getAttribute('points') ?? '') + (e.getAttribute('fill') === 'none' ? ' ring' : '')));
  expect(new Set(shapes).size >= 5, `the shapes: ${shapes}`);
  await page.context().close();
});

for (const [w, h] of [[1920, 1080], [1280, 720]]) {
  await test(`a projector (${w}×${h}), Present: the canvas, the tutorial and the controls alone; labels fit their shapes; the arrows move through the steps; a producer publishes from the bar; Esc leaves`, async () => {
    const page = await open(w, h, '?tutorial=topics');
    await page.locator('.tutorial h2', { hasText: 'Topics' }).waitFor();
    await label(page, 'Present').click();
    await page.locator('.studio.present').waitFor();
    await page.waitForTimeout(400);
    const l = await layout(page);
    expect(l.scrollW <= l.vw && l.out.length === 0, `sticking out: ${l.out.slice(0, 5).join(', ')}`);
    expect(l.canvas.w * l.canvas.h >= 0.55 * l.vw * l.vh, `the canvas covers ${Math.round(100 * l.canvas.w * l.canvas.h / (l.vw * l.vh))} %`);
    for (const hidden of ['header', '.inspector', '.log', '.console', '.users']) {
      expect(!(await page.locator(hidden).first().isVisible()), `${hidden} is hidden when presenting`);
    }
    expect(await page.locator('.tutorial').isVisible(), 'the tutorial stays');
    for (const f of await labelsFit(page)) {
      expect(f.label <= f.room, `${f.name}'s label (${f.label} px) overflows its shape (${f.room} px)`);
    }
    // each binding key on its own edge: clear of every shape, of the other keys, and of the
    // arrowhead its line ends in (the last 12 px before the shape it reaches)
    const clash = await page.evaluate(() => {
      const box = (e) => e.getBoundingClientRect();
      const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      const keys = [...document.querySelectorAll('text.edge-label')].map((t) => [t.textContent, box(t)]);
      // a shape is met where a point of the key's box is in its fill or on its stroke (a
      // diamond's corners are empty)
      const geo = [...document.querySelectorAll('.node rect:not(.slot), .node polygon')];
      const inShape = (r) => geo.some((g) => {
        const inv = g.getScreenCTM().inverse();
        for (let i = 0; i <= 8; i++) for (let j = 0; j <= 3; j++) {
          const p = new DOMPoint(r.left + 1 + (r.width - 2) * i / 8, r.top + 1 + (r.height - 2) * j / 3).matrixTransform(inv);
          if (g.isPointInFill(p) || g.isPointInStroke(p)) return true;
        }
        return false;
      });
      const heads = [...document.querySelectorAll('.edge line, .edge path')].map((l) => {
        const t = l.getTotalLength?.() ?? 0;
        if (!t) return null;
        const m = l.getScreenCTM();
        const at = (d) => { const p = l.getPointAtLength(d); return new DOMPoint(p.x, p.y).matrixTransform(m); };
        const [a, b] = [at(Math.max(0, t - 12 / m.a)), at(t)];
        return { left: Math.min(a.x, b.x) - 4, right: Math.max(a.x, b.x) + 4, top: Math.min(a.y, b.y) - 4, bottom: Math.max(a.y, b.y) + 4 };
      }).filter(Boolean);
      const out = [];
      keys.forEach(([k, r], i) => {
        if (inShape(r)) out.push(`${k} over a shape`);
        if (heads.some((h) => meet(r, h))) out.push(`${k} over an arrowhead`);
        keys.slice(i + 1).forEach(([k2, r2]) => meet(r, r2) && out.push(`${k} over ${k2}`));
      });
      return { n: keys.length, out };
    });
    expect(clash.n === 3 && clash.out.length === 0, `the keys (${clash.n}): ${clash.out.join('; ')}`);
    // the node colours stay: a queue and an exchange are not drawn alike
    const fill = (sel) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).fill);
    const [qf, xf] = [await fill('.queue rect'), await fill('.exchange polygon')];
    expect(qf !== xf && qf !== 'rgb(255, 255, 255)', `kinds keep their colours: ${qf} ${xf}`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-${w}.png` });
    // → runs the step, → again goes to the next, ← back to the one before
    await page.keyboard.press('ArrowRight');
    await page.locator('.tutorial .watch').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.locator('.tutorial .step-count', { hasText: 'Step 2 / 4' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator('.tutorial .step-count', { hasText: 'Step 1 / 4' }).waitFor();
    await page.locator('.tutorial .watch').waitFor();
    // a producer publishes from the bar: its message reaches Q1 (the tutorial's key)
    const q1 = async () => parseInt((await starts(page, 'queue Q1:').getAttribute('aria-label')).match(/(\d+) ready/)[1], 10);
    await page.waitForFunction(() => /Q1: 1 ready/.test(document.querySelector('[aria-label^="queue Q1:"]')?.getAttribute('aria-label')));
    const before = await q1();
    await label(page, 'publish from emit_log_topic').click();
    await page.waitForFunction((n) => {
      const m = document.querySelector('[aria-label^="queue Q1:"]')?.getAttribute('aria-label')?.match(/(\d+) ready/);
      return m && parseInt(m[1], 10) > n;
    }, before, { timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.locator('header').waitFor();
    expect(!(await page.locator('.studio.present').count()), 'Esc left the presentation');
    await page.context().close();
  });
}

await finish(browser, 'e2e (screens)');
