// Browser test of the dashboard (SPEC §8): headless Chromium driven by playwright-core against
// a running `dynhook serve`. Logs in with the AMT, runs the "+ Add webhook" wizard against a
// receiver started here (first answering the challenge wrongly, then rightly, so both the
// failed verification and "Verify this webhook" are exercised) and finds the verified webhook
// in the list; then subscribes a connected vehicle through the API and watches the webhook
// page show the subscription and its first delivery without a reload (live events), and the
// Vehicles page plug the vehicle in. Runs against a server at a high time scale (the wrapper
// passes --time-scale 3600: retries of 30 s × 2^n platform time take milliseconds): the receiver
// then answers 500 until the webhook is disabled (the page shows the reason), answers 200 again,
// "Re-enable" replays the held deliveries in order, and plugging the (pinned unplugged) vehicle
// in on the Vehicles page raises its interval from PT1H to PT1M (min(PT30M, Tesla's 1 min)). Env: DYNHOOK_BASE, DYNHOOK_AMT, DYNHOOK_ACCESS_TOKEN,
// DYNHOOK_VEHICLE_ID, DYNHOOK_ADMIN_TOKEN, DYNHOOK_SCREENSHOT_DIR.
// Prints "dashboard browser test: passed" on success.
import path from 'node:path';

import { apiClient, kLongTimeout, runSpec, startReceiver, waitUntil } from './harness.mjs';

const base = process.env.DYNHOOK_BASE;
const amt = process.env.DYNHOOK_AMT;
const adminToken = process.env.DYNHOOK_ADMIN_TOKEN || '';
const accessToken = process.env.DYNHOOK_ACCESS_TOKEN;
const vehicleId = process.env.DYNHOOK_VEHICLE_ID;
const shots = process.env.DYNHOOK_SCREENSHOT_DIR || '.';
const api = apiClient(base);

// The receiver: answers "verify" with HMAC-SHA256(AMT, challenge) hex once `honest` is true;
// answers payloads 500 while `failing`, else 200, and records each (SC-Event-Id, status).
let honest = false;
let failing = false;
const received = [];
const receiver = await startReceiver(amt, () => honest, (req) => {
  const status = failing ? 500 : 200;
  received.push({ eventId: req.headers['sc-event-id'], status });
  return status;
});
const callbackUri = `${receiver.origin}/hook`;

