// Validates dynhook's served OpenAPI document with an OpenAPI validator from npm
// (@apidevtools/swagger-parser: the document against the OpenAPI 3.0 schema, every $ref
// resolvable). Driven by tests/api/openapi_node_test.cc, run from the repository root with
//   OPENAPI_URL  the document of a running `dynhook serve` (http://127.0.0.1:PORT/openapi.json)
// Prints "openapi: served document valid" and "openapi: broken copy rejected" (the validator
// really checks) and exits 0, or fails with the validator's message.
'use strict';
const assert = require('node:assert/strict');
const SwaggerParser = require('@apidevtools/swagger-parser');

async function main() {
  const response = await fetch(process.env.OPENAPI_URL);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const text = await response.text();
  // validate() dereferences in place: give it its own copy each time.
  const api = await SwaggerParser.validate(JSON.parse(text));
  assert.match(api.openapi, /^3\./);
  console.log('openapi: served document valid (' + api.openapi + ')');

  const broken = JSON.parse(text);
  broken.paths['/healthz'].get.responses = {'200': {content: {}}};  // a response needs a description
  await assert.rejects(SwaggerParser.validate(broken));
  console.log('openapi: broken copy rejected');
}

main().catch((error) => {
  console.error('openapi: ' + (error.stack || error));
  process.exit(1);
});
