// Browser test of the webhook page's paging (SPEC §8, the API's cursors of §4.1): headless
// Chromium driven by playwright-core against a running `dynhook serve` at a high time scale
// (the wrapper passes --time-scale 3600: an hourly delivery comes every second). The dashboard
// runs with ?pageSize=3. A vehicle subscribed to a verified webhook for a few seconds leaves
// more than two pages of deliveries; "Load more deliveries" appends the older pages in the
// API's order (newest first), without duplicates, and disappears on the last page. Then, with
// every page loaded, live updates (new deliveries of a new subscription, a resend of the
// oldest delivery) keep the whole log in the API's order, the oldest row with its new attempt.
// Five vehicles subscribed to a second webhook (unverified) page through "Load more vehicles".
// Env: DYNHOOK_BASE, DYNHOOK_AMT, DYNHOOK_ACCESS_TOKEN, DYNHOOK_VEHICLE_IDS (comma-separated,
// five), DYNHOOK_ADMIN_TOKEN, DYNHOOK_SCREENSHOT_DIR. Prints "dashboard paging test: passed".
import path from 'node:path';

import {
  apiClient, kLongTimeout, kStepTimeout, runSpec, startReceiver, waitUntil,
} from './harness.mjs';

const base = process.env.DYNHOOK_BASE;
const amt = process.env.DYNHOOK_AMT;
const adminToken = process.env.DYNHOOK_ADMIN_TOKEN;
const accessToken = process.env.DYNHOOK_ACCESS_TOKEN;
const vehicleIds = (process.env.DYNHOOK_VEHICLE_IDS || '').split(',').filter(Boolean);
const shots = process.env.DYNHOOK_SCREENSHOT_DIR || '.';
const kPageSize = 3;
const kDeliveries = 8;  // at least: three pages of kPageSize
const api = apiClient(base);

const subscribe = (vehicle, webhook) => api('POST',
  `/v2.0/vehicles/${vehicle}/webhooks/${encodeURIComponent(webhook)}`, accessToken);
const unsubscribe = (vehicle, webhook) => api('DELETE',  // with the AMT, as Smartcar's
  `/v2.0/vehicles/${vehicle}/webhooks/${encodeURIComponent(webhook)}`, amt);

// Every delivery of `webhook`, newest first, as the API lists them (one page of 100).
async function deliveryIds(webhook) {
  const page = await api('GET', `/api/webhooks/${encodeURIComponent(webhook)}/deliveries?limit=100`, amt);
  if (page.paging.cursor !== null) throw new Error('more than 100 deliveries');
  const sequences = page.deliveries.map((d) => d.sequence);
  if (sequences.some((s, i) => i > 0 && s >= sequences[i - 1])) {
    throw new Error(`deliveries not newest first: ${sequences}`);
  }
  return page.deliveries.map((d) => d.id);
}

// Deliveries of `webhook` once two reads 700 ms apart agree (nothing new is being created).
async function settledDeliveryIds(webhook) {
  let before = await deliveryIds(webhook);
  for (let i = 0; i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 700));
    const after = await deliveryIds(webhook);
    if (after.join() === before.join()) return after;
    before = after;
  }
  throw new Error('the delivery log never settled');
}

// The receiver: /hook answers "verify" with HMAC-SHA256(AMT, challenge) and payloads 200;
// /unverified answers the challenge wrongly, so its webhook stays pending_verification.
const receiver = await startReceiver(amt, (req) => req.url === '/hook', () => 200);
const { origin } = receiver;

