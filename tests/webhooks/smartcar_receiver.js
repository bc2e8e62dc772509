// A callback server written as Smartcar's documentation tells integrators to write one, with
// the official Node SDK (npm `smartcar`): it checks SC-Signature with smartcar.verifyPayload
// and answers a "verify" event with {"challenge": smartcar.hashChallenge(AMT, challenge)}.
// Driven by tests/webhooks/smartcar_challenge_test.cc: env AMT; listens on 127.0.0.1, an
// ephemeral port, printed as "listening <port>"; exits when stdin closes (its parent is gone).
'use strict';
const http = require('node:http');
const smartcar = require('smartcar');

const amt = process.env.AMT;
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    let event;
    try {
      event = JSON.parse(body);
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    if (!smartcar.verifyPayload(amt, req.headers['sc-signature'], event)) {
      res.writeHead(401).end();
      return;
    }
    if (event.eventName === 'verify') {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({challenge: smartcar.hashChallenge(amt, event.payload.challenge)}));
      return;
    }
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
