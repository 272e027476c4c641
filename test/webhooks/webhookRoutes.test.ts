import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Webhook } from 'standardwebhooks';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('/api/v1/webhooks/ follows DRF conventions and refuses private targets');

test.before(async (context) => {
  context.api = await startTestService({ env: { WEBHOOK_ALLOWED_HOSTS: 'hooks.internal.test', WEBHOOK_MAX_SUBSCRIPTIONS: '5' } });
});
test.after(async ({ api }) => {
  await api?.stop();
});
test.after.each(async ({ api }) => {
  const list = await api.request('GET', '/api/v1/webhooks/');
  for (const webhook of list.body.results) await api.request('DELETE', `/api/v1/webhooks/${webhook.pk}/`);
});

// An allowed host that does not resolve: nothing is delivered anywhere during these tests.
const TARGET = 'http://hooks.internal.test/media';

test('POST creates a subscription: 201 with the fields, active, created_date and a whsec_ secret shown only then', async ({ api }) => {
  const mark = await api.mark();
  const created = await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET, events: ['ImageUploaded'], products: [7, 7, 8], description: 'search' } });
  assert.is(created.status, 201);
  const { pk, secret, created_date, ...rest } = created.body;
  assert.ok(Number.isInteger(pk) && pk > 0);
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.match(created_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(rest, { url: TARGET, events: ['ImageUploaded'], products: [7, 8], description: 'search', active: true, disabled_reason: null });
  const detail = await api.request('GET', `/api/v1/webhooks/${pk}/`);
  assert.equal(detail.body, { ...rest, pk, created_date });
  const list = await api.request('GET', '/api/v1/webhooks/');
  assert.equal(list.body, { count: 1, next: null, previous: null, results: [detail.body] });
  const events = await api.eventsSince(mark);
  assert.equal(events.filter((event) => event.streamName === `webhook-${pk}`).map((event) => event.type), ['WebhookCreated']);
  // The library that receivers verify with accepts it as a key.
  assert.ok(new Webhook(secret) instanceof Webhook);
});

test('a webhook to http://169.254.169.254/ (or any private address) is refused at creation', async ({ api }) => {
  for (const url of ['http://169.254.169.254/', 'http://127.0.0.1:9/x', 'http://[::1]/', 'http://10.0.0.1/', 'http://localhost/']) {
    const refused = await api.request('POST', '/api/v1/webhooks/', { body: { url } });
    assert.equal([refused.status, refused.body], [400, { url: ['The URL resolves to a private address.'] }], url);
  }
  const list = await api.request('GET', '/api/v1/webhooks/');
  assert.is(list.body.count, 0);
});

test('bad input answers DRF field errors', async ({ api }) => {
  const cases: [unknown, unknown][] = [
    [{}, { url: ['This field is required.'] }],
    [{ url: 'ftp://x.example/' }, { url: ['Enter a valid URL.'] }],
    [{ url: 'http://user:pw@hooks.internal.test/' }, { url: ['The URL may not carry credentials.'] }],
    [{ url: TARGET, events: ['Nope'] }, { events: ['"Nope" is not a valid choice.'] }],
    [{ url: TARGET, events: 'ImageUploaded' }, { events: ['Expected a list of items but got type "str".'] }],
    [{ url: TARGET, products: ['x'] }, { products: ['Incorrect type. Expected pk value, received unicode.'] }],
    [null, { non_field_errors: ['No data provided'] }],
  ];
  for (const [body, expected] of cases) {
    const response = await api.request('POST', '/api/v1/webhooks/', { body });
    assert.equal([response.status, response.body], [400, expected], JSON.stringify(body));
  }
});

test('unknown keys are ignored, as DRF serializers ignore undeclared fields', async ({ api }) => {
  const response = await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET, colour: 'red' } });
  assert.is(response.status, 201);
  assert.is('colour' in response.body, false);
});

test('credentials are required', async ({ api }) => {
  const response = await api.request('GET', '/api/v1/webhooks/', { auth: null });
  assert.equal([response.status, response.body], [401, { detail: 'Authentication credentials were not provided.' }]);
});

test('PATCH changes the given fields, rotate_secret answers a new secret, DELETE makes it 404', async ({ api }) => {
  const created = (await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET } })).body;
  const patched = await api.request('PATCH', `/api/v1/webhooks/${created.pk}/`, { body: { events: ['ImageDeleted'], active: false } });
  assert.is(patched.status, 200);
  assert.equal([patched.body.events, patched.body.products, patched.body.active, patched.body.url], [['ImageDeleted'], null, false, TARGET]);
  const refused = await api.request('PATCH', `/api/v1/webhooks/${created.pk}/`, { body: { url: 'http://169.254.169.254/latest/meta-data/' } });
  assert.equal([refused.status, refused.body], [400, { url: ['The URL resolves to a private address.'] }]);
  const rotated = await api.request('POST', `/api/v1/webhooks/${created.pk}/rotate_secret/`);
  assert.is(rotated.status, 200);
  assert.match(rotated.body.secret, /^whsec_/);
  assert.is.not(rotated.body.secret, created.secret);
  const history = (await api.eventsSince()).filter((event) => event.streamName === `webhook-${created.pk}`).map((event) => event.type);
  assert.equal(history, ['WebhookCreated', 'WebhookChanged', 'WebhookSecretRotated']);
  assert.is((await api.request('DELETE', `/api/v1/webhooks/${created.pk}/`)).status, 204);
  for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', 'ping/'], ['POST', 'rotate_secret/'], ['GET', 'deliveries/']]) {
    const gone = await api.request(method!, `/api/v1/webhooks/${created.pk}/${path}`, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
    assert.equal([gone.status, gone.body], [404, { detail: 'Not found.' }], `${method} ${path}`);
  }
  assert.equal((await api.request('GET', '/api/v1/webhooks/abc/')).status, 404);
});

test('no more than WEBHOOK_MAX_SUBSCRIPTIONS may exist', async ({ api }) => {
  for (let i = 0; i < 5; i++) assert.is((await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET } })).status, 201);
  const refused = await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET } });
  assert.equal([refused.status, refused.body], [400, { non_field_errors: ['No more than 5 webhooks may exist.'] }]);
});

test('ping to a target that cannot be reached answers the failed attempt', async ({ api }) => {
  const created = (await api.request('POST', '/api/v1/webhooks/', { body: { url: TARGET } })).body;
  const ping = await api.request('POST', `/api/v1/webhooks/${created.pk}/ping/`);
  assert.is(ping.status, 200);
  assert.equal([ping.body.status_code, ping.body.error], [null, 'The host name could not be resolved.']);
});

test.run();
