// End-to-end tests of the page in headless Chromium: the canvas, files and links, embeds, runs
// and stepping, the broker restarting, RPC, the keyboard (the panels, tutorials and languages are
// in panels.test.mjs; shared helpers in lib.mjs). Serve dist/ first (scripts/e2e.sh does) and pass
// its URL as WARREN_URL. With WARREN_SCREENSHOTS=DIR, screenshots of the main views are written there.
import { readFileSync } from 'node:fs';
import {
  URL, SHOTS, errors, test, expect, label, center, countsInk, clickNode, link, logHas, setField,
  runTutorial, setPlaying, logLines, start, finish,
} from './lib.mjs';

const { browser, context, page } = await start();

await test('first visit shows the work queues example, and publishing fills the prefetch slots', async (page) => {
  await label(page, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await clickNode(page, 'producer P');
  await label(page, 'publish from P').click();
  // 4 persistent tasks, two workers with prefetch 1 (2 s each): each holds one, two wait
  await label(page, 'queue task_queue: 2 ready, 2 unacknowledged').waitFor({ timeout: 8000 });
  await label(page, 'consumer worker-1: 1 unacknowledged, prefetch 1').waitFor();
  expect((await page.locator('.consumer .slot.full').count()) === 2, 'two full slots');
  // the full slots are filled on the counts layer: two squares of the slot colour, each the
  // size of a slot as drawn
  await page.waitForFunction(() => {
    const c = document.querySelector('#counts');
    const r = document.querySelector('.consumer .slot.full').getBoundingClientRect();
    const slot = r.width * r.height * devicePixelRatio ** 2;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && d[i] === 0x2e && d[i + 1] === 0x85 && d[i + 2] === 0x40) n += 1;
    return n >= 1.6 * slot && n <= 2.4 * slot;
  }, null, { timeout: 3000 });
  // the two ready tasks wait in the queue as two small squares of a message's colour (7 units
  // a side, a slot is 12)
  await page.waitForFunction(() => {
    const c = document.querySelector('#counts');
    const r = document.querySelector('.consumer .slot.full').getBoundingClientRect();
    const square = r.width * r.height * devicePixelRatio ** 2 * (49 / 144);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && d[i] === 0xe6 && d[i + 1] === 0x9f && d[i + 2] === 0x00) n += 1;
    return n >= 1.4 * square && n <= 2.6 * square;
  }, null, { timeout: 3000 });
  // the counts layer (under the dots) has drawn them: ready/unacked text and a square per ready message
  await page.waitForTimeout(300);
  const before = await countsInk(page);
  expect(before.ink > 0, `the counts layer shows the queue's counts (${before.ink} pixels drawn)`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/work-queues.png` });
  // acks free the slots and the waiting tasks follow: at the end everything is acked
  await page.selectOption('select[aria-label="speed"]', { label: '8x' });
  await label(page, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 10000 });
  await logHas(page, "delivered from 'task_queue' to consumer worker-2");
  await page.waitForFunction(() => [...document.querySelectorAll('ol[role="log"] li')].filter((l) => / acked #/.test(l.textContent)).length === 4, null, { timeout: 5000 });
  await page.waitForTimeout(300);
  const after = await countsInk(page);
  expect(after.hash !== before.hash && after.ink > 0, 'the counts layer was redrawn with the new counts');
}, page);

await test('the first visit says what to do in one line: publish from the canvas, or a tutorial, one click away', async () => {
  const p = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await p.goto(URL);
  const start = p.locator('.inspector.start');
  await start.locator('.lead', { hasText: 'Publish a message and watch it flow' }).waitFor();
  expect((await start.locator('.tutorials button').count()) === 11, 'every tutorial is listed');
  await start.locator('button.publish', { hasText: 'Publish P' }).click();
  // its burst of 4 travels side by side: four dots' worth of the flowing colour, not one
  await p.waitForFunction(() => {
    const scale = parseFloat(document.querySelector('#diagram > g').getAttribute('transform').match(/scale\(([\d.]+)\)/)[1]);
    const c = document.querySelector('#dots');
    const k = c.width / c.clientWidth;
    const one = Math.PI * (7 * scale * k) ** 2;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && d[i] === 0xe6 && d[i + 1] === 0x9f && d[i + 2] === 0x00) n += 1;
    return n > 3.2 * one;
  }, null, { timeout: 2000 });
  await label(p, 'queue task_queue: 2 ready, 2 unacknowledged').waitFor({ timeout: 8000 });
  await start.locator('.tutorials button', { hasText: '3. Publish/Subscribe' }).click();
  await p.locator('.tutorial h2', { hasText: 'Publish/Subscribe' }).waitFor();
  await p.close();
});

await test('an invalid value is marked in its own field, with why and what the node uses; a good one clears it', async () => {
  const p = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await p.goto(URL);
  await clickNode(p, 'consumer worker-1: 0 unacknowledged, prefetch 1');
  const f = p.locator('.inspector input[aria-label="prefetch"]');
  await f.fill('lots');
  await f.press('Enter');
  const why = p.locator('.inspector label.invalid .why');
  await why.waitFor();
  expect((await why.textContent()) === "'lots' is not a number in range · in use: 1", await why.textContent());
  expect((await f.getAttribute('aria-invalid')) === 'true', 'marked invalid for screen readers');
  expect(!(await p.locator('p.error').count()), 'no banner: the field says it');
  await label(p, 'consumer worker-1: 0 unacknowledged, prefetch 1').waitFor();
  await f.fill('2');
  await f.press('Enter');
  await label(p, 'consumer worker-1: 0 unacknowledged, prefetch 2').waitFor();
  expect(!(await p.locator('.inspector label.invalid').count()), 'cleared');
  await p.close();
});

await test('build a topology by mouse, publish, and read counts, slots and the log', async (page) => {
  await label(page, 'new empty canvas').click();
  await page.locator('.node').first().waitFor({ state: 'detached' });
  await label(page, 'add a producer').click();
  await label(page, 'add a queue').click();
  await label(page, 'add a consumer').click();
  await link(page, 'producer-1', 'queue queue-1: 0 ready, 0 unacknowledged');
  await link(page, 'queue-1', 'consumer consumer-1: 0 unacknowledged, prefetch 1');
  await label(page, 'link producer-1 to queue-1').waitFor({ state: 'attached' });
  await label(page, 'link queue-1 to consumer-1').waitFor({ state: 'attached' });
  await clickNode(page, 'consumer consumer-1: 0 unacknowledged, prefetch 1');
  await setField(page, 'processing ms', 600000);
  await clickNode(page, 'producer producer-1');
  await setField(page, 'burst', 3);
  await label(page, 'publish from producer-1').click();
  // dots are drawn for messages in flight
  await page.waitForFunction(() => Number(document.querySelector('#dots').dataset.dots) > 0, null, { timeout: 3000 });
  // and they are on the dots layer: pixels in a flowing message's colour (#e69f00)
  const orange = await page.evaluate(() => {
    const c = document.querySelector('#dots');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && d[i] === 0xe6 && d[i + 1] === 0x9f && d[i + 2] === 0x00) n += 1;
    return n;
  });
  expect(orange >= 50, `a dot's worth of orange pixels on the dots layer (${orange})`);
  await label(page, 'queue queue-1: 2 ready, 1 unacknowledged').waitFor({ timeout: 8000 });
  await label(page, 'consumer consumer-1: 1 unacknowledged, prefetch 1').waitFor();
  expect((await page.locator('.consumer .slot.full').count()) === 1, 'one full slot');
  await logHas(page, 'producer-1 published #3 to the default exchange');
  await logHas(page, "delivered from 'queue-1' to consumer consumer-1 (delivery tag 1)");
  // clicking a log line selects its message and explains it
  await page.locator('ol[role="log"] li', { hasText: 'published #1' }).click();
  const insp = await page.locator('.inspector').innerText();
  expect(insp.includes('message #1') && insp.includes('body "message 1"'), 'message inspector: ' + insp);
  // and the nodes it went through are highlighted: producer, queue, consumer
  expect((await page.locator('.node.onpath').count()) === 3, 'its path is highlighted');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/built-by-mouse.png` });
}, page);

await test('delete with the Delete key, undo with Ctrl+Z, redo with Ctrl+Y', async (page) => {
  await clickNode(page, 'producer producer-1');
  await page.keyboard.press('Delete');
  await label(page, 'producer producer-1').waitFor({ state: 'detached' });
  expect((await label(page, 'link producer-1 to queue-1').count()) === 0, 'its link went too');
  await page.keyboard.press('Control+z');
  await label(page, 'producer producer-1').waitFor();
  await label(page, 'link producer-1 to queue-1').waitFor({ state: 'attached' });
  await page.keyboard.press('Control+y');
  await label(page, 'producer producer-1').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+z');
  await label(page, 'producer producer-1').waitFor();
}, page);

await test('step forward and back through the events, paused', async (page) => {
  await label(page, 'restart from the same seed').click();
  await label(page, 'pause').click();
  await clickNode(page, 'producer producer-1');
  await label(page, 'publish from producer-1').click();
  const clock = () => label(page, 'simulated time').innerText();
  const t0 = await clock();
  // step until the first delivery has landed: one in the consumer's slot, two waiting
  const target = label(page, 'queue queue-1: 2 ready, 1 unacknowledged');
  for (let i = 0; i < 6 && (await target.count()) === 0; i++) await label(page, 'step forward').click();
  await target.waitFor({ timeout: 2000 });
  const t1 = await clock();
  expect(t1 !== t0, `stepping moves the clock (${t0} → ${t1})`);
  // back to before the publish: nothing in the queue
  for (let i = 0; i < 6; i++) await label(page, 'step back').click();
  await label(page, 'queue queue-1: 0 ready, 0 unacknowledged').waitFor({ timeout: 2000 });
  // and forward again to the same state: the engine is deterministic
  for (let i = 0; i < 6 && (await target.count()) === 0; i++) await label(page, 'step forward').click();
  await target.waitFor({ timeout: 2000 });
  await label(page, 'play').click();
}, page);

await test('the canvas survives a reload (local storage)', async (page) => {
  await page.reload();
  await label(page, 'producer producer-1').waitFor();
  await label(page, 'link queue-1 to consumer-1').waitFor({ state: 'attached' });
}, page);

await test('an unreadable saved canvas is kept aside with a message, and the example shows', async (page) => {
  const saved = await page.evaluate(() => localStorage.getItem('warren.design'));
  await page.evaluate(() => localStorage.setItem('warren.design', '{"steps": [], "canvas": {"version": 99, "nodes": [], "links": []}}'));
  await page.reload();
  const note = await page.locator('[role="status"].notice').innerText();
  expect(note.includes('newer Warren') && note.includes('warren.design.unreadable'), note);
  expect((await page.evaluate(() => localStorage.getItem('warren.design.unreadable'))).includes('"version": 99'), 'kept');
  await label(page, 'producer P').waitFor();
  // put the user's canvas back for the next tests
  await page.evaluate((t) => localStorage.setItem('warren.design', t), saved);
  await page.reload();
  await label(page, 'producer producer-1').waitFor();
}, page);

await test('a broken file is refused with a message and the canvas stays', async (page) => {
  await page.setInputFiles('input[aria-label="load scenario file"]', {
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"steps": [\n {"call": }\n]}'),
  });
  const alert = page.locator('[role="alert"]');
  await alert.waitFor();
  const text = await alert.innerText();
  expect(text.includes('could not be loaded; your canvas is unchanged') && text.includes('line 2'), text);
  await label(page, 'producer producer-1').waitFor();
}, page);

await test('an opened file starts a run of its own, even of the same topology', async (page) => {
  const file = { name: 'waiting.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({
    name: 'waiting', seed: 1, steps: [], canvas: { version: 1, nodes: [
      { id: 1, name: 'p', kind: 'producer', x: 120, y: 100, body: 'm {n}', burst: 3 },
      { id: 2, name: 'q', kind: 'queue', x: 420, y: 100 }], links: [{ from: 1, to: 2 }] },
  })) };
  await page.setInputFiles('input[aria-label="load scenario file"]', file);
  await label(page, 'queue q: 0 ready, 0 unacknowledged').waitFor();
  await clickNode(page, 'producer p');
  await label(page, 'publish from p').click();
  await label(page, 'queue q: 3 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await page.setInputFiles('input[aria-label="load scenario file"]', file);
  await label(page, 'queue q: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
}, page);

await test('a plain scenario file loads as its topology (the topics tutorial)', async (page) => {
  const topics = readFileSync(new globalThis.URL('../conformance/topics.json', import.meta.url));
  await page.setInputFiles('input[aria-label="load scenario file"]', { name: 'topics.json', mimeType: 'application/json', buffer: topics });
  await label(page, 'topic exchange topic_logs').waitFor();
  const edges = await page.locator('g.edge').count();
  expect(edges >= 4, `bindings drawn: ${edges}`);
  // the topic tester: type a key, see which bindings match
  await clickNode(page, 'topic exchange topic_logs');
  await label(page, 'test routing key').fill('quick.orange.rabbit');
  const rows = await page.locator('.tester li.match').allInnerTexts();
  expect(rows.some((r) => r.includes('*.orange.*')) && rows.some((r) => r.includes('*.*.rabbit')), rows.join(' | '));
  expect(!rows.some((r) => r.includes('lazy.#')), 'lazy.# does not match');
  expect(rows.some((r) => r.includes("'*' = 'quick', 'orange' = 'orange', '*' = 'rabbit'")), 'the words are lined up: ' + rows.join(' | '));
  const misses = await page.locator('.tester li.miss').allInnerTexts();
  expect(misses.some((r) => r.includes("word 1: 'lazy' ≠ 'quick'")), 'a miss says why: ' + misses.join(' | '));
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/topics.png` });
}, page);

