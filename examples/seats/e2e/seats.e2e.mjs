// End-to-end: two pages in a real (headless) Chromium against a running seat server.
//
//   SEATS_PORT  the port the server listens on (127.0.0.1)               required
//   SEATS_CMD   the command that starts the server on that port           required (the test restarts it)
//   SEATS_PID   the pid of a server already started with SEATS_CMD        optional (else the test starts one)
//   CHROMIUM    the browser binary                                         default /usr/bin/chromium
//
// `make e2e` sets these. The pages may reach 127.0.0.1 and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect as tcpConnect } from 'node:net';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const TARGET = join(HERE, '..', 'target');
const REPO = join(HERE, '..', '..', '..'); // SEATS_CMD runs from here, as make runs it
const PORT = Number(process.env.SEATS_PORT);
const CMD = process.env.SEATS_CMD;
const BASE = `http://127.0.0.1:${PORT}/`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PUSH_DEADLINE_MS = 1000; // a change in one page shows in the other within this

if (!PORT || !CMD) {
  throw new Error('set SEATS_PORT and SEATS_CMD (make e2e does)');
}

let serverPid = process.env.SEATS_PID ? Number(process.env.SEATS_PID) : null;
let child = null; // a server this test started
let context;
let userDataDir;
const offHost = []; // requests that tried to leave 127.0.0.1
const pageErrors = [];
const timings = {};

// --- the server -------------------------------------------------------------------------------------------

function portAccepts() {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: PORT });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50)); // polling an outside process: there is no event to wait on
  }
}

async function pageServed() {
  try {
    const response = await fetch(BASE);
    return response.ok;
  } catch {
    return false;
  }
}

async function startServer() {
  await mkdir(TARGET, { recursive: true });
  const log = await open(join(TARGET, 'e2e-server-restarted.log'), 'w');
  let exitCode = null;
  try {
    child = spawn('sh', ['-c', `exec ${CMD}`], { cwd: REPO, stdio: ['ignore', log.fd, log.fd] });
    child.exited = new Promise((resolve) => child.once('exit', (code) => { exitCode = code; resolve(code); }));
    serverPid = child.pid;
    await waitFor('the server to serve its page', 30000, async () => {
      if (exitCode !== null) throw new Error(`the server exited with ${exitCode}; see target/e2e-server-restarted.log`);
      return pageServed();
    });
  } finally {
    await log.close();
  }
}

async function stopServer() {
  if (child) {
    child.kill('SIGTERM');
    await child.exited;
    child = null;
  } else if (serverPid) {
    process.kill(serverPid, 'SIGTERM'); // its parent (make) reaps it
  }
  serverPid = null;
  await waitFor('the port to close', 15000, async () => !(await portAccepts()));
}

// --- the pages --------------------------------------------------------------------------------------------

async function newPage(name) {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(`ws://127.0.0.1:${PORT}/`)) offHost.push(`${name} websocket ${ws.url()}`);
  });
  await page.goto(BASE);
  return page;
}

const seat = (page, id) => page.locator(`.seat[data-seat="${id}"]`);

/** Clicks a seat, keeping the slowest click (the browser's own latency, not the server's) for the report. */
async function click(page, id) {
  const t0 = Date.now();
  await seat(page, id).click();
  timings.slowestClick = Math.max(timings.slowestClick ?? 0, Date.now() - t0);
}

async function expectSeat(page, id, state, timeout = 5000) {
  await page.waitForSelector(`.seat[data-seat="${id}"][data-state="${state}"]`, { timeout });
}

async function expectLive(page, watchers, timeout) {
  await page.waitForSelector('#conn[data-state="open"]', { timeout });
  await page.waitForSelector(`#watchers[data-count="${watchers}"]`, { timeout });
}

/** The map as the page draws it: seat id -> view state, non-free seats only. */
async function drawnMap(page) {
  return page.$$eval('.seat', (seats) => Object.fromEntries(
    seats.filter((s) => s.dataset.state !== 'free').map((s) => [s.dataset.seat, s.dataset.state])));
}

// --- the test ---------------------------------------------------------------------------------------------

