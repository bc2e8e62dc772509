// Checks dynhook's signatures with Smartcar's official Node SDK (npm `smartcar`). Driven by
// tests/receiver/smartcar_verify_test.cc, which passes:
//   AMT, SIGNATURE (SC-Signature of BODY_FILE's bytes), BODY_FILE, CHALLENGE, ANSWER (the
//   receiver's challenge answer), RECEIVER_URL (a running dynhook receiver keyed with AMT).
// Prints "smartcar verify: all checks passed" and exits 0, or fails with a message.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const smartcar = require('smartcar');

async function main() {
  const env = process.env;
  const body = fs.readFileSync(env.BODY_FILE, 'utf8');
  // What an integrator's server does with a delivery: parse, then verify the signature.
  assert.equal(smartcar.verifyPayload(env.AMT, env.SIGNATURE, JSON.parse(body)), true,
               'verifyPayload rejected a dynhook signature');
  assert.equal(JSON.stringify(JSON.parse(body)), body, 'body is not JSON.stringify-canonical');
  assert.equal(smartcar.verifyPayload('amt_wrong', env.SIGNATURE, JSON.parse(body)), false);
  // The receiver's challenge answer is what Smartcar's SDK computes.
  assert.equal(smartcar.hashChallenge(env.AMT, env.CHALLENGE), env.ANSWER);
  // A payload signed the way Smartcar signs is accepted by the dynhook receiver.
  const payload = JSON.stringify({eventId: 'node-1', eventName: 'dynamic', payload: {n: 1e-7}});
  const signed = await fetch(env.RECEIVER_URL, {
    method: 'POST', body: payload,
    headers: {'content-type': 'application/json',
              'sc-signature': smartcar.hashChallenge(env.AMT, payload)},
  });
  assert.equal(signed.status, 200);
  const forged = await fetch(env.RECEIVER_URL, {
    method: 'POST', body: payload,
    headers: {'content-type': 'application/json',
              'sc-signature': smartcar.hashChallenge('amt_wrong', payload)},
  });
  assert.equal(forged.status, 401);
  console.log('smartcar verify: all checks passed');
}

main().catch((e) => { console.error(e); process.exit(1); });
