// End-to-end tests of the page's panels in headless Chromium: the tutorials and the tools worker
// loaded on first use, what came back to producers, the Python panel, the rabbitmqctl console,
// users and permissions, the overview, and the page in Chinese. Serve dist/ first (scripts/e2e.sh
// does) and pass its URL as WARREN_URL.
import {
  URL, SHOTS, errors, test, expect, label, center, countsInk, clickNode, link, logHas, setField,
  runTutorial, setPlaying, logLines, start, finish,
} from './lib.mjs';
import { readFileSync } from 'node:fs';

const { browser, context, page } = await start();

await test('the tutorials load when one is opened, once; a failed load says so and keeps the canvas', async () => {
  const fresh = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const fetched = [];
  fresh.on('request', (r) => { if (r.url().includes('tutorials.json')) fetched.push(r.url()); });
  try {
    await fresh.goto(URL);
    await label(fresh, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
    await fresh.waitForTimeout(300);
    expect(fetched.length === 0, `the page fetched the tutorials before one was opened: ${fetched}`);
    await fresh.selectOption('select[aria-label="tutorials"]', { label: '3. Publish/Subscribe' });
    await fresh.locator('.tutorial .intro', { hasText: 'fanout' }).waitFor();
    await label(fresh, 'fanout exchange logs').waitFor();
    await fresh.selectOption('select[aria-label="tutorials"]', { label: '6. Headers exchange' });
    await fresh.locator('.tutorial h2', { hasText: 'Headers exchange' }).waitFor();
    await label(fresh, 'headers exchange documents').waitFor();
    expect(fetched.length === 1, `tutorials.json fetched ${fetched.length} times`);
    // offline, say: the reason shows, the canvas is untouched, and a later try loads them
    const other = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    try {
      await other.route('**/tutorials.json', (r) => r.fulfill({ status: 404, body: 'gone' }));
      await other.goto(URL);
      await label(other, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
      await other.selectOption('select[aria-label="tutorials"]', { label: '4. Routing' });
      await other.locator('.error', { hasText: 'The tutorials could not be loaded: tutorials.json: HTTP 404' }).waitFor();
      expect(!(await other.locator('.tutorial').count()), 'no tutorial panel after a failed load');
      await label(other, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor();
      await other.unroute('**/tutorials.json');
      await other.selectOption('select[aria-label="tutorials"]', { label: '5. Topics' });
      await other.locator('.tutorial h2', { hasText: 'Topics' }).waitFor();
      await label(other, 'topic exchange topic_logs').waitFor();
    } finally {
      await other.close();
    }
  } finally {
    await fresh.close();
  }
}, page);

await test('the tools worker (pika code, definitions) starts on first use; one that cannot start says so', async () => {
  const fresh = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const fetched = [];
  fresh.on('request', (r) => { if (/tools/.test(r.url())) fetched.push(r.url().replace(/.*\//, '')); });
  try {
    await fresh.goto(URL);
    await label(fresh, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
    await fresh.waitForTimeout(300);
    expect(fetched.length === 0, `the page loaded the tools before they were needed: ${fetched}`);
    await label(fresh, 'python code').click();
    await fresh.locator('section[aria-label="pika code"] summary', { hasText: 'consumer_worker_1.py' }).waitFor();
    expect(fetched.includes('tools-loader.js') && fetched.includes('warren-tools_bg.wasm'), `fetched: ${fetched}`);
    // the code follows the design: a new queue is declared in setup.py
    const setup = fresh.locator('section[aria-label="pika code"] pre', { hasText: "queue='queue-1')" });
    expect(!(await setup.count()), 'no queue-1 yet');
    await label(fresh, 'add a queue').click();
    await setup.waitFor({ state: 'attached' });
    const [defs] = await Promise.all([fresh.waitForEvent('download'), label(fresh, 'export RabbitMQ definitions').click()]);
    expect(defs.suggestedFilename().endsWith('.definitions.json'), defs.suggestedFilename());
    expect(fetched.filter((f) => f === 'warren-tools_bg.wasm').length === 1, `the worker started more than once: ${fetched}`);
    const other = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    try {
      await other.route('**/tools-loader.js', (r) => r.fulfill({ status: 404, body: 'gone' }));
      await other.goto(URL);
      await label(other, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
      await label(other, 'export RabbitMQ definitions').click();
      await other.locator('.error', { hasText: 'Could not make definitions: The tools could not be started:' }).waitFor();
      await label(other, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor();
      // once it can load, the next try starts it
      await other.unroute('**/tools-loader.js');
      const [again] = await Promise.all([other.waitForEvent('download'), label(other, 'export RabbitMQ definitions').click()]);
      expect(again.suggestedFilename().endsWith('.definitions.json'), again.suggestedFilename());
    } finally {
      await other.close();
    }
  } finally {
    await fresh.close();
  }
}, page);

await test('tutorials with confirms, returns and direct reply-to count what came back to the producers', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '8. Publisher confirms and returns' });
  await runTutorial(page);
  await label(page, 'producer shop: acks 3 · returned 1').waitFor({ timeout: 5000 });
  await logHas(page, '312 NO_ROUTE');
  await label(page, 'your answer').fill('3');
  await page.locator('.tutorial .check').click();
  await page.locator('.verdict.right').waitFor();
  await page.selectOption('select[aria-label="tutorials"]', { label: '7. RPC' });
  await runTutorial(page);
  await label(page, 'producer fast_client: replies 1').waitFor({ timeout: 8000 });
  // the RPC client is one client: it reads its own callback queue, one call at a time
  await label(page, 'producer rpc_client: replies 3').waitFor({ timeout: 8000 });
  expect(await page.locator('[aria-label="rpc_client reads its replies from callback"]').count() === 1, 'the way from the callback queue to the client is drawn');
  await label(page, 'your answer').fill('3');
  await page.locator('.tutorial .check').click();
  await page.locator('.verdict.right').waitFor();
  // in class: presentation mode keeps the tutorial on screen, without the inspector and log
  await label(page, 'Present').click();
  await page.locator('.studio.present').waitFor();
  expect(await page.locator('.tutorial').isVisible(), 'the tutorial stays in presentation mode');
  expect(!(await page.locator('.log').isVisible()), 'the log is hidden');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-tutorial.png` });
  await label(page, 'Exit presentation').click();
}, page);

await test('the design as pika code: read in the page, each script downloadable', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '4. Routing' });
  await label(page, 'direct exchange direct_logs').waitFor();
  await label(page, 'python code').click();
  const panel = page.locator('section[aria-label="pika code"]');
  for (const f of ['setup.py', 'producer_emit_log_direct.py', 'expected.txt']) {
    await panel.locator('summary', { hasText: f }).waitFor();
  }
  const [dl] = await Promise.all([page.waitForEvent('download'), label(page, 'Download setup.py').click()]);
  expect(dl.suggestedFilename() === 'setup.py', dl.suggestedFilename());
  const py = readFileSync(await dl.path(), 'utf8');
  expect(py.includes('pika.BlockingConnection') && py.includes("exchange='direct_logs'") && py.includes("routing_key='warning'"), py);
  // in the tutorials' style: what is declared first, no defaults spelled out
  expect(py.includes("channel.exchange_declare(exchange='direct_logs', exchange_type='direct')"), py);
  expect(!py.includes('auto_delete=False') && !py.includes('exclusive=False'), py);
  // highlighted as Python, and each file can be copied
  await panel.locator('details').first().evaluate((d) => { d.open = true; });
  expect(await panel.locator('pre.python span.kw', { hasText: 'import' }).count() > 0, 'keywords');
  expect(await panel.locator('pre.python span.str', { hasText: "'direct_logs'" }).count() > 0, 'strings');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new globalThis.URL(URL).origin });
  await label(page, 'Copy setup.py').click();
  await panel.locator('.copied', { hasText: 'Copied ✓' }).waitFor();
  expect((await page.evaluate(() => navigator.clipboard.readText())) === py, 'setup.py is on the clipboard');
  await label(page, 'close the code').click();
  await panel.waitFor({ state: 'detached' });
}, page);

await test('the rabbitmqctl console prints listings as rabbitmqctl does; the up arrow recalls a command', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '4. Routing' });
  await page.locator('.tutorial .do').click();
  await label(page, 'queue screen: 1 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await page.locator('.console summary').click();
  const cmd = label(page, 'console command');
  await cmd.fill('list_queues name messages');
  await cmd.press('Enter');
  const out = page.locator('[aria-label="console output"]');
  await out.locator('pre', { hasText: 'screen' }).waitFor();
  const text = await out.locator('pre').last().textContent();
  expect(text === 'Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tmessages\ndisk\t1\nscreen\t1\n', JSON.stringify(text));
  // -q: the table alone, as rabbitmqctl -q prints it
  await cmd.fill('rabbitmqctl -q list_queues name messages');
  await cmd.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="console output"] pre').length === 2);
  expect((await out.locator('pre').last().textContent()) === 'name\tmessages\ndisk\t1\nscreen\t1\n', 'quiet');
  await cmd.fill('rabbitmqctl list_bindings source_name destination_name routing_key');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'warning' }).waitFor();
  expect((await out.locator('pre').last().textContent()).includes('direct_logs\tscreen\twarning\n'), 'the binding');
  await cmd.fill('list_queues nosuch');
  await cmd.press('Enter');
  await out.locator('pre.error', { hasText: 'Info key(s) nosuch are not supported' }).waitFor();
  await cmd.press('ArrowUp');
  expect((await cmd.inputValue()) === 'list_queues nosuch', await cmd.inputValue());
  await cmd.press('ArrowUp');
  expect((await cmd.inputValue()).startsWith('rabbitmqctl list_bindings'), await cmd.inputValue());
  await cmd.press('ArrowDown');
  await cmd.press('ArrowDown');
  expect((await cmd.inputValue()) === '', 'a fresh line');
}, page);

await test('console commands change the simulated node: purge a queue, add a user, stop and start the app', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '4. Routing' });
  await page.locator('.tutorial .do').click();
  await label(page, 'queue screen: 1 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  const cmd = label(page, 'console command');
  const out = page.locator('[aria-label="console output"]');
  await cmd.fill('purge_queue screen');
  await cmd.press('Enter');
  await label(page, 'queue screen: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  await cmd.fill('add_user bob "s3cret pw"');
  await cmd.press('Enter');
  // a change says what it does, as rabbitmqctl does
  await out.locator('pre', { hasText: 'Adding user "bob" ...' }).waitFor();
  await cmd.fill('set_permissions -p / bob "^bob-.*" ".*" ".*"');
  await cmd.press('Enter');
  await cmd.fill('list_permissions');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'bob\t^bob-.*' }).waitFor();
  expect((await out.locator('pre').last().textContent()) === 'Listing permissions for vhost "/" ...\nuser\tconfigure\twrite\tread\nbob\t^bob-.*\t.*\t.*\nguest\t.*\t.*\t.*\n',
    await out.locator('pre').last().textContent());
  await cmd.fill('add_user bob again');
  await cmd.press('Enter');
  await out.locator('pre.error', { hasText: 'User "bob" already exists' }).waitFor();
  await cmd.fill('stop_app');
  await cmd.press('Enter');
  await cmd.fill('list_queues');
  await cmd.press('Enter');
  await out.locator('pre.error', { hasText: "requires the 'rabbit' app to be running" }).waitFor();
  await cmd.fill('start_app');
  await cmd.press('Enter');
  await cmd.fill('list_users');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'bob\t[]' }).waitFor();
  // help lists the commands
  await cmd.fill('help');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'set_permissions' }).last().waitFor();
  expect((await out.locator('pre').last().textContent()).includes('Purges a queue'), 'help says what each does');
}, page);

await test('a design user with narrow permissions: the consumer logging in as it is refused, as RabbitMQ refuses it', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '1. Hello World' });
  await page.locator('details.users').evaluate((d) => { d.open = true; });
  await label(page, 'add a user').click();
  const user = page.locator('fieldset[aria-label="user user1"]');
  await user.waitFor();
  const read = user.locator('input[aria-label="read"]');
  await read.fill('^nothing$');
  await page.waitForTimeout(300);
  await read.press('Enter');
  await read.evaluate((e) => e.blur());
  await clickNode(page, 'consumer receiver: 0 unacknowledged, prefetch 1');
  await setField(page, 'user (empty: guest)', 'user1');
  await setField(page, 'password', 'secret');
  await page.locator('ul[aria-label="broker errors"] li', { hasText: "receiver: 403 ACCESS_REFUSED - access to queue 'hello' in vhost '/' refused for user 'user1'" }).waitFor({ timeout: 5000 });
  // the console sees the user and its permissions
  await page.locator('details.console').evaluate((d) => { d.open = true; });
  const cmd = label(page, 'console command');
  await cmd.fill('list_permissions');
  await cmd.press('Enter');
  await page.locator('[aria-label="console output"] pre', { hasText: 'user1\t.*\t.*\t^nothing$' }).waitFor();
  for (let i = 0; i < 4; i++) await label(page, 'undo').click(); // password, user, permission, new user
  await page.locator('fieldset[aria-label="user user1"]').waitFor({ state: 'detached' });
}, page);

await test('the overview shows totals, rates, queues and each consumer\'s prefetch window', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '2. Work queues' });
  await page.locator('.tutorial .do').click();
  await label(page, 'overview').click();
  const panel = page.locator('section[aria-label="overview"]');
  await panel.waitFor();
  const queues = panel.locator('table[aria-label="queues"] tbody tr');
  await queues.first().waitFor();
  expect((await queues.first().locator('td').first().textContent()) === 'task_queue', await queues.first().textContent());
  const consumers = panel.locator('table[aria-label="consumers"] tbody tr');
  expect((await consumers.count()) === 2, `two workers: ${await consumers.count()}`);
  expect((await consumers.first().textContent()).includes('worker-1'), await consumers.first().textContent());
  const queuesTotal = panel.locator('.total', { hasText: 'Queues' }).locator('b');
  expect((await queuesTotal.textContent()) === '1', await queuesTotal.textContent());
  expect(/^\d+\.\d\/s$/.test(await panel.locator('.total', { hasText: 'Publish' }).locator('b').textContent()), 'a rate');
  expect((await panel.locator('svg polyline').count()) === 3, 'publish, deliver, ack lines');
  await label(page, 'close the overview').click();
  await panel.waitFor({ state: 'detached' });
}, page);

{
  // a visitor whose browser prefers Chinese gets the page in Chinese, and can switch
  const zh = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  const p = await zh.newPage();
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(URL);
  await p.locator('#diagram').waitFor();
  await test('Simplified Chinese follows the browser, switches to English, and the choice is kept', async (page) => {
    await page.locator('button', { hasText: '撤销' }).waitFor();
    expect((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html lang is zh-CN');
    await page.selectOption('select[aria-label="tutorials"]', { label: '5. 主题（Topics）' });
    await page.locator('.tutorial .intro', { hasText: '恰好代表一个单词' }).waitFor();
    await page.locator('.tutorial .do').click();
    await page.locator('.tutorial .watch', { hasText: '两条都进入两个队列' }).waitFor();
    // the log reads in Chinese too
    await page.locator('ol[role="log"] li', { hasText: '以路由键' }).first().waitFor({ state: 'attached', timeout: 5000 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/tutorial-zh.png` });
    await page.selectOption('select[aria-label="language"]', 'en');
    await page.locator('button', { hasText: 'Undo' }).waitFor();
    await page.locator('.tutorial .watch', { hasText: 'Each goes to both queues.' }).waitFor();
    await page.reload();
    await page.locator('button', { hasText: 'Undo' }).waitFor();
    expect((await page.getAttribute('html', 'lang')) === 'en', 'html lang is en after reload');
  }, p);
  await test('a tutorial link (?tutorial=ID&lang=zh) opens that tutorial in that language', async (page) => {
    await page.goto(URL + '?tutorial=work-queues&lang=zh');
    await page.locator('.tutorial h2', { hasText: '工作队列' }).waitFor();
    await label(page, 'consumer worker-1: 0 unacknowledged, prefetch 0, got 0').waitFor();
  }, p);
  await zh.close();
}

await test('a quorum queue: its type chosen in the inspector, a badge says so, the broker and the pika code have it', async (page) => {
  await page.selectOption('select[aria-label="tutorials"]', { label: '2. Work queues' });
  await clickNode(page, 'queue task_queue: 0 ready, 0 unacknowledged');
  await page.selectOption('select[aria-label="queue type"]', 'quorum');
  // a quorum queue is durable: the choice makes it so
  await page.locator('.notes.queue .badge text', { hasText: 'quorum' }).waitFor();
  expect(await label(page, 'durable').first().isChecked(), 'durable');
  await setField(page, 'x-delivery-limit', 3);
  await page.locator('.notes.queue .badge text', { hasText: 'delivery limit 3' }).waitFor();
  // a screen reader hears the badges as the queue's description
  const desc = await label(page, 'queue task_queue: 0 ready, 0 unacknowledged').getAttribute('aria-description');
  expect(desc === 'quorum, durable, delivery limit 3', desc);
  await page.locator('details.console').evaluate((d) => { d.open = true; });
  const cmd = label(page, 'console command');
  await cmd.fill('-q list_queues name type arguments');
  await cmd.press('Enter');
  const out = page.locator('[aria-label="console output"]');
  await out.locator('pre', { hasText: 'task_queue' }).waitFor();
  const text = await out.locator('pre').last().textContent();
  expect(/task_queue\tquorum\t.*x-delivery-limit/.test(text) && text.includes('x-queue-type'), JSON.stringify(text));
  await label(page, 'python code').click();
  const panel = page.locator('section[aria-label="pika code"]');
  await panel.locator('summary', { hasText: 'setup.py' }).waitFor();
  const py = await panel.locator('pre.python').first().textContent();
  expect(py.includes("'x-queue-type': 'quorum'") && py.includes("'x-delivery-limit': 3"), py);
  await label(page, 'close the code').click();
}, page);

// RabbitMQ 3.10 or 4.3: the picker, a link made before versions, the comparison with why
await test('the RabbitMQ version: 4.3 for a new design, 3.10 for a link made before, and what differs between them, with why', async () => {
  const p = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const version = p.locator('select[aria-label="RabbitMQ version"]');
  await p.goto(URL);
  await label(p, 'queue task_queue: 0 ready, 0 unacknowledged').waitFor({ timeout: 5000 });
  expect(await version.inputValue() === '4.3', 'a new design runs as 4.3');
  // the documentation's example link was made before Warren had versions: it opens as 3.10, and says so
  const fragment = readFileSync(new globalThis.URL('../../docs/embed.html', import.meta.url), 'utf8').match(/#s1\.[A-Za-z0-9_-]+/)[0];
  await p.goto(URL + fragment);
  await p.locator('.notice', { hasText: 'Made for RabbitMQ 3.10, so it runs as 3.10.' }).waitFor({ timeout: 5000 });
  expect(await version.inputValue() === '3.10', 'the old link runs as 3.10');
  // the dead-letter tutorial: a rejected job is dead-lettered with other headers in 4.x
  await p.selectOption('select[aria-label="tutorials"]', { label: '9. Dead letters, TTL and retry' });
  await p.locator('.tutorial').waitFor();
  await p.selectOption('select[aria-label="speed"]', { label: '8x' });
  await p.locator('.tutorial .do').first().click();
  await p.waitForFunction(() => [...document.querySelectorAll('ol[role="log"] li')].some((l) => /dead-lettered/.test(l.textContent)), null, { timeout: 10000 });
  await p.waitForTimeout(1500);
  await p.getByRole('button', { name: 'Compare 3.10 ⇄ 4.3' }).click();
  const panel = p.locator('section.compare');
  await panel.waitFor();
  const text = await panel.innerText();
  expect(/Steps that differ: \d+ \/ \d+/.test(text), text.slice(0, 300));
  expect(text.includes('x-last-death-queue') && text.includes('Why:') && text.includes('4.x adds x-last-death-exchange'), text.slice(0, 1500));
  // in Chinese, the reasons too
  await p.selectOption('select[aria-label="language"]', 'zh-CN');
  await p.locator('section.compare', { hasText: '原因：' }).waitFor();
  expect((await panel.innerText()).includes('最近一次成为死信的地方'), 'the reason in Chinese');
  await p.selectOption('select[aria-label="language"]', 'en');
  if (SHOTS) await p.screenshot({ path: `${SHOTS}/compare.png` });
  await label(p, 'close the comparison').click();
  // the broker is the version chosen: rabbitmqctl delete_user of a user that is not there
  // fails on 3.10 and succeeds on 4.3
  await p.locator('details.console').evaluate((d) => { d.open = true; });
  const cmd = label(p, 'console command');
  const out = p.locator('[aria-label="console output"]');
  await cmd.fill('delete_user nobody');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'User "nobody" does not exist' }).waitFor();
  // choosing 4.3 starts the run again as 4.3 (Undo brings 3.10 back)
  await version.selectOption('4.3');
  expect(await version.inputValue() === '4.3', 'now 4.3');
  await cmd.fill('delete_user nobody');
  await cmd.press('Enter');
  await out.locator('pre', { hasText: 'Deleting user "nobody" ...' }).last().waitFor();
  expect(!(await out.locator('pre').last().textContent()).includes('does not exist'), 'deleted on 4.3');
  await label(p, 'undo').click();
  expect(await version.inputValue() === '3.10', 'Undo: 3.10 again');
  await p.close();
});

await finish(browser, 'e2e (panels)');
