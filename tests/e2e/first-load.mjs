// Writes www/first-load.txt: the functions the page runs when it opens, before anyone touches
// it, in the ways people open it (the page, on a laptop and a phone, and again; a tutorial link, in
// English and Chinese; a shared design in a frame; a tutorial in a frame). The page's build keeps these
// in the first module and moves the rest to the lazy one (split/). Run by scripts/first_load.sh
// against a profiling build (WARREN_SPLIT=instrument), served at WARREN_URL.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const URL = process.env.WARREN_URL;
const dist = process.argv[2];
const out = process.argv[3];
const names = readFileSync(`${dist}/${readdirSync(dist).find((f) => f.endsWith('_bg.names.txt'))}`, 'utf8').split('\n');
const embed = readFileSync(new globalThis.URL('../../docs/embed.html', import.meta.url), 'utf8').match(/index\.html(\?embed#s1\.[A-Za-z0-9_-]+)/)[1];
const ways = [
  ['', { width: 1400, height: 860 }],
  ['', { width: 390, height: 844 }, true],
  ['?tutorial=hello-world', { width: 1400, height: 860 }],
  ['?tutorial=work-queues&lang=zh', { width: 390, height: 844 }, true],
  ['?tutorial=work-queues&lang=zh', { width: 1400, height: 860 }],
  ['?tutorial=topics', { width: 1920, height: 1080 }],
  [embed, { width: 800, height: 450 }],
  ['?embed&tutorial=work-queues&lang=zh', { width: 800, height: 560 }],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const seen = new Set();
for (const [query, viewport, phone] of ways) {
  const ctx = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
  const page = await ctx.newPage();
  // the first visit, and the next (the canvas saved in local storage); then with the tutorials
  // file slow to come (the page draws its canvas first, then the tutorial's)
  let n = 0;
  for (const visit of [1, 2, 3]) {
    if (visit === 3) await page.route('**/tutorials.json', (r) => setTimeout(() => r.continue(), 800));
    await page.goto(URL + query);
    await page.locator('#diagram').waitFor();
    await page.waitForTimeout(2000);
    const marks = await page.evaluate(() => [...(globalThis.__warrenLazy?.marks ?? [])]);
    if (!marks.length) throw new Error('no marks: is this the profiling build (WARREN_SPLIT=instrument)?');
    for (const i of marks) seen.add(names[i]);
    n = Math.max(n, marks.length);
  }
  console.log(`${query.slice(0, 40) || '(the page)'} ${viewport.width}x${viewport.height}: ${n} functions`);
  await ctx.close();
}
await browser.close();
const list = [...seen].filter((n) => n).sort();
writeFileSync(out, `# What the page runs when it opens (scripts/first_load.sh writes this; split/ reads it)\n${list.join('\n')}\n`);
console.log(`${list.length} names of ${new Set(names).size} to ${out}`);
