// The page's memory with 100,000 messages waiting: one producer publishing bursts of 10,000 into
// a queue nobody consumes from; the JS heap in use after a garbage collection plus the wasm
// memory (which never shrinks: its high-water mark). Part of tests/e2e/frames.mjs's figures; run
// alone, it prints that one:
//   WARREN_URL=http://127.0.0.1:PORT/ node tests/e2e/memory.mjs
import { launch, loadDesign, VIEWPORT as viewport } from './large.mjs';

// the wasm instance's exports (its memory among them), as Trunk's loader announces them
const keepWasm = () => addEventListener('TrunkApplicationStarted', (e) => { window.__warrenWasm = e.detail.wasm; });

/** The page's memory (MB) with 100,000 messages waiting, in a new context of `browser`. */
export async function pageMemory(browser, URL) {
  const memContext = await browser.newContext({ viewport });
  await memContext.addInitScript(keepWasm);
  const memPage = await memContext.newPage();
  await memPage.goto(URL);
  await memPage.locator('#diagram').waitFor();
  await loadDesign(memPage, {
    name: 'waiting', seed: 1, steps: [], canvas: { version: 1, nodes: [
      { id: 1, name: 'p', kind: 'producer', x: 120, y: 100, body: 'message {n}', burst: 10000, every_ms: 0 },
      { id: 2, name: 'q', kind: 'queue', x: 420, y: 100 },
    ], links: [{ from: 1, to: 2 }] },
  }, '[aria-label="queue q: 0 ready, 0 unacknowledged"]');
  const WAITING = 100000;
  { // select the producer (press and let go on it): its inspector has the publish button
    const b = await memPage.locator('[aria-label="producer p"]').boundingBox();
    await memPage.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await memPage.mouse.down();
    await memPage.mouse.up();
  }
  for (let i = 0; i < WAITING / 10000; i++) await memPage.locator('[aria-label="publish from p"]').click();
  await memPage.locator(`[aria-label="queue q: ${WAITING} ready, 0 unacknowledged"]`).waitFor({ timeout: 180000 });
  // let the dots arrive, so what remains is what a page holding waiting messages keeps
  await memPage.waitForTimeout(3000);
  const memCdp = await memContext.newCDPSession(memPage);
  await memCdp.send('HeapProfiler.enable');
  await memCdp.send('HeapProfiler.collectGarbage');
  const heap = await memCdp.send('Runtime.getHeapUsage');
  const wasmBytes = await memPage.evaluate(() => window.__warrenWasm.memory.buffer.byteLength);
  const pageMb = (heap.usedSize + wasmBytes) / 1e6;
  console.log(`page memory with ${WAITING} messages waiting: ${pageMb.toFixed(1)} MB (JS heap ${(heap.usedSize / 1e6).toFixed(1)} MB in use, wasm memory ${(wasmBytes / 1e6).toFixed(1)} MB)`);
  await memContext.close();
  return pageMb;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const browser = await launch();
  const mb = await pageMemory(browser, process.env.WARREN_URL ?? 'http://127.0.0.1:8732/');
  await browser.close();
  console.log(`page_mb_100k=${mb.toFixed(1)}`);
}
