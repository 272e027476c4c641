import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('Idempotency-Key on POST');
test.before.each(async (context) => {
  context.api = await startTestService();
});
test.after.each(async ({ api }) => api.stop());

const post = (api: TestService, body: unknown, key: string, auth?: string) =>
  api.request('POST', '/api/v1/products/', { body, headers: { 'idempotency-key': key }, ...(auth ? { auth } : {}) });

test('a retried POST answers the original response and creates nothing new', async ({ api }) => {
  const first = await post(api, { sku: 'IDEM-1' }, 'order-42');
  assert.is(first.status, 201);
  const mark = await api.mark();
  const retry = await post(api, { sku: 'IDEM-1' }, 'order-42');
  assert.equal([retry.status, retry.body], [201, first.body]);
  assert.is(retry.headers.get('idempotent-replayed'), 'true');
  assert.is(retry.headers.get('etag'), first.headers.get('etag'));
  assert.equal(await api.eventsSince(mark), [], 'nothing new was appended');
});

test('concurrent retries run the request once', async ({ api }) => {
  const responses = await Promise.all(Array.from({ length: 5 }, () => post(api, { sku: 'IDEM-C' }, 'burst')));
  assert.equal(new Set(responses.map((response) => response.body.pk)).size, 1);
  assert.ok(responses.every((response) => response.status === 201));
});

test('the same key with a different payload is a 422', async ({ api }) => {
  await post(api, { sku: 'IDEM-2' }, 'k-1');
  const other = await post(api, { sku: 'IDEM-3' }, 'k-1');
  assert.equal([other.status, other.body], [422, { detail: 'This Idempotency-Key was already used with a different request.' }]);
  const list = await api.request('GET', '/api/v1/products/?sku=IDEM-3');
  assert.is(list.body.count, 0);
});

test('keys belong to their user, and a bad key is a 400', async ({ api }) => {
  const erp = await post(api, { sku: 'IDEM-U' }, 'shared');
  const backoffice = await post(api, { sku: 'IDEM-U' }, 'shared', `Token ${TEST_USERS[1]!.key}`);
  assert.is(erp.status, 201);
  assert.equal([backoffice.status, backoffice.body], [400, { sku: ['product with this sku already exists.'] }], 'run, not replayed');
  const bad = await post(api, { sku: 'IDEM-B' }, 'has space');
  assert.equal([bad.status, bad.body], [400, { detail: 'Idempotency-Key must be 1 to 255 visible characters.' }]);
});

test('keys shaped like stream names work as keys and touch no other stream; overlong and non-ASCII keys are a 400', async ({ api }) => {
  const mark = await api.mark();
  for (const [index, key] of ['-', '$all', '/', '..', '$$settings', 'settings', 'product-1'].entries()) {
    const first = await post(api, { sku: `IDEM-H${index}` }, key);
    const retry = await post(api, { sku: `IDEM-H${index}` }, key);
    assert.equal([first.status, retry.status, retry.body], [201, 201, first.body], key);
  }
  const keyStreams = (await api.eventsSince(mark)).filter((event) => event.type.startsWith('IdempotentRequest')).map((event) => event.streamName);
  assert.is(new Set(keyStreams).size, 7);
  for (const stream of keyStreams) assert.match(stream, /^idempotency-[0-9a-f]{64}$/);
  const refused = { detail: 'Idempotency-Key must be 1 to 255 visible characters.' };
  for (const key of ['k'.repeat(256), 'x'.repeat(10_000), 'clé', 'tab\tkey']) {
    const response = await post(api, { sku: 'IDEM-BAD' }, key);
    assert.equal([response.status, response.body], [400, refused], key.slice(0, 20));
  }
  assert.is((await api.request('GET', '/api/v1/products/?sku=IDEM-BAD')).body.count, 0);
});

test('a retry after a restart still gets the original response', async ({ api }) => {
  const first = await post(api, { sku: 'IDEM-R' }, 'survives');
  await api.stop({ keepData: true });
  const restarted = await startTestService({ dataDir: api.dataDir });
  try {
    const retry = await post(restarted, { sku: 'IDEM-R' }, 'survives');
    assert.equal([retry.status, retry.body], [201, first.body]);
  } finally {
    await restarted.stop();
  }
  // The suite's after-hook stops `api` again: make that harmless.
  api.stop = async () => {};
});

test('the anonymous login is never remembered: its answer is a key', async ({ api }) => {
  const login = (password: string) =>
    api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: 'erp', password }, headers: { 'idempotency-key': 'login-1' } });
  assert.is((await login('erp-key-0123456789abcdef')).status, 200);
  const other = await login('wrong-key-0123456789abcdef');
  assert.equal([other.status, other.body], [400, { non_field_errors: ['Unable to log in with provided credentials.'] }], 'run again, not replayed nor 422');
});

test.run();
