// End-to-end on the cluster: two pages in a real (headless) Chromium, both through one nginx, each pinned to a
// different seat node (?node=a, ?node=b), the nodes sharing Redis.
//
//   SEATS_URL   nginx's URL, e.g. http://127.0.0.1:8080/ (cluster.sh started)   required
//   CHROMIUM    the browser binary                                               default /usr/bin/chromium
//
// `make test-cluster` starts the cluster and sets these. The pages may reach 127.0.0.1 and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.SEATS_URL;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CROSS_NODE_DEADLINE_MS = 1000; // a booking on one node shows in a page of the other within this
const RACE_SEATS = ['E9', 'E10', 'E11', 'F3', 'F4'];

if (!BASE) throw new Error('set SEATS_URL (make test-cluster does)');

let context;
let userDataDir;
const offHost = [];
const pageErrors = [];
const timings = {};

async function waitFor(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100)); // polling an outside process: there is no event to wait on
  }
}

/** Both nodes answer through nginx, each has built its view from Redis. */
async function clusterUp() {
  try {
    for (const node of ['a', 'b']) {
      const response = await fetch(new URL(`stats?node=${node}`, BASE));
      if (!response.ok) return false;
      const stats = await response.json();
      if (stats.node !== node || stats['store-link'] !== 'UP') return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function openPage(node) {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${node}: ${error.message}`));
  const response = await page.goto(new URL(`?node=${node}`, BASE).href);
  assert.equal(response.headers()['x-seats-node'], node, `nginx sent ?node=${node}'s page request to node ${node}`);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 10000 });
  return page;
}

const seatIs = (page, id, state, timeout) =>
  page.waitForSelector(`.seat[data-seat="${id}"][data-state="${state}"]`, { timeout });
const viewState = (page, id) => page.$eval(`.seat[data-seat="${id}"]`, (s) => s.dataset.state);

before(async () => {
  await waitFor('the cluster behind nginx', 60000, clusterUp);
  userDataDir = await mkdtemp(join(tmpdir(), 'seats-cluster-e2e-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1040, height: 620 },
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    offHost.push(route.request().url());
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  console.log('timings (ms):', JSON.stringify(timings));
});

test('two pages on two nodes behind nginx: bookings cross, a race has one winner', async () => {
  const started = Date.now();
  // Separate pages of one browser share sessionStorage only within a tab, so these are two clients.
  const a = await openPage('a');
  const b = await openPage('b');
  // The WebSocket itself reached the node the page asked for: the snapshot names it.
  assert.equal(await a.$eval('#node', (n) => n.dataset.node), 'a');
  assert.equal(await b.$eval('#node', (n) => n.dataset.node), 'b');
  timings.pagesLive = Date.now() - started;

  let t0 = Date.now();
  await a.locator('.seat[data-seat="C7"]').click();
  await seatIs(b, 'C7', 'taken', CROSS_NODE_DEADLINE_MS);
  timings.aToB = Date.now() - t0;
  await seatIs(a, 'C7', 'mine', 5000);

  t0 = Date.now();
  await b.locator('.seat[data-seat="D4"]').click();
  await seatIs(a, 'D4', 'taken', CROSS_NODE_DEADLINE_MS);
  timings.bToA = Date.now() - t0;

  // A buys: B sees the sale.
  await a.locator('#confirm').click();
  await seatIs(a, 'C7', 'sold-mine', 5000);
  await seatIs(b, 'C7', 'taken', 5000);

  // Races: both pages click the same free seat at once, through different nodes. Each seat ends up held by
  // exactly one of them, and both pages agree on which.
  const clickNow = (page, id) => page.evaluate((seat) => {
    document.querySelector(`.seat[data-seat="${seat}"]`).click();
  }, id);
  let winsA = 0;
  for (const id of RACE_SEATS) {
    await Promise.all([clickNow(a, id), clickNow(b, id)]);
    await Promise.race([seatIs(a, id, 'mine', 5000), seatIs(a, id, 'taken', 5000)]);
    await Promise.race([seatIs(b, id, 'mine', 5000), seatIs(b, id, 'taken', 5000)]);
    const views = [await viewState(a, id), await viewState(b, id)].sort();
    assert.deepEqual(views, ['mine', 'taken'], `${id}: exactly one page holds it, the other sees it taken`);
    if ((await viewState(a, id)) === 'mine') winsA++;
  }
  timings.raceWinsOfA = winsA;
  timings.raceWinsOfB = RACE_SEATS.length - winsA;

  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  assert.deepEqual(offHost, [], 'nothing left 127.0.0.1');
  timings.total = Date.now() - started;
});
