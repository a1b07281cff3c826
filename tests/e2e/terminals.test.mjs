// End-to-end tests of the terminals panel in headless Chromium: a learner's own pika scripts
// (the tutorials' send.py and receive.py, worker.py and new_task.py, a syntax error, a loop that
// never ends, an import the browser cannot give) run in terminals, each in a Python of its own
// (pyodide in a worker, loaded on first use), on the simulated broker. Serve dist/ first
// (scripts/e2e.sh does) and pass its URL as WARREN_URL.
import { URL, SHOTS, test, expect, label, start, finish, setPlaying, center } from './lib.mjs';
import { readFileSync } from 'node:fs';

const { browser, page } = await start();
const tutorial = (f) => readFileSync(new globalThis.URL(`../python/tutorials/${f}`, import.meta.url), "utf8");

/** Put a file in the panel: a new one, named and pasted. */
async function addFile(p, name, text) {
  if (!(await p.locator('.terminals').count())) await label(p, 'terminals').first().click();
  const names = p.locator('.terminals .file input.name');
  const n = await names.count();
  await p.locator('.terminals button', { hasText: 'New file' }).click();
  // the new file's row, once the page has drawn it (a design playing behind it keeps the page busy)
  await p.waitForFunction((n) => document.querySelectorAll('.terminals .file input.name').length > n, n);
  const last = names.nth(n);
  const area = p.locator(`.terminals textarea[aria-label="text of ${name}"]`);
  // typed, not pasted at once: a render while typing must not lose what was typed
  await last.fill('');
  await last.pressSequentially(name, { delay: 20 });
  await area.fill(text);
}

/** Type command lines into the terminals (as many terminals as lines). */
async function commands(p, lines) {
  while ((await p.locator('.terminals .term').count()) < lines.length) {
    await p.locator('.terminals button', { hasText: 'New terminal' }).click();
  }
  for (const [i, line] of lines.entries()) {
    const input = label(p, `terminal ${i + 1}`);
    await input.fill(line);
    await input.dispatchEvent('change');
  }
}

const output = (p, k) => label(p, `terminal ${k} output`);

