// Runs Smartcar's official Node SDK, unchanged, against a dynhook server: the only change is
// the base URLs, given through the SDK's own environment variables. Prints one line per step;
// exits non-zero on the first failure. Driven by tests/app/smartcar_sdk_test.cc, which starts
// the server and passes:
//   DYNHOOK_BASE, DYNHOOK_CLIENT_ID, DYNHOOK_CLIENT_SECRET, DYNHOOK_REDIRECT_URI, DYNHOOK_AMT
'use strict';
const assert = require('node:assert/strict');

const base = process.env.DYNHOOK_BASE;
process.env.SMARTCAR_API_ORIGIN = base;
process.env.SMARTCAR_AUTH_ORIGIN = base;
process.env.SMARTCAR_MANAGEMENT_API_ORIGIN = base;
const smartcar = require('smartcar');

const step = (name, detail = '') => console.log(`ok ${name} ${detail}`);

// The part a browser does: open the Connect URL, log in and approve. Returns the code.
async function approveInBrowser(authUrl) {
  const page = await fetch(authUrl);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  const form = new URLSearchParams(new URL(authUrl).search);
  form.set('username', 'sdk-owner@example.com');
  form.set('password', 'correct horse battery staple');
  form.set('action', 'approve');
  const res = await fetch(`${base}/oauth/authorize`, {
    method: 'POST', body: form, redirect: 'manual',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.searchParams.get('state'), 'sdk-state');
  return location.searchParams.get('code');
}

async function main() {
  const client = new smartcar.AuthClient({
    clientId: process.env.DYNHOOK_CLIENT_ID,
    clientSecret: process.env.DYNHOOK_CLIENT_SECRET,
    redirectUri: process.env.DYNHOOK_REDIRECT_URI,
    mode: 'simulated',
  });
  const scope = ['read_vehicle_info', 'read_battery', 'read_charge', 'read_location',
    'read_odometer', 'read_vin'];
  const authUrl = client.getAuthUrl(scope, {state: 'sdk-state', makeBypass: 'TESLA'});
  assert.ok(authUrl.startsWith(`${base}/oauth/authorize?`), authUrl);
  step('getAuthUrl');

  const code = await approveInBrowser(authUrl);
  const tokens = await client.exchangeCode(code);
  assert.ok(tokens.accessToken && tokens.refreshToken);
  assert.ok(tokens.expiration instanceof Date);
  step('exchangeCode');

  const refreshed = await client.exchangeRefreshToken(tokens.refreshToken);
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
  step('exchangeRefreshToken');
  const access = refreshed.accessToken;

  const user = await smartcar.getUser(access);
  assert.ok(user.id);
  step('getUser', user.id);

  const list = await smartcar.getVehicles(access);
  assert.ok(list.vehicles.length >= 1);
  assert.equal(list.paging.offset, 0);
  step('getVehicles', list.vehicles.length);

  const vehicle = new smartcar.Vehicle(list.vehicles[0], access);
  const attributes = await vehicle.attributes();
  assert.equal(attributes.make, 'TESLA');
  assert.equal(typeof attributes.year, 'number');
  step('attributes', `${attributes.make} ${attributes.model} ${attributes.year}`);

  const battery = await vehicle.battery();
  assert.ok(battery.percentRemaining >= 0 && battery.percentRemaining <= 1);
  assert.ok(battery.meta.requestId);
  assert.ok(battery.meta.dataAge instanceof Date);
  step('battery', battery.percentRemaining);

  const charge = await vehicle.charge();
  assert.equal(typeof charge.isPluggedIn, 'boolean');
  assert.ok(['CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING'].includes(charge.state));
  step('charge', charge.state);

  const location = await vehicle.location();
  assert.equal(typeof location.latitude, 'number');
  step('location', `${location.latitude},${location.longitude}`);

  const odometer = await vehicle.odometer();
  assert.ok(odometer.distance > 0);
  step('odometer', odometer.distance);

  const vin = await vehicle.vin();
  assert.equal(vin.vin.length, 17);
  step('vin', vin.vin);

  const batch = await vehicle.batch(['/odometer', '/battery', '/fuel']);
  assert.ok(batch.odometer().distance > 0);
  assert.ok(batch.battery().percentRemaining >= 0);
  assert.throws(() => batch.fuel(), (e) => e.name === 'SmartcarError');
  step('batch');

  const connections = await smartcar.getConnections(process.env.DYNHOOK_AMT);
  assert.ok(connections.connections.some((c) => c.vehicleId === vehicle.id));
  step('getConnections', connections.connections.length);

  const disconnected = await vehicle.disconnect();
  assert.equal(disconnected.status, 'success');
  await assert.rejects(vehicle.odometer(), (e) => e.name === 'SmartcarError' && e.statusCode >= 400);
  step('disconnect');

  // An error from the API reaches the SDK as a SmartcarError with Smartcar's fields.
  await assert.rejects(smartcar.getVehicles('not-a-token'),
    (e) => e.type === 'AUTHENTICATION' && e.statusCode === 401 && !!e.requestId);
  step('error mapping');
}

main().then(() => console.log('smartcar sdk: all steps passed'), (err) => {
  console.error('smartcar sdk: FAILED', err);
  process.exit(1);
});
