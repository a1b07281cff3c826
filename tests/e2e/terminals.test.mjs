// End-to-end tests of the terminals panel in headless Chromium: a learner's own pika scripts
// (the tutorials' send.py and receive.py, worker.py and new_task.py, a syntax error, a loop that
// never ends, an import the browser cannot give) run in terminals, each in a Python of its own
// (pyodide in a worker, loaded on first use), on the simulated broker. Serve dist/ first
// (scripts/e2e.sh does) and pass its URL as WARREN_URL.
import { URL, test, expect, label, start, finish, setPlaying } from './lib.mjs';
import { readFileSync } from 'node:fs';

const { browser, page } = await start();
const tutorial = (f) => readFileSync(new globalThis.URL(`../python/tutorials/${f}`, import.meta.url), "utf8");

/** Put a file in the panel: a new one, named and pasted. */
async function addFile(p, name, text) {
  if (!(await p.locator('.terminals').count())) await label(p, 'terminals').first().click();
  await p.locator('.terminals button', { hasText: 'New file' }).click();
  const names = p.locator('.terminals .file input.name');
  const last = names.nth((await names.count()) - 1);
  await last.fill(name);
  await last.dispatchEvent('change');
  await p.locator(`.terminals textarea[aria-label="text of ${name}"]`).fill(text);
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
  console.log(`     (Python ready and the message received in ${ready} ms)`);
}, page);

await test('two workers and new_task.py with dots: the idle worker takes a message while the other works, a second of work per dot (five Pythons started from the first run\'s snapshot)', async () => {
  // the first run's Python left a started Python in the browser's cache: these start from it
  const kept = await page.evaluate(async () => (await (await caches.open('warren-python')).keys()).map((r) => new URL(r.url).pathname));
  expect(kept.length === 1 && /^\/warren\/python-snapshot\/[\d.]+\/1$/.test(kept[0]), `a snapshot is kept: ${kept}`);
  await addFile(page, 'worker.py', tutorial('worker.py'));
  await addFile(page, 'new_task.py', tutorial('new_task.py'));
  await commands(page, ['python worker.py', 'python worker.py', 'python new_task.py First message.',
    'python new_task.py Second message.....', 'python new_task.py Third message...']);
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  await page.locator('select[aria-label="speed"]').selectOption({ label: '8x' });
  await output(page, 5).locator('.exit').waitFor({ timeout: 90000 });
  await output(page, 2).locator('.line', { hasText: 'Done' }).first().waitFor({ timeout: 30000 });
  await output(page, 1).locator('.line', { hasText: 'Done' }).nth(1).waitFor({ timeout: 30000 });
  // the workers wait for more until Stop: Ctrl+C in each
  await page.locator('.terminals button', { hasText: 'Stop the run' }).click();
  await output(page, 1).locator('.exit').waitFor({ timeout: 30000 });
  await output(page, 2).locator('.exit').waitFor({ timeout: 30000 });
  await page.locator('select[aria-label="speed"]').selectOption({ label: '1x' });
  const one = await output(page, 1).innerText();
  const two = await output(page, 2).innerText();
  expect(one.includes('Received First message.') && one.includes('Received Third message...'), one);
  expect(two.includes('Received Second message..') && !two.includes('First'), two);
  // Third was typed once the terminals had been quiet 1.5 s, while Second's worker still worked
  // (five dots: five seconds): the idle worker took it
  const t = async (k, text) => (await output(page, k).locator('.line', { hasText: text }).first().getAttribute('title'));
  const [second, done, third] = [await t(2, 'Received Second'), await t(2, 'Done'), await t(1, 'Received Third')];
  const s = (x) => parseFloat(x.replace('t = ', ''));
  expect(Math.abs(s(done) - s(second) - 5) < 1e-9, `Second took ${s(done) - s(second)} s`);
  expect(s(third) < s(done), `Third (${third}) came after Second's worker was done (${done})`);
}, page);

await test('a syntax error, an import the browser cannot give, a missing file: each says so in its terminal', async () => {
  await addFile(page, 'broken.py', 'import pika\n\nprint("never"\n');
  await addFile(page, 'fetch.py', 'import requests\n');
  await commands(page, ['python broken.py', 'python fetch.py', 'python nowhere.py', '', '']);
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  await output(page, 3).locator('.exit').waitFor({ timeout: 60000 });
  const [a, b, c] = [await output(page, 1).innerText(), await output(page, 2).innerText(), await output(page, 3).innerText()];
  expect(a.includes("SyntaxError: '(' was never closed") && a.includes('exit 1'), a);
  expect(b.includes("warren: 'requests' cannot be imported in this terminal") && b.includes("ModuleNotFoundError: No module named 'requests'"), b);
  expect(c.includes("python: can't open file 'nowhere.py'") && c.includes('exit 2'), c);
}, page);

await finish(browser, 'e2e (terminals)');