await test('send.py and receive.py, pasted and run in two terminals: the canvas draws their queue, their clients and the message, on its clock; Ctrl+C stops the receiver', async () => {
  const fetched = [];
  page.on('request', (r) => { if (/pyodide|python-worker/.test(r.url())) fetched.push(r.url().replace(/.*\//, '')); });
  await page.waitForTimeout(300);
  expect(fetched.length === 0, `the page loaded Python before a terminal ran: ${fetched}`);
  await label(page, 'terminals').first().click();
  await addFile(page, 'send.py', tutorial('send.py'));
  await addFile(page, 'receive.py', tutorial('receive.py'));
  await commands(page, ['python receive.py', 'python send.py']);
  // the learner's own design, autosaved
  await label(page, 'scenario name').fill('my design');
  await label(page, 'scenario name').dispatchEvent('change');
  const before = 'my design';
  const t0 = Date.now();
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  // the message is drawn on its way from the sender to the queue, then to the receiver
  await page.waitForFunction(() => Number(document.querySelector('#dots').dataset.dots) > 0, null, { timeout: 60000 });
  await output(page, 1).locator('.line', { hasText: ' [x] Received Hello World!' }).waitFor({ timeout: 60000 });
  const ready = Date.now() - t0;
  // what the scripts declared, and one client per terminal
  for (const l of ['queue hello', 'consumer t1', 'producer t2']) {
    expect(await page.locator(`[aria-label^="${l}"]`).count() === 1, `the canvas has ${l}`);
  }
  const two = await output(page, 2).innerText();
  expect(two.includes(" [x] Sent 'Hello World!'"), two);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/terminals.png` });
  // the receiver's node is its script: the side panel shows its command and what it printed
  const [x, y] = await center(page.locator('[aria-label^="consumer t1"]'));
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.up();
  await page.locator('section[aria-label="inspector"] pre', { hasText: '$ python receive.py' }).waitFor({ timeout: 5000 });
  // the log tells the same story: the publish from t2 and the delivery to t1
  const log = await page.locator('ol[role="log"]').innerText();
  expect(/t2/.test(log) && /t1/.test(log) && /hello/.test(log), log.slice(0, 600));
  // each line at the simulated instant it was printed: every call a round trip of two 400 ms
  // hops (receive: connect, declare, consume; typed 1.5 s later, send: connect, declare, and the
  // publish, which reaches the receiver two hops after it left)
  const when = await output(page, 1).locator('.line', { hasText: 'Received' }).getAttribute('title');
  expect(when === 't = 6.30 s', `received at ${when}`);
  // a step back shows the terminals as they were: the line is not printed yet
  await setPlaying(page, false);
  for (let i = 0; i < 6; i++) await label(page, 'step back').click();
  expect(await output(page, 1).locator('.line', { hasText: 'Received' }).count() === 0, 'a step back hides a later line');
  await setPlaying(page, true);
  await output(page, 1).locator('.line', { hasText: 'Received' }).waitFor({ timeout: 20000 });
  // the receiver waits until the learner presses Ctrl+C
  await page.waitForTimeout(500);
  expect(await output(page, 1).locator('.exit').count() === 0, 'the receiver still waits');
  await label(page, 'Ctrl+C in terminal 1').click();
  await output(page, 1).locator('.exit', { hasText: '0' }).waitFor({ timeout: 30000 });
  const one = await output(page, 1).innerText();
  expect(one.includes(' [*] Waiting for messages. To exit press CTRL+C') && one.includes('Interrupted'), one);
  expect(fetched.includes('pyodide.asm.wasm'), `Python loaded: ${fetched}`);
  // the learner's design is what the browser keeps, and Undo brings it back on the canvas
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('warren.design')) ?? 'null');
  expect(saved?.name === before, `autosaved: ${saved?.name}`);
  await label(page, 'undo').click();
  await page.locator('[aria-label^="queue hello"]').waitFor({ state: 'detached', timeout: 5000 });
  const back = await label(page, 'scenario name').inputValue();
  expect(back === before, `the design before the run is back: ${back}`);
  console.log(`     (Python ready and the message received in ${ready} ms)`);
}, page);

await test('two workers and new_task.py with dots: fair dispatch in the timing, a second of work per dot (six Pythons started from the first run\'s snapshot)', async () => {
  // the first run's Python left a started Python in the browser's cache: these start from it
  const kept = await page.evaluate(async () => (await (await caches.open('warren-python')).keys()).map((r) => new URL(r.url).pathname));
  expect(kept.length === 1 && /^\/warren\/python-snapshot\/[\d.]+\/1$/.test(kept[0]), `a snapshot is kept: ${kept}`);
  await addFile(page, 'worker.py', tutorial('worker.py'));
  await addFile(page, 'new_task.py', tutorial('new_task.py'));
  await commands(page, ['python worker.py', 'python worker.py', 'python new_task.py First.',
    'python new_task.py Second..........', 'python new_task.py Third.', 'python new_task.py Fourth.']);
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  await page.locator('select[aria-label="speed"]').selectOption({ label: '8x' });
  await output(page, 6).locator('.exit').waitFor({ timeout: 120000 });
  await output(page, 2).locator('.line', { hasText: 'Done' }).first().waitFor({ timeout: 30000 });
  await output(page, 1).locator('.line', { hasText: 'Done' }).nth(2).waitFor({ timeout: 30000 });
  // the workers wait for more until Stop: Ctrl+C in each
  await page.locator('.terminals button', { hasText: 'Stop the run' }).click();
  await output(page, 1).locator('.exit').waitFor({ timeout: 30000 });
  await output(page, 2).locator('.exit').waitFor({ timeout: 30000 });
  await page.locator('select[aria-label="speed"]').selectOption({ label: '1x' });
  const one = await output(page, 1).innerText();
  const two = await output(page, 2).innerText();
  expect(one.includes('Received First.') && one.includes('Received Third.') && one.includes('Received Fourth.'), one);
  expect(two.includes('Received Second..........') && !two.includes('Fourth'), two);
  // Second's worker works ten seconds (ten dots); Fourth, its turn by round robin, came while it
  // worked: the idle worker took it (prefetch 1: fair dispatch)
  const t = async (k, text) => (await output(page, k).locator('.line', { hasText: text }).first().getAttribute('title'));
  const [second, done, fourth] = [await t(2, 'Received Second'), await t(2, 'Done'), await t(1, 'Received Fourth')];
  const s = (x) => parseFloat(x.replace('t = ', ''));
  expect(Math.abs(s(done) - s(second) - 10) < 1e-9, `Second took ${s(done) - s(second)} s`);
  expect(s(fourth) < s(done), `Fourth (${fourth}) came after Second's worker was done (${done})`);
}, page);

await test('a syntax error, an import the browser cannot give, a missing file, a loop that never ends: each says so in its terminal, and the page stays responsive', async () => {
  await addFile(page, 'broken.py', 'import pika\n\nprint("never"\n');
  await addFile(page, 'fetch.py', 'import requests\n');
  await addFile(page, 'forever.py', 'print("spinning")\nwhile True:\n    pass\n');
  await commands(page, ['python broken.py', 'python fetch.py', 'python nowhere.py', 'python forever.py', '', '']);
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  await output(page, 3).locator('.exit').waitFor({ timeout: 60000 });
  const [a, b, c] = [await output(page, 1).innerText(), await output(page, 2).innerText(), await output(page, 3).innerText()];
  expect(a.includes("SyntaxError: '(' was never closed") && a.includes('exit 1'), a);
  expect(b.includes("warren: 'requests' cannot be imported in this terminal") && b.includes("ModuleNotFoundError: No module named 'requests'"), b);
  expect(c.includes("python: can't open file 'nowhere.py'") && c.includes('exit 2'), c);
  // the loop computes in its worker: the page answers meanwhile (the clock waits for it)
  await output(page, 4).locator('.line', { hasText: 'spinning' }).waitFor({ timeout: 30000 });
  const t0 = Date.now();
  await label(page, 'pause').click();
  await label(page, 'play').click();
  expect(Date.now() - t0 < 2000, `the page answered a click in ${Date.now() - t0} ms while the loop ran`);
  // after 10 s without a word to the broker it is stopped, with a line that says why
  await output(page, 4).locator('.exit').waitFor({ timeout: 30000 });
  const d = await output(page, 4).innerText();
  expect(d.includes('warren: Ctrl+C: the script computed for 10 s without waiting for the broker') && d.includes('exit 1'), d);
}, page);

await finish(browser, 'e2e (terminals)');