await test('save as a scenario file and as RabbitMQ definitions; definitions load back as a topology', async (page) => {
  const read = async (dl) => readFileSync(await dl.path(), 'utf8');
  const [saved] = await Promise.all([page.waitForEvent('download'), label(page, 'save scenario file').click()]);
  const scenario = JSON.parse(await read(saved));
  expect(scenario.steps.some((s) => s.call === 'queue_bind') && scenario.canvas.version === 1, 'a scenario with its canvas');
  const [defs] = await Promise.all([page.waitForEvent('download'), label(page, 'export RabbitMQ definitions').click()]);
  expect(defs.suggestedFilename().endsWith('.definitions.json'), defs.suggestedFilename());
  const d = JSON.parse(await read(defs));
  expect(d.exchanges.some((x) => x.name === 'topic_logs' && x.type === 'topic'), 'the exchange');
  // the tutorial's queues are exclusive: RabbitMQ exports neither them nor (once their
  // connection is gone) their bindings
  expect(d.queues.length === 0 && d.bindings.length === 0, 'no exclusive queues: ' + JSON.stringify(d.queues));
  // load them (with a user, which a canvas cannot hold) into a fresh canvas
  await label(page, 'new empty canvas').click();
  d.users = [{ name: 'guest' }];
  await page.setInputFiles('input[aria-label="load scenario file"]', { name: 'defs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(d)) });
  await label(page, 'topic exchange topic_logs').waitFor();
  const note = await page.locator('[role="status"].notice').innerText();
  expect(note.includes('left out') && note.includes('users: 1'), note);
}, page);

await test('a share link opens the same scenario elsewhere; a damaged one says so and changes nothing', async (page) => {
  await label(page, 'share as a link').click();
  const url = await label(page, 'share link').inputValue();
  expect(/#s1\.[A-Za-z0-9_-]+$/.test(url), url);
  const snippet = await label(page, 'embed snippet').inputValue();
  expect(snippet.startsWith('<iframe src="') && snippet.includes('?embed#s1.') && snippet.includes('title="Warren: '), snippet);
  // Copy puts each on the clipboard and says so; a browser that refuses is told as plainly
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new globalThis.URL(URL).origin });
  await label(page, 'copy the embed snippet').click();
  await page.locator('.notice.share .copied', { hasText: 'Copied ✓' }).waitFor();
  expect((await page.evaluate(() => navigator.clipboard.readText())) === snippet, 'the snippet is on the clipboard');
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
  await label(page, 'copy the link').click();
  await page.locator('.notice.share .copied', { hasText: 'Not copied: select the text and copy it' }).waitFor();
  await page.evaluate(() => { delete navigator.clipboard.writeText; });
  const other = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const p2 = await other.newPage();
  await p2.goto(url);
  await label(p2, 'topic exchange topic_logs').waitFor();
  const note = await p2.locator('[role="status"].notice').innerText();
  expect(note.includes('Opened the shared design'), note);
  expect(!(await p2.evaluate(() => location.hash)), 'the fragment is cleared after opening');
  // Undo returns to what that browser had (the example)
  await label(p2, 'undo').click();
  await label(p2, 'producer P').waitFor();
  // a damaged link pasted into the same tab
  await p2.evaluate((h) => { location.hash = h; }, url.slice(url.indexOf('#'), -12));
  const alert = await p2.locator('[role="alert"]').innerText();
  expect(alert.includes('could not be opened; your canvas is unchanged') && alert.includes('damaged'), alert);
  await label(p2, 'producer P').waitFor();
  await other.close();
}, page);

await test('a share link carries the run: what was published and stopped replays at its instants', async () => {
  const ctx1 = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const p1 = await ctx1.newPage();
  await p1.goto(URL);
  await label(p1, 'producer P').waitFor();
  await setPlaying(p1, false);
  await clickNode(p1, 'producer P');
  await label(p1, 'publish from P').click();
  await setPlaying(p1, true);
  await logHas(p1, 'worker-1 acked', 8000);
  const [x, y] = await center(p1.locator('[aria-label^="consumer worker-2: "]').first());
  await p1.mouse.move(x, y);
  await p1.mouse.down();
  await p1.mouse.up();
  await label(p1, 'stop worker-2').click();
  await label(p1, 'share as a link').click();
  const url = await label(p1, 'share link').inputValue();
  await ctx1.close();
  const ctx2 = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  const p2 = await ctx2.newPage();
  await p2.goto(url);
  // the four tasks are published again, acked, and worker-2 is stopped again
  await logHas(p2, 'published #4', 8000);
  await logHas(p2, 'worker-1 acked', 8000);
  await p2.locator('[aria-label^="consumer worker-2: "][aria-label$=", stopped"]').waitFor({ timeout: 15000 });
  await ctx2.close();
});

await test('a link to a scenario without a canvas (`warren share`) opens as its topology, imported by the tools worker', async () => {
  // the embed example's link: the topics tutorial's steps, with no canvas
  const embed = readFileSync(new globalThis.URL('../../docs/embed.html', import.meta.url), 'utf8');
  const fragment = embed.match(/#s1\.[A-Za-z0-9_-]+/)[0];
  const other = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const p2 = await other.newPage();
  const workers = [];
  p2.on('request', (r) => { if (r.url().includes('warren-tools')) workers.push(r.url()); });
  await p2.goto(URL + fragment);
  await label(p2, 'topic exchange topic_logs').waitFor();
  await label(p2, 'producer A').waitFor();
  expect(workers.length > 0, 'the tools worker imported it');
  const note = await p2.locator('[role="status"].notice').innerText();
  expect(note.includes('Opened the shared design'), note);
  // one Undo away from what that browser had (the example)
  await label(p2, 'undo').click();
  await label(p2, 'producer P').waitFor();
  await other.close();
}, page);

await test('embedded in a doc page: the canvas with play and step, no editing, the reader\'s canvas untouched', async (page) => {
  const before = await page.evaluate(() => localStorage.getItem('warren.design'));
  const doc = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await doc.goto(new globalThis.URL('embed.html', URL).href);
  const frame = doc.frameLocator('#example');
  await frame.locator('[aria-label="topic exchange topic_logs"]').waitFor();
  expect((await frame.locator('[aria-label="add a producer"]').count()) === 0, 'no palette');
  expect((await frame.locator('.inspector').count()) === 0, 'no inspector');
  // the example is live: its scenario's publishes replay, and reach the consumers
  const got = async () => (await frame.locator('[aria-label^="consumer "]').evaluateAll((ns) => ns.map((n) => +n.getAttribute('aria-label').match(/got (\d+)/)[1]))).reduce((a, b) => a + b, 0);
  for (let i = 0; i < 80 && (await got()) === 0; i++) await doc.waitForTimeout(100);
  const replayed = await got();
  expect(replayed > 0, 'the embedded run delivered something');
  // and the reader can publish from the frame's bar
  await frame.locator('[aria-label="publish from A"]').click();
  for (let i = 0; i < 50 && (await got()) === replayed; i++) await doc.waitForTimeout(100);
  expect((await got()) > replayed, `a publish from the embed was delivered (${replayed} before)`);
  await frame.locator('[aria-label="pause"]').click();
  await frame.locator('[aria-label="play"]').waitFor();
  await frame.locator('[aria-label="step forward"]').click();
  // the frame keeps its link: reloaded by itself, it shows the same scenario
  const inner = doc.frames().find((f) => f !== doc.mainFrame());
  await inner.evaluate(() => location.reload());
  await inner.waitForLoadState();
  await frame.locator('[aria-label="topic exchange topic_logs"]').waitFor();
  // dragging a node does not move it against the others (no &edit; the view may pan)
  const node = frame.locator('[aria-label="topic exchange topic_logs"]');
  const other = frame.locator('[aria-label="producer A"]');
  const gap = async () => { const [a, b] = [await node.boundingBox(), await other.boundingBox()]; return [a.x - b.x, a.y - b.y]; };
  const g0 = await gap();
  const b0 = await node.boundingBox();
  await doc.mouse.move(b0.x + b0.width / 2, b0.y + b0.height / 2);
  await doc.mouse.down();
  await doc.mouse.move(b0.x + 200, b0.y + 100, { steps: 5 });
  await doc.mouse.up();
  const g1 = await gap();
  expect(Math.abs(g1[0] - g0[0]) < 1 && Math.abs(g1[1] - g0[1]) < 1, `the node stayed in place: ${g0} → ${g1}`);
  // a tutorial in a frame, in Chinese (?embed&tutorial=work-queues&lang=zh)
  const tut = doc.frameLocator('#tutorial');
  await tut.locator('.tutorial h2', { hasText: '工作队列' }).waitFor();
  await tut.locator('.tutorial .do').click();
  await tut.locator('.tutorial .watch', { hasText: '轮流分发' }).waitFor();
  await doc.close();
  expect((await page.evaluate(() => localStorage.getItem('warren.design'))) === before, 'autosave untouched');
}, page);

await test('presentation mode: the canvas alone, large type; and back', async (page) => {
  await label(page, 'Present').click();
  await page.locator('.studio.present').waitFor();
  expect(!(await page.locator('aside').isVisible()), 'the side panel is hidden');
  expect((await label(page, 'Exit presentation').getAttribute('aria-pressed')) === 'true', 'pressed');
  await page.waitForTimeout(300);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/present.png` });
  await label(page, 'Exit presentation').click();
  await page.locator('aside').waitFor();
}, page);

await test('a broker restart keeps the durable queue and its persistent messages; workers reconnect', async (page) => {
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await label(page, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor();
  await clickNode(page, 'producer P');
  await label(page, 'publish from P').click();
  await label(page, 'queue task_queue: 2 ready, 2 unacknowledged').waitFor({ timeout: 8000 });
  await label(page, 'Broker restart').click();
  await logHas(page, 'the broker restarted');
  // the unacked two went back to the queue, all four survived (durable queue, persistent
  // messages), the workers subscribed again and got two of them redelivered
  await logHas(page, 'redelivered');
  await label(page, 'queue task_queue: 2 ready, 2 unacknowledged').waitFor({ timeout: 8000 });
}, page);

await test('what a broker restart loses is drawn lost, and a step back before it shows it again', async (p) => {
  await p.goto(URL + '?tutorial=topics');
  await label(p, 'close the tutorial').click();
  await label(p, 'topic exchange topic_logs').waitFor();
  await p.waitForTimeout(300);
  await setPlaying(p, false);
  await label(p, 'Broker restart').click();
  // a transient exchange, its bindings and the transient queues are gone
  await label(p, 'topic exchange topic_logs: not on the broker').waitFor({ timeout: 5000 });
  await label(p, 'link topic_logs to Q1 with key *.orange.*, not on the broker').waitFor({ state: 'attached' });
  await label(p, 'queue Q1: not on the broker').waitFor();
  // before the restart they were there
  for (let i = 0; i < 10 && await label(p, 'topic exchange topic_logs').count() === 0; i++) await label(p, 'step back').click();
  await label(p, 'topic exchange topic_logs').waitFor({ timeout: 1000 });
  await label(p, 'link topic_logs to Q1 with key *.orange.*').waitFor({ state: 'attached' });
  await label(p, 'queue Q1: 0 ready, 0 unacknowledged').waitFor();
  await p.close();
}, await browser.newPage({ viewport: { width: 1400, height: 860 } }));

await test('RPC: the reply carries the request\'s correlation id and selecting one highlights the pair', async (page) => {
  const rpc = {
    name: 'RPC', seed: 3, steps: [],
    canvas: { version: 1, nodes: [
      { id: 1, name: 'client', kind: 'producer', x: 110, y: 100, body: 'fib {n}', correlation_id: 'call-{n}', reply_to: 'amq_reply' },
      { id: 2, name: 'rpc_queue', kind: 'queue', x: 550, y: 100 },
      { id: 3, name: 'server', kind: 'consumer', x: 770, y: 100, reply: true, processing_ms: 500 },
      { id: 4, name: 'amq_reply', kind: 'queue', x: 550, y: 260, server_named: true, exclusive: true },
      { id: 5, name: 'reader', kind: 'consumer', x: 770, y: 260, auto_ack: true },
    ], links: [{ from: 1, to: 2 }, { from: 2, to: 3 }, { from: 4, to: 5 }] },
  };
  await page.setInputFiles('input[aria-label="load scenario file"]', { name: 'rpc.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rpc)) });
  await label(page, 'producer client').waitFor();
  await clickNode(page, 'producer client');
  await label(page, 'publish from client').click();
  await logHas(page, 'delivered from', 5000);
  await logHas(page, 'to consumer reader', 8000);
  await page.locator('ol[role="log"] li', { hasText: 'published #2' }).first().click();
  const insp = await page.locator('.inspector').innerText();
  expect(insp.includes('reply to fib 1') && insp.includes('call-1'), 'the reply: ' + insp);
  expect(insp.includes('Goes with: #1') && insp.includes('same correlation id'), 'the pair: ' + insp);
  expect((await page.locator('ol[role="log"] li.on').count()) >= 4, 'both messages highlighted in the log');
  // the reply's way is an edge (dashed), and the server-named queue shows the broker's name
  await label(page, 'server replies to amq_reply').waitFor();
  const gen = await page.locator('.notes.queue .broker-name title').first().textContent();
  expect(/^amq\.gen-/.test(gen), `the broker's name for amq_reply: ${gen}`);
  await logHas(page, `to consumer reader`);
  expect((await page.locator('ol[role="log"] li', { hasText: `from '${gen}'` }).count()) > 0, 'the log names the queue as the canvas does');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/rpc.png` });
}, page);

await test('bind a topic exchange with keys from the inspector; publish; unroutable messages are logged', async (page) => {
  await label(page, 'new empty canvas').click();
  for (const k of ['a producer', 'an exchange', 'a queue', 'a queue']) await label(page, `add ${k}`).click();
  await clickNode(page, 'direct exchange exchange-1');
  await page.selectOption('select[aria-label="exchange type"]', 'topic');
  await label(page, 'topic exchange exchange-1').waitFor();
  await link(page, 'producer-1', 'topic exchange exchange-1');
  await link(page, 'exchange-1', 'queue queue-1: 0 ready, 0 unacknowledged');
  await link(page, 'exchange-1', 'queue queue-2: 0 ready, 0 unacknowledged');
  // select each binding from the keyboard and give it a key
  for (const [q, key] of [['queue-1', '*.orange.*'], ['queue-2', 'lazy.#']]) {
    await label(page, `link exchange-1 to ${q} with key ${q}`).focus();
    await page.keyboard.press('Enter');
    await setField(page, 'binding key', key);
    await label(page, `link exchange-1 to ${q} with key ${key}`).waitFor({ state: 'attached' });
  }
  await clickNode(page, 'producer producer-1');
  await setField(page, 'routing key', 'quick.orange.rabbit');
  await label(page, 'publish from producer-1').click();
  await label(page, 'queue queue-1: 1 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await label(page, 'queue queue-2: 0 ready, 0 unacknowledged').waitFor();
  await setField(page, 'routing key', 'quick.brown.fox');
  await label(page, 'publish from producer-1').click();
  await logHas(page, "matched no binding of exchange 'exchange-1': unroutable");
  // the edit kept the run: the first message is still there, and still in the log
  await label(page, 'queue queue-1: 1 ready, 0 unacknowledged').waitFor();
  await logHas(page, "with key 'quick.orange.rabbit'");
  // a change the running broker would refuse: the run goes on, and says why
  await clickNode(page, 'queue queue-1: 1 ready, 0 unacknowledged');
  await setField(page, 'x-message-ttl ms', 60000);
  await page.locator('.notice', { hasText: 'This change needs a new run' }).waitFor();
  expect((await page.locator('.notice').textContent()).includes('inequivalent arg'), 'RabbitMQ\'s words');
  await label(page, 'queue queue-1: 1 ready, 0 unacknowledged').waitFor();
  // ↺ Restart runs the changed design; Undo brings the run before back
  await label(page, 'restart from the same seed').click();
  await label(page, 'queue queue-1: 0 ready, 0 unacknowledged').waitFor();
  await label(page, 'undo').click();
  await label(page, 'queue queue-1: 1 ready, 0 unacknowledged').waitFor();
  await logHas(page, "with key 'quick.orange.rabbit'");
}, page);

await test('keyboard only: add, select with Enter, link from the inspector, publish', async (page) => {
  await label(page, 'new empty canvas').focus();
  await page.keyboard.press('Enter');
  await label(page, 'add a producer').focus();
  await page.keyboard.press('Enter');
  await label(page, 'add a queue').focus();
  await page.keyboard.press('Enter');
  await label(page, 'producer producer-1').focus();
  await page.keyboard.press('Enter');
  await page.locator('.inspector h2', { hasText: 'producer producer-1' }).waitFor();
  await page.selectOption('select[aria-label="link to"]', { label: 'queue queue-1' });
  await label(page, 'link producer-1 to queue-1').waitFor({ state: 'attached' });
  await label(page, 'publish from producer-1').focus();
  await page.keyboard.press('Enter');
  await label(page, 'queue queue-1: 1 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  // the wheel zooms around the pointer; Fit brings everything back into view
  const t0 = await page.locator('#diagram > g').getAttribute('transform');
  const [cx, cy] = await center(label(page, 'producer producer-1'));
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((t) => document.querySelector('#diagram > g').getAttribute('transform') !== t, t0);
  await label(page, 'fit to screen').click();
  // Shift+arrow moves the selected node
  const before = await label(page, 'producer producer-1').boundingBox();
  await page.locator('.studio').focus();
  await page.keyboard.press('Shift+ArrowDown');
  await page.waitForFunction((y) => document.querySelector('[aria-label="producer producer-1"]').getBoundingClientRect().y > y, before.y);
}, page);

await test('controls and the log have labels for screen readers and work from the keyboard', async (page) => {
  for (const l of ['play', 'step back', 'step forward', 'speed', 'restart from the same seed', 'Broker restart', 'undo', 'redo', 'event log', 'filter the log']) {
    expect((await label(page, l).count()) + (await label(page, 'pause').count()) > 0, `labelled: ${l}`);
  }
  expect((await page.locator('ol[role="log"]').count()) === 1, 'a log region');
  expect((await page.locator('[role="log"][aria-label="console output"]').count()) === 1, 'the console output is a log region too');
  await page.locator('.studio').focus();
  const before = await label(page, 'pause').count();
  await page.keyboard.press(' ');
  const after = await label(page, 'pause').count();
  expect(before !== after, 'space toggles play and pause');
}, page);


await test('a guided tutorial: steps, what to watch, a question checked against the canvas, Undo back', async (page) => {
  await label(page, 'new empty canvas').click();
  await label(page, 'add a queue').click();
  await label(page, 'queue queue-1: 0 ready, 0 unacknowledged').waitFor();
  await page.selectOption('select[aria-label="tutorials"]', { label: '1. Hello World' });
  await page.locator('.tutorial h2', { hasText: 'Hello World' }).waitFor();
  await page.locator('.tutorial .intro', { hasText: 'default exchange' }).waitFor();
  await page.locator('.tutorial .do').click();
  await page.locator('.tutorial .watch', { hasText: 'auto_ack' }).waitFor();
  await label(page, 'consumer receiver: 0 unacknowledged, prefetch 1, got 1').waitFor({ timeout: 5000 });
  await page.locator('.tutorial .next').click();
  await runTutorial(page);
  await label(page, 'consumer receiver: 0 unacknowledged, prefetch 1, got 1, stopped').waitFor();
  await label(page, 'queue hello: 3 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await label(page, 'your answer').fill('2');
  await page.locator('.tutorial .check').click();
  await page.locator('.verdict.wrong', { hasText: 'hello' }).waitFor();
  await label(page, 'your answer').fill('3');
  await label(page, 'your answer').press('Enter');
  await page.locator('.verdict.right', { hasText: 'Right.' }).waitFor();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/tutorial.png` });
  // start over: step 1 again, the simulation from the beginning
  await page.locator('.tutorial .again').click();
  await page.locator('.tutorial .do').waitFor();
  await label(page, 'queue hello: 0 ready, 0 unacknowledged').waitFor();
  await label(page, 'consumer receiver: 0 unacknowledged, prefetch 1, got 0').waitFor();
  // the learner's own canvas is one Undo away
  await label(page, 'close the tutorial').click();
  await label(page, 'undo').click();
  await label(page, 'queue queue-1: 0 ready, 0 unacknowledged').waitFor();
}, page);