before(async () => {
  if (!serverPid) await startServer();
  await waitFor('the server', 30000, pageServed);
  userDataDir = await mkdtemp(join(tmpdir(), 'seats-e2e-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1040, height: 620 },
  });
  // Everything a page asks for must be on 127.0.0.1; anything else is refused and remembered.
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
  if (child) {
    child.kill('SIGTERM');
    await child.exited;
  }
  console.log('timings (ms):', JSON.stringify(timings));
});

test('a click in one page shows in the other at once, and both survive a server restart', async () => {
  const started = Date.now();
  const a = await newPage('A');
  const b = await newPage('B');
  await expectLive(a, 2, 10000);
  await expectLive(b, 2, 10000);
  timings.pagesLive = Date.now() - started;

  // A holds C7: B sees it taken, without a reload, within the deadline.
  let t0 = Date.now();
  await click(a, 'C7');
  await expectSeat(b, 'C7', 'taken', PUSH_DEADLINE_MS);
  timings.pushToOtherPage = Date.now() - t0;
  await expectSeat(a, 'C7', 'mine');

  // A few more changes both ways, to have a map worth looking at.
  for (const id of ['C8', 'C9']) await click(a, id);
  for (const id of ['E5', 'E6', 'F12']) await click(b, id);
  await expectSeat(a, 'F12', 'taken', PUSH_DEADLINE_MS);
  await expectSeat(b, 'C9', 'taken', PUSH_DEADLINE_MS);
  await a.locator('#confirm').click(); // A buys its three holds
  for (const id of ['C7', 'C8', 'C9']) await expectSeat(a, id, 'sold-mine');
  await click(b, 'E6');         // B lets one go
  await expectSeat(a, 'E6', 'free', PUSH_DEADLINE_MS);
  await click(b, 'C7');         // taken: the page does not even ask
  for (const id of ['H7', 'H8']) await click(a, id); // and A holds two more
  await expectSeat(b, 'H8', 'taken', PUSH_DEADLINE_MS);
  await expectSeat(a, 'H8', 'mine');

  const expectA = {
    C7: 'sold-mine', C8: 'sold-mine', C9: 'sold-mine', E5: 'taken', F12: 'taken', H7: 'mine', H8: 'mine',
  };
  const expectB = {
    C7: 'taken', C8: 'taken', C9: 'taken', E5: 'mine', F12: 'mine', H7: 'taken', H8: 'taken',
  };
  assert.deepEqual(await drawnMap(a), expectA);
  assert.deepEqual(await drawnMap(b), expectB);

  await mkdir(TARGET, { recursive: true });
  await a.mouse.move(0, 0); // no hover effect in the picture
  await a.screenshot({ path: join(TARGET, 'seats.png'), animations: 'disabled' });

  // Restart the server on the same port: both pages notice, back off, reconnect, and draw the new server's
  // map (it keeps no state across restarts, so: empty) from its snapshot.
  t0 = Date.now();
  await stopServer();
  await a.waitForSelector('#conn[data-state="closed"]', { timeout: 10000 });
  await b.waitForSelector('#conn[data-state="closed"]', { timeout: 10000 });
  timings.pagesNoticedStop = Date.now() - t0;
  t0 = Date.now();
  await startServer();
  timings.serverRestart = Date.now() - t0;
  t0 = Date.now();
  await expectLive(a, 2, 20000);
  await expectLive(b, 2, 20000);
  timings.pagesReconnected = Date.now() - t0;
  assert.deepEqual(await drawnMap(a), {}, 'page A dropped the old server\'s seats');
  assert.deepEqual(await drawnMap(b), {}, 'page B dropped the old server\'s seats');

  // And the new connections are live both ways.
  t0 = Date.now();
  await click(b, 'D4');
  await expectSeat(a, 'D4', 'taken', PUSH_DEADLINE_MS);
  timings.pushAfterRestart = Date.now() - t0;
  await expectSeat(b, 'D4', 'mine');
  assert.deepEqual(await drawnMap(a), { D4: 'taken' });
  assert.deepEqual(await drawnMap(b), { D4: 'mine' });

  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  assert.deepEqual(offHost, [], 'nothing left 127.0.0.1');
  timings.total = Date.now() - started;
});
