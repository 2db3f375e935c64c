// Drives static/index.html in headless Chromium against a running jhttpd: the page lists, creates,
// edits and deletes /data items and shows the server's errors; a page on a second origin calls the
// API through a CORS preflight, and an origin the server does not allow is refused.
//
// Started by ./run, which starts the servers and passes, in the environment:
//   JHTTPD_URL       the server under test, e.g. http://127.0.0.1:41234 (empty store, its access log in
//   JHTTPD_LOG       this file), started with --cors-origin OTHER_ORIGIN
//   OTHER_ORIGIN     a second jhttpd serving other-origin/ under /static/, an allowed origin
//   REFUSED_ORIGIN   the same second server under another name, an origin the server does not allow
//   SCREENSHOT       where to write the screenshot
//   CHROMIUM         the browser binary (default /usr/bin/chromium)
// Exits 0 when every step passed, 1 at the first that failed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const env = (name) => process.env[name] || fail(`${name} is not set; start this test with browser-test/run`);
const BASE = env('JHTTPD_URL');
const LOG = env('JHTTPD_LOG');
const OTHER = env('OTHER_ORIGIN');
const REFUSED = env('REFUSED_ORIGIN');
const SCREENSHOT = env('SCREENSHOT');
const TIMEOUT_MS = 5000;

function fail(message) {
  console.error(`browser-test: ${message}`);
  process.exit(1);
}

let passed = 0;

async function step(name, body) {
  try {
    await body();
  } catch (e) {
    throw new Error(`step "${name}" failed: ${e.message}`, { cause: e });
  }
  passed++;
  console.log(`  ok  ${name}`);
}

/** Waits until the element's text contains every part; the error names what it saw instead. */
async function expectText(locator, ...parts) {
  const deadline = Date.now() + TIMEOUT_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.count()) > 0 ? await locator.first().innerText() : '(no such element)';
    if (parts.every((part) => text.includes(part))) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${JSON.stringify(parts)} in ${locator}, saw ${JSON.stringify(text)}`);
}

/** How many lines of the server's access log match, so far. */
function logCount(pattern) {
  return readFileSync(LOG, 'utf8').split('\n').filter((line) => pattern.test(line)).length;
}

/** Waits until the access log has at least count lines that match (it is written after each response). */
async function waitForLog(pattern, count, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (logCount(pattern) < count) {
    if (Date.now() > deadline) {
      throw new Error(`the server's access log has ${logCount(pattern)} ${what}, expected ${count} (${pattern})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function apiGet(request, path) {
  const response = await request.get(`${BASE}${path}`);
  return { status: response.status(), body: await response.json() };
}

const launchArgs = [
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
  // No calls home: this machine's network is closed, and the test must not depend on it.
  '--disable-background-networking', '--disable-component-update',
];
if (process.getuid && process.getuid() === 0) {
  launchArgs.push('--no-sandbox'); // Chromium's sandbox refuses to run as root
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: launchArgs,
  timeout: 30_000,
}).catch((e) => fail(`could not start Chromium: ${e.message.split('\n')[0]}`));

