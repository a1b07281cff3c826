// How long a terminal takes to have Python ready (a figure for scripts/bench.sh, not a test): the
// page opened, the terminals panel opened with a one-line script and Run pressed at once; the time
// from opening the panel (when its Python starts loading) until the script's line shows. Cold: the
// browser has never fetched pyodide; warm: the page opened again, pyodide in the browser's cache
// (the median of three). Prints key=value.
import { launch } from './lib.mjs';

const URL = process.env.WARREN_URL ?? 'http://127.0.0.1:8734/';
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });

async function once() {
  const page = await context.newPage();
  await page.goto(URL);
  await page.locator('#diagram').waitFor();
  const t0 = Date.now();
  await page.locator('[aria-label="terminals"]').first().click();
  await page.locator('.terminals button', { hasText: 'New file' }).click();
  const name = page.locator('.terminals .file input.name').first();
  await name.fill('ready.py');
  await name.dispatchEvent('change');
  await page.locator('.terminals textarea').first().fill('print("ready")\n');
  const cmd = page.locator('[aria-label="terminal 1"]');
  await cmd.fill('python ready.py');
  await cmd.dispatchEvent('change');
  await page.locator('.terminals button', { hasText: 'Run the terminals' }).click();
  await page.locator('[aria-label="terminal 1 output"] .line', { hasText: 'ready' }).waitFor({ timeout: 120000 });
  const ms = Date.now() - t0;
  await page.close();
  return ms;
}
const cold = await once();
const warm = [await once(), await once(), await once()].sort((a, b) => a - b);
await browser.close();
console.log(`python_ready_cold_ms=${cold} python_ready_ms=${warm[1]}`);
