// Accessibility of the page's main views, checked by axe-core (npm) in headless Chromium: the
// canvas, the inspector, the console (with an error in it), a tutorial, Present, and the page in
// Chinese. No serious or critical violation is allowed; every control is reachable by keyboard.
// Serve dist/ first (scripts/e2e.sh does) and pass its URL as WARREN_URL.
import { URL, errors, test, label, launch, finish } from './lib.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return found;
}

async function clean(page, view) {
  const v = await violations(page);
  if (v.length) throw new Error(`${view}:\n       ${v.join('\n       ')}`);
}

const browser = await launch();

async function open(query = '', locale = 'en-US') {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(URL + query);
  await page.locator('#diagram').waitFor();
  await page.waitForTimeout(400);
  return page;
}

await test('axe-core: the canvas, the inspector with a producer, the console with an error in it', async () => {
  const page = await open();
  await clean(page, 'the first visit');
  await page.locator('[aria-label^="producer P"]').focus();
  await page.keyboard.press('Enter');
  await label(page, 'publish from P').waitFor();
  await clean(page, 'the inspector (a producer)');
  await page.locator('[aria-label^="queue task_queue"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('.inspector h2', { hasText: 'task_queue' }).waitFor();
  await clean(page, 'the inspector (a queue)');
  await page.locator('details.console summary').click();
  const cmd = label(page, 'console command');
  await cmd.fill('list_queues name messages');
  await cmd.press('Enter');
  await cmd.fill('delete_queue no_such_queue');
  await cmd.press('Enter');
  await page.locator('.console pre.error').waitFor();
  await clean(page, 'the console');
  await label(page, 'share as a link').click();
  await page.locator('.notice.share .copied').first().waitFor({ state: 'attached' });
  await clean(page, 'the share panel');
  await label(page, 'python code').click();
  const code = page.locator('section[aria-label="pika code"]');
  await code.locator('summary', { hasText: 'setup.py' }).waitFor();
  await code.locator('details').first().evaluate((d) => { d.open = true; });
  await clean(page, 'the Python panel');
  await page.context().close();
});

await test('axe-core: a tutorial, its question, and Present', async () => {
  const page = await open('?tutorial=topics');
  await page.locator('.tutorial h2', { hasText: 'Topics' }).waitFor();
  await clean(page, 'a tutorial');
  await page.selectOption('select[aria-label="speed"]', { label: '8x' });
  for (let i = 0; i < 10 && !(await label(page, 'your answer').count()); i++) {
    if (await page.locator('.tutorial .do').count()) {
      await page.locator('.tutorial .do').click();
      await page.locator('.tutorial .watch').waitFor();
    } else await page.locator('.tutorial .next').click();
  }
  await label(page, 'your answer').fill('1');
  await page.locator('.tutorial .check').click();
  await page.locator('.verdict').waitFor();
  await clean(page, "a tutorial's question and verdict");
  await label(page, 'Present').click();
  await page.locator('.studio.present').waitFor();
  await clean(page, 'Present');
  await page.context().close();
});

await test('axe-core: the page in Chinese', async () => {
  const page = await open('?tutorial=work-queues', 'zh-CN');
  await page.locator('.tutorial h2', { hasText: '工作队列' }).waitFor();
  await clean(page, 'the page in Chinese');
  await page.context().close();
});

await test('every control can be reached with Tab (none taken out of the tab order)', async () => {
  const page = await open();
  const unreachable = await page.evaluate(() => [...document.querySelectorAll(
    'button, input, select, textarea, a[href], summary, [role="button"], [role="slider"]')]
    .filter((el) => el.getClientRects().length && !el.disabled && el.tabIndex < 0)
    .map((el) => el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 30)));
  if (unreachable.length) throw new Error(`not reachable by keyboard: ${unreachable.join(', ')}`);
  // Tab goes somewhere visible each time, through the header and the playback bar to the canvas
  const seen = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { name: el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 30), visible: r.width > 0 || r.height > 0 };
    });
    if (!at.visible) throw new Error(`Tab reached something not on screen: ${at.name}`);
    seen.add(at.name);
  }
  for (const want of ['tidy layout', 'play', 'step forward', 'speed']) {
    if (![...seen].some((s) => s === want || s === want.replace('play', 'pause'))) throw new Error(`Tab never reached ${want}: ${[...seen].join(', ')}`);
  }
  await page.context().close();
});

await finish(browser, 'e2e (accessibility)');