const wq = await browser.newPage({ viewport: { width: 1400, height: 860 } });
await test('work queues: a 3 s worker runs one task at a time (acks at +3, +6, +9 s), and fair dispatch finishes first', async (p) => {
  await p.goto(URL + '?tutorial=work-queues');
  const acks = async (n) => p.waitForFunction((n) => [...document.querySelectorAll('ol[role="log"] li')]
    .filter((l) => / acked #/.test(l.textContent)).length === n, n, { timeout: 15000 });
  // step 1, round-robin: each worker gets 3 of 6 tasks at once (no prefetch limit)
  await p.locator('.tutorial .do').click();
  await p.selectOption('select[aria-label="speed"]', { label: '8x' });
  await acks(6);
  await setPlaying(p, false);
  let lines = await logLines(p);
  const at = (re) => lines.filter(([, t]) => re.test(t)).map(([s]) => s);
  const got = at(/to consumer worker-1 /);
  const w1 = at(/worker-1 acked/);
  expect(got.length === 3 && w1.length === 3, `worker-1: ${got} / ${w1}`);
  // each task reaches the worker a hop (0.4 s) after the broker sent it, and each ack the broker
  // a hop after it left: the worker acked at +3, +6, +9 s after its first task arrived
  const rel = w1.map((s) => Math.round((s - 0.4 - (got[0] + 0.4)) * 100) / 100);
  expect(JSON.stringify(rel) === '[3,6,9]', `worker-1 acks ${rel} s after its first task arrived (one callback at a time)`);
  // how long the six tasks took, from the publish
  const took = () => Math.max(...at(/ acked #/)) - Math.min(...at(/ published #/));
  const roundRobin = took();
  // step 2, fair dispatch (prefetch 1 on both, the run starts again): done sooner
  await p.locator('.tutorial .next').click();
  await p.locator('.tutorial .do').click();
  await setPlaying(p, true);
  await acks(6);
  await setPlaying(p, false);
  lines = await logLines(p);
  const fair = took();
  expect(fair + 1.5 < roundRobin, `fair dispatch took ${fair} s, round-robin ${roundRobin} s`);
  await p.close();
}, wq);

const sc = await browser.newPage({ viewport: { width: 1400, height: 860 } });
await test('one clock: at every step of a run the canvas counts what list_queues prints', async (p) => {
  await p.goto(URL + '?tutorial=work-queues');
  await label(p, 'close the tutorial').click();
  // the clock moves while playing, though nothing happens
  await setPlaying(p, true);
  const c0 = await label(p, 'simulated time').textContent();
  await p.waitForTimeout(700);
  const c1 = await label(p, 'simulated time').textContent();
  expect(c0 !== c1, `the clock stayed at ${c0}`);
  await setPlaying(p, false);
  await clickNode(p, 'producer new_task');
  await label(p, 'publish from new_task').click();
  await p.locator('.console summary').click();
  const cmd = label(p, 'console command');
  const out = p.locator('[aria-label="console output"]');
  let compared = 0, busy = 0;
  // step by step through the run (a publish, a delivery, an ack…), and once stepped back
  for (let i = 0; i < 40; i++) {
    await label(p, i === 30 ? 'step back' : 'step forward').click();
    const shown = await p.locator('[aria-label^="queue task_queue: "]').first().getAttribute('aria-label');
    const [, ready, unacked] = shown.match(/(\d+) ready, (\d+) unacknowledged/);
    const before = await out.locator('pre').count();
    await cmd.fill('list_queues name messages_ready messages_unacknowledged');
    await cmd.press('Enter');
    await out.locator('pre').nth(before).waitFor();
    const text = await out.locator('pre').last().textContent();
    const clock = await label(p, "simulated time").textContent();
    expect(text.includes(`task_queue\t${ready}\t${unacked}\n`), `step ${i} (${clock}): the canvas shows ${ready} ready, ${unacked} unacked; list_queues printed ${JSON.stringify(text)}`);
    compared += 1;
    if (+ready + +unacked > 0) busy += 1;
  }
  expect(compared === 40 && busy >= 5, `${compared} steps compared, ${busy} with messages`);
  await p.close();
}, await browser.newPage({ viewport: { width: 1400, height: 860 } }));

await test('a stopped consumer starts again from its inspector; a step back shows it running before its stop', async (p) => {
  await p.goto(URL + '?tutorial=work-queues');
  await label(p, 'close the tutorial').click();
  const w = (n, rest = '') => `consumer ${n}: 0 unacknowledged, prefetch 0, got 0${rest}`;
  await setPlaying(p, true);
  await p.waitForTimeout(500);
  await setPlaying(p, false);
  for (const n of ['worker-1', 'worker-2']) {
    await clickNode(p, w(n));
    await label(p, `stop ${n}`).click();
    await label(p, w(n, ', stopped')).waitFor();
  }
  // both stopped: the six tasks wait in the queue
  await clickNode(p, 'producer new_task');
  await label(p, 'publish from new_task').click();
  await setPlaying(p, true);
  await label(p, 'queue task_queue: 6 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await setPlaying(p, false);
  // stepping back to before the stops shows the workers running again
  for (let i = 0; i < 30 && await label(p, w('worker-1', ', stopped')).count(); i++) await label(p, 'step back').click();
  await label(p, w('worker-1')).waitFor({ timeout: 1000 });
  await label(p, w('worker-2')).waitFor({ timeout: 1000 });
  // forward again: stopped; started from its inspector, worker-1 takes the six waiting tasks
  for (let i = 0; i < 60 && !(await label(p, 'queue task_queue: 6 ready, 0 unacknowledged').count()); i++) await label(p, 'step forward').click();
  await label(p, w('worker-1', ', stopped')).waitFor({ timeout: 1000 });
  await clickNode(p, w('worker-1', ', stopped'));
  await label(p, 'start worker-1').click();
  await setPlaying(p, true);
  await label(p, 'consumer worker-1: 6 unacknowledged, prefetch 0, got 6').waitFor({ timeout: 8000 });
  await label(p, w('worker-2', ', stopped')).waitFor();
  await p.close();
}, sc);

// The page's wasm comes in two parts (split/): what it runs when it opens, and the rest, fetched
// once the page is idle. Opened the ways people open it, the page runs without the rest until
// then (if this fails, the first load calls into the lazy part: run scripts/first_load.sh).
await test('the first load runs without the lazy part of the wasm, which comes once the page is idle', async () => {
  const embed = readFileSync(new globalThis.URL('../../docs/embed.html', import.meta.url), 'utf8').match(/index\.html(\?embed#s1\.[A-Za-z0-9_-]+)/)[1];
  for (const query of ['', '?tutorial=hello-world', '?tutorial=work-queues&lang=zh', embed]) {
    const p = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    const lazy = [];
    p.on('request', (r) => { if (r.url().endsWith('.lazy.wasm')) lazy.push(r.resourceType()); });
    await p.goto(URL + query);
    await p.locator('#diagram').waitFor();
    await p.waitForFunction(() => globalThis.__warrenLazy?.how, null, { timeout: 8000 });
    const { how, slot } = await p.evaluate(() => globalThis.__warrenLazy);
    expect(how === 'idle', `${query.slice(0, 30) || 'the page'}: the lazy part was ${how} before the page was idle (slot ${slot} in target/split-stubs.txt)`);
    expect(lazy.length === 1 && lazy[0] === 'fetch', `one fetch of the lazy part: ${lazy}`);
    await p.close();
  }
  // the idle fetch fails (a flaky network): the first click that needs the rest loads it then
  const p = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  await p.route('**/*.lazy.wasm', (r) => (r.request().resourceType() === 'fetch' ? r.abort() : r.continue()));
  await p.goto(URL);
  await label(p, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await p.waitForTimeout(3500);
  expect(await p.evaluate(() => globalThis.__warrenLazy.how) === null, 'the idle fetch was refused');
  await clickNode(p, 'producer P');
  await label(p, 'publish from P').click();
  await label(p, 'queue task_queue: 2 ready, 2 unacknowledged').waitFor({ timeout: 8000 });
  expect(await p.evaluate(() => globalThis.__warrenLazy.how) === 'needed', 'loaded when needed');
  await p.close();
});

await finish(browser, 'e2e');