const spec = { name: 'dashboard browser test', shot: 'dashboard', shots, cleanup: receiver.close };
await runSpec(spec, async (page) => {
  await page.goto(`${base}/dashboard`);
  await page.getByLabel('Application management token (AMT)').fill(amt);
  if (adminToken) await page.getByLabel(/Admin token/).fill(adminToken);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByText('No webhooks yet').waitFor();
  await page.locator('#live.on').waitFor();  // the event stream is connected
  await page.screenshot({ path: path.join(shots, 'dashboard-empty.png'), fullPage: true });

  await page.getByRole('link', { name: '+ Add webhook' }).click();
  await page.getByRole('button', { name: 'Next' }).click();  // type: Dynamic
  await page.getByLabel('Name').fill('Browser hook');
  await page.getByLabel('Callback URI').fill(callbackUri);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText(callbackUri).waitFor();
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.getByText('Not verified').waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-not-verified.png'), fullPage: true });

  honest = true;
  await page.getByRole('button', { name: 'Verify this webhook' }).click();
  await page.getByText('Verified: the callback answered the challenge.').waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-verified.png'), fullPage: true });

  await page.getByRole('link', { name: 'All webhooks' }).click();
  const row = page.getByRole('row', { name: /Browser hook/ });
  await row.waitFor();
  await row.getByText('enabled').waitFor();
  await row.getByText(callbackUri).waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-list.png'), fullPage: true });

  await row.getByRole('link', { name: 'Browser hook' }).click();
  await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
  await page.getByRole('img', { name: /Deliveries and failed attempts/ }).waitFor();
  // The chart's buckets follow the data's (platform) time even when it runs a day ahead of the
  // browser's clock (--time-scale): five deliveries six hours apart land in distinct buckets.
  const usedBuckets = await page.evaluate(async () => {
    const { bucketize } = await import('/dashboard/chart.js');
    const now = Date.now();
    const deliveries = [0, 6, 12, 18, 24].map((hours) => ({
      createdAt: new Date(now + 86400e3 + hours * 3600e3).toISOString(),
      attempts: [{ statusCode: 500, at: new Date(now + 86400e3 + hours * 3600e3).toISOString() }],
    }));
    const buckets = bucketize(deliveries, now);
    return [buckets.deliveries.filter((n) => n > 0).length,
      buckets.failures.reduce((a, b) => a + b, 0)];
  });
  if (usedBuckets[0] !== 5 || usedBuckets[1] !== 5) {
    throw new Error(`chart buckets ignore platform time: ${usedBuckets}`);
  }
  await page.getByRole('definition').filter({ hasText: callbackUri }).waitFor();
  if ((await page.content()).includes('[object ')) throw new Error('unrendered object on page');

  // A vehicle subscribes (the application's server does this with the access token): the
  // open page shows it and the first delivery from the event stream, without a reload.
  const webhookId = decodeURIComponent(new URL(page.url()).hash.replace('#/webhooks/', ''));
  if (adminToken) {  // unplugged until the Vehicles page plugs it in (the fleet moves fast here)
    await api('PUT', `/api/admin/sim/vehicles/${vehicleId}/state`, adminToken, { isPluggedIn: false });
  }
  const subscribed = await fetch(`${base}/v2.0/vehicles/${vehicleId}/webhooks/${webhookId}`, {
    method: 'POST', headers: { Authorization: `Bearer ${accessToken}` },
  });
  if (subscribed.status !== 200) throw new Error(`subscribe: ${subscribed.status}`);
  await page.getByRole('heading', { name: 'Subscribed vehicles (1)' }).waitFor();
  await page.getByRole('table', { name: 'Delivery log' }).getByText('succeeded').first().waitFor();
  const subscription = page.getByRole('table', { name: 'Subscribed vehicles' })
    .getByRole('row').filter({ hasText: vehicleId });
  if (adminToken) await subscription.getByRole('cell', { name: 'PT1H', exact: true }).waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-webhook.png'), fullPage: true });

  // The receiver fails: the delivery is retried 6 times, then the webhook is disabled with the
  // reason, and the deliveries falling due meanwhile are held.
  failing = true;
  await page.getByRole('alert').filter({ hasText: /Disabled: .*HTTP 500/ })
    .waitFor({ timeout: kLongTimeout });
  await page.locator('.row.spread .badge.disabled').waitFor();
  const deliveries = `/api/webhooks/${encodeURIComponent(webhookId)}/deliveries?limit=100`;
  let held = [];
  await waitUntil('two held deliveries', async () => {
    held = (await api('GET', `${deliveries}&status=held`, amt)).deliveries;
    return held.length >= 2;
  });
  held.sort((a, b) => a.sequence - b.sequence);
  const heldIds = held.map((d) => d.id);
  if (!received.some((r) => r.eventId === heldIds[0] && r.status === 500)) {
    throw new Error('the first held delivery was never attempted');
  }
  const log = page.getByRole('table', { name: 'Delivery log' });
  await log.getByText('held', { exact: true }).first().waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-disabled.png'), fullPage: true });

  // The receiver recovers; "Re-enable" verifies and delivers the held deliveries, in order.
  failing = false;
  await page.getByRole('button', { name: 'Re-enable' }).click();
  await page.locator('.row.spread .badge.enabled').waitFor();
  await waitUntil('the held deliveries to arrive', () => heldIds.every(
    (id) => received.some((r) => r.eventId === id && r.status === 200)));
  const arrival = received.filter((r) => r.status === 200 && heldIds.includes(r.eventId))
    .map((r) => r.eventId).filter((id, i, all) => all.indexOf(id) === i);
  if (arrival.join() !== heldIds.join()) {
    throw new Error(`held deliveries out of order: ${arrival} (expected ${heldIds})`);
  }
  await waitUntil('the held deliveries to show as succeeded', async () => {
    const all = (await api('GET', deliveries, amt)).deliveries;
    return heldIds.every((id) => all.some((d) => d.id === id && d.status === 'succeeded'));
  });
  await waitUntil('no held delivery in the log', async () =>
    (await log.getByText('held', { exact: true }).count()) === 0);
  await page.screenshot({ path: path.join(shots, 'dashboard-reenabled.png'), fullPage: true });

  if (adminToken) {
    await page.getByRole('link', { name: 'Vehicles' }).click();
    await page.getByRole('heading', { name: 'Vehicles (simulated)' }).waitFor();
    const vehicle = page.getByRole('row').filter({ hasText: vehicleId });
    await vehicle.getByRole('button', { name: 'Plug in' }).click();
    await page.getByRole('row').filter({ hasText: vehicleId })
      .getByText('isPluggedIn=true').waitFor();
    await page.screenshot({ path: path.join(shots, 'dashboard-vehicles.png'), fullPage: true });
    // Plugged in, the trigger holds: the interval becomes min(PT30M, Tesla's optimal 1 min).
    await page.goto(`${base}/dashboard#/webhooks/${encodeURIComponent(webhookId)}`);
    await subscription.getByRole('cell', { name: 'PT1M', exact: true })
      .waitFor({ timeout: kLongTimeout });
    await page.screenshot({ path: path.join(shots, 'dashboard-elevated.png'), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/dashboard#/webhooks`);
  await page.getByRole('link', { name: 'Browser hook' }).waitFor();
  await page.screenshot({ path: path.join(shots, 'dashboard-phone.png'), fullPage: true });
});