const spec = { name: 'dashboard paging test', shot: 'paging', shots, cleanup: receiver.close };
await runSpec(spec, async (page) => {
  if (vehicleIds.length !== 5) throw new Error(`expected five vehicles, got ${vehicleIds}`);
  const [vehicle] = vehicleIds;
  // One vehicle, unplugged (the trigger does not hold): a delivery at once, then one a second.
  await api('PUT', `/api/admin/sim/vehicles/${vehicle}/state`, adminToken, { isPluggedIn: false });
  const created = await api('POST', '/api/webhooks', amt,
    { name: 'Paged hook', type: 'dynamic', callbackUri: `${origin}/hook` });
  const hook = created.id;
  if (created.status !== 'enabled') await api('POST', `/api/webhooks/${hook}/verify`, amt, {});
  await subscribe(vehicle, hook);
  await waitUntil(`${kDeliveries} deliveries`, async () =>
    (await deliveryIds(hook)).length >= kDeliveries);
  await unsubscribe(vehicle, hook);
  const all = await settledDeliveryIds(hook);

  const rows = (label) => page.locator(`table[aria-label="${label}"] tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
  const showsExactly = (label, expected) => async () => {
    const shown = await rows(label);
    return shown.join() === expected.join() && new Set(shown).size === shown.length;
  };
  const shownRows = (label) => async () => `(page shows ${await rows(label)})`;

  await page.goto(`${base}/dashboard?pageSize=${kPageSize}#/webhooks/${encodeURIComponent(hook)}`);
  await page.getByLabel('Application management token (AMT)').fill(amt);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
  await page.locator('#live.on').waitFor();

  // The newest page, then older pages appended one by one, until the button goes away.
  const more = page.getByRole('button', { name: 'Load more deliveries' });
  await waitUntil('the first page of deliveries', showsExactly('Delivery log', all.slice(0, kPageSize)),
    kStepTimeout, shownRows('Delivery log'));
  for (let shown = kPageSize; shown < all.length; shown += kPageSize) {
    await more.click();
    const expected = all.slice(0, shown + kPageSize);
    await waitUntil(`${expected.length} deliveries`, showsExactly('Delivery log', expected),
      kStepTimeout, shownRows('Delivery log'));
  }
  await more.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Load more vehicles' }).waitFor({ state: 'hidden' });
  const text = await page.locator('main').innerText();
  if (/^(null|undefined)$|\[object /m.test(text)) throw new Error(`unrendered value on page: ${text}`);
  await page.screenshot({ path: path.join(shots, 'paging-deliveries.png'), fullPage: true });

  // Live updates with every page loaded: a new delivery comes first, the older pages stay.
  await subscribe(vehicle, hook);
  await waitUntil('a new delivery', async () => (await deliveryIds(hook)).length > all.length);
  await unsubscribe(vehicle, hook);
  const grown = await settledDeliveryIds(hook);
  if (grown.slice(-all.length).join() !== all.join()) throw new Error('older deliveries changed');
  await waitUntil('the new deliveries on top of all the older ones',
    showsExactly('Delivery log', grown), kLongTimeout, shownRows('Delivery log'));
  if (await more.isVisible()) throw new Error('"Load more deliveries" shown after the last page');

  // Resending the oldest delivery (on the last page loaded): its row shows the new attempt,
  // once, wherever the API now lists it.
  const oldest = grown.at(-1);
  const attemptsOf = async (id) =>
    (await api('GET', `/api/deliveries/${encodeURIComponent(id)}`, amt)).attempts.length;
  const attemptsBefore = await attemptsOf(oldest);
  const oldestRow = page.locator(`table[aria-label="Delivery log"] tbody tr[data-key="${oldest}"]`);
  await oldestRow.getByRole('button', { name: 'Resend' }).click();
  await waitUntil('the resend to be delivered', async () =>
    (await attemptsOf(oldest)) > attemptsBefore);
  const resent = await settledDeliveryIds(hook);
  if ([...resent].sort().join() !== [...grown].sort().join()) throw new Error('resend changed the log');
  await waitUntil('the resent delivery shown once with its new attempt', async () =>
    (await showsExactly('Delivery log', resent)()) &&
    (await oldestRow.getByText(`${attemptsBefore + 1} attempt(s)`).count()) === 1,
  kLongTimeout, shownRows('Delivery log'));

  // Subscriptions: five vehicles on a second (unverified) webhook, listed by vehicle id.
  const silent = await api('POST', '/api/webhooks', amt,
    { name: 'Silent hook', type: 'dynamic', callbackUri: `${origin}/unverified` });
  for (const v of vehicleIds) await subscribe(v, silent.id);
  const subscriptions = await api('GET',
    `/api/webhooks/${encodeURIComponent(silent.id)}/subscriptions?limit=100`, amt);
  const vehicles = subscriptions.subscriptions.map((s) => s.vehicleId);
  if (vehicles.length !== 5) throw new Error(`subscriptions: ${vehicles}`);
  await page.goto(`${base}/dashboard?pageSize=${kPageSize}#/webhooks/${encodeURIComponent(silent.id)}`);
  await page.getByRole('heading', { name: 'Silent hook' }).waitFor();
  await page.getByRole('heading', { name: 'Subscribed vehicles (5)' }).waitFor();
  await waitUntil('the first page of vehicles',
    showsExactly('Subscribed vehicles', vehicles.slice(0, kPageSize)), kStepTimeout,
    shownRows('Subscribed vehicles'));
  await page.getByRole('button', { name: 'Load more vehicles' }).click();
  await waitUntil('every vehicle', showsExactly('Subscribed vehicles', vehicles), kStepTimeout,
    shownRows('Subscribed vehicles'));
  await page.getByRole('button', { name: 'Load more vehicles' }).waitFor({ state: 'hidden' });
  await page.screenshot({ path: path.join(shots, 'paging-vehicles.png'), fullPage: true });
});