let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, colorScheme: 'light' });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const scriptErrors = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  const api = context.request;
  const form = page.locator('#item-form');
  const textarea = page.locator('#item-json');
  const message = page.locator('#message');
  const rowOf = (id) => page.locator(`#items tbody tr[data-id="${id}"]`);

  await step('the page loads from /static/ with its stylesheet and script, and lists no items', async () => {
    const response = await page.goto(`${BASE}/static/`);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Welcome to jhttpd');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).maxWidth), '832px', 'style.css applied');
    await page.locator('#empty').waitFor({ state: 'visible' }); // app.js ran and GET /data answered []
    const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of ['/data', '/health', '/metrics']) {
      assert.ok(links.includes(href), `a link to ${href} among ${links}`);
    }
  });

  await step('/static/index.html is the same page', async () => {
    await page.goto(`${BASE}/static/index.html`);
    await page.locator('#empty').waitFor({ state: 'visible' });
  });

  await step('a body the server refuses shows the error the server sent', async () => {
    await textarea.fill('{"name":');
    await form.locator('#submit').click();
    await expectText(message, 'Creating the item failed: 400 Malformed JSON');
    assert.ok(await message.evaluate((m) => m.classList.contains('error')), 'the message is shown as an error');
    assert.equal(await textarea.inputValue(), '{"name":', 'the text is kept so that it can be fixed');
  });

  await step('creating items through the form lists them', async () => {
    await textarea.fill('{"name": "apple", "price": 1.25}');
    await form.locator('#submit').click();
    await expectText(message, 'Created item #1.');
    await expectText(rowOf(1), '#1', '{"name":"apple","price":1.25}');
    await textarea.fill('{"name": "pear", "tags": ["green"]}');
    await form.locator('#submit').click();
    await expectText(rowOf(2), '#2', '{"name":"pear","tags":["green"]}');
    assert.equal(await textarea.inputValue(), '', 'the form is cleared');
    assert.deepEqual((await apiGet(api, '/data')).body,
      [{ id: 1, name: 'apple', price: 1.25 }, { id: 2, name: 'pear', tags: ['green'] }]);
  });

  await step('the screenshot is written', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  await step('editing an item replaces it, keeping its id', async () => {
    await rowOf(1).getByRole('button', { name: 'Edit' }).click();
    assert.equal(await textarea.inputValue(), JSON.stringify({ name: 'apple', price: 1.25 }, null, 2));
    await expectText(form.locator('#submit'), 'Save #1');
    await textarea.fill('{"name": "apple", "price": 0.99}');
    await form.locator('#submit').click();
    await expectText(message, 'Saved item #1.');
    await expectText(rowOf(1), '{"name":"apple","price":0.99}');
    await expectText(form.locator('#submit'), 'Create');
    assert.deepEqual(await apiGet(api, '/data/1'), { status: 200, body: { id: 1, name: 'apple', price: 0.99 } });
  });

  await step('deleting an item removes it', async () => {
    await rowOf(2).getByRole('button', { name: 'Delete' }).click();
    await expectText(message, 'Deleted item #2.');
    await rowOf(2).waitFor({ state: 'detached' });
    assert.equal((await apiGet(api, '/data/2')).status, 404);
  });

  await step('deleting an item someone else deleted shows the 404 and reloads the list', async () => {
    assert.equal((await api.delete(`${BASE}/data/1`)).status(), 200);
    await rowOf(1).getByRole('button', { name: 'Delete' }).click();
    await expectText(message, 'Deleting item #1 failed: 404 No item with that id');
    await page.locator('#empty').waitFor({ state: 'visible' });
  });

  await step('no script errors on the page', async () => {
    assert.deepEqual(scriptErrors, []);
  });

  const plum = (await (await api.post(`${BASE}/data`, { data: { name: 'plum' } })).json()).id;
  const preflight = new RegExp(`"OPTIONS /data/${plum} HTTP/1\\.1" 204 `);
  const put = new RegExp(`"PUT /data/${plum} HTTP/1\\.1" `);

  await step(`a page from ${OTHER} replaces an item through a CORS preflight`, async () => {
    const other = await context.newPage();
    const requests = [];
    other.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await other.goto(`${OTHER}/static/`);
    assert.equal(await other.evaluate(() => location.origin), OTHER);
    assert.equal(logCount(preflight), 0);
    const result = await other.evaluate(([base, id]) => putItem(base, id, { name: 'plum', from: location.origin }),
      [BASE, plum]);
    assert.deepEqual(result, { status: 200, body: { id: plum, name: 'plum', from: OTHER } });
    assert.ok(requests.includes(`PUT ${BASE}/data/${plum}`), `the browser sent the PUT: ${requests}`);
    // The preflight is the browser's own request, not the page's, so the server's access log is the
    // witness that it happened, before the PUT.
    await waitForLog(preflight, 1, 'preflights');
    await waitForLog(put, 1, 'PUTs');
    const lines = readFileSync(LOG, 'utf8').split('\n');
    assert.ok(lines.findIndex((l) => preflight.test(l)) < lines.findIndex((l) => put.test(l)),
      'the preflight came before the PUT');
    await other.close();
  });

  await step(`a page from ${REFUSED}, an origin the server does not allow, is refused`, async () => {
    const refused = await context.newPage();
    await refused.goto(`${REFUSED}/static/`);
    const outcome = await refused.evaluate(([base, id]) => putItem(base, id, { name: 'stolen' })
      .then((r) => `answered ${r.status}`, (e) => `${e.name}: ${e.message}`), [BASE, plum]);
    assert.match(outcome, /^TypeError: /, 'fetch rejects when the preflight does not allow the origin');
    await waitForLog(preflight, 2, 'preflights');
    assert.equal(logCount(put), 1, 'the browser sent no PUT after the refused preflight');
    assert.deepEqual((await apiGet(api, `/data/${plum}`)).body, { id: plum, name: 'plum', from: OTHER });
    await refused.close();
  });

  console.log(`browser test: all ${passed} steps passed`);
} catch (e) {
  console.error(`browser-test: ${e.message}`);
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
