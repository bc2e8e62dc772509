// What every dashboard browser spec shares: bounded polling, the JSON API client, a sample
// receiver that answers verification challenges, and a headless Chromium session (playwright-core
// driving Debian's /usr/bin/chromium) that collects console errors and failed requests, takes a
// screenshot when the spec fails and always cleans up. A spec is one call of runSpec().
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const kStepTimeout = 15000;
export const kLongTimeout = 30000;

// Polls `check` every 100 ms until it returns true, failing after `timeout` ms with `detail()`.
export async function waitUntil(what, check, timeout = kLongTimeout, detail = () => '') {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${await detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A bearer-token JSON client of the server at `base`; throws on a non-2xx answer.
export function apiClient(base) {
  return async (method, pathname, token, body) => {
    const response = await fetch(`${base}${pathname}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
    }
    return response.status === 204 ? null : response.json();
  };
}

// A receiver on 127.0.0.1, port 0. "verify" events are answered with HMAC-SHA256(amt, challenge)
// when `honest(req)` holds, else wrongly; other events get `onEvent(req, event)`'s status.
// Returns its origin ("http://127.0.0.1:PORT") and a close().
export async function startReceiver(amt, honest, onEvent) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      let event = {};
      try { event = JSON.parse(body); } catch { /* answered below */ }
      if (event.eventName === 'verify') {
        const challenge = honest(req)
          ? createHmac('sha256', amt).update(event.payload.challenge).digest('hex') : 'wrong';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ challenge }));
        return;
      }
      res.writeHead(onEvent(req, event)).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

// Runs `body(page, context)` in a fresh headless Chromium profile. Fails (exit 1) on an
// exception, a console error or a 4xx/5xx response seen by the page, with `<shot>-failure.png`
// in `shots`; exits 0 printing "<name>: passed"; exits 2 after `overallMs`. `cleanup()` runs
// before the process exits (a spec's receiver, say).
export async function runSpec({ name, shot, shots, overallMs = 150000, cleanup = () => {} },
  body) {
  setTimeout(() => { console.error(`${name}: overall timeout`); process.exit(2); }, overallMs)
    .unref();
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'dynhook-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  const consoleErrors = [];
  let failed = false;
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(kStepTimeout);
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    await body(page, context);
    if (consoleErrors.length) throw new Error(`console errors: ${consoleErrors.join('; ')}`);
  } catch (error) {
    failed = true;
    console.error(`${name} failed:`, error);
    const page = context.pages()[0];
    const failure = path.join(shots, `${shot}-failure.png`);
    if (page) await page.screenshot({ path: failure }).catch(() => {});
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    cleanup();
  }
  if (failed) process.exit(1);
  console.log(`${name}: passed`);
  process.exit(0);
}
