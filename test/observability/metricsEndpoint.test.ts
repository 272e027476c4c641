import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

/** The value of one series in a text exposition (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(api: TestService): Promise<string> {
  const response = await api.request('GET', '/metrics', { auth: null });
  assert.is(response.status, 200);
  return response.text;
}

async function upload(api: TestService, productPk: number, image: Buffer) {
  const data = new FormData();
  data.append('product', String(productPk));
  data.append('image', new Blob([image], { type: 'image/jpeg' }), 'image.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  assert.is(response.status, 201);
}

const test = suite<{ api: TestService }>('GET /metrics');
test.before.each(async (context) => {
  context.api = await startTestService();
});
test.after.each(async ({ api }) => api.stop());

test('answers the Prometheus text format without credentials, with the process metrics', async ({ api }) => {
  const response = await api.request('GET', '/metrics', { auth: null });
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(response.text, /^# HELP http_request_duration_seconds /m);
  assert.match(response.text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.ok((sample(response.text, 'process_resident_memory_bytes') ?? 0) > 0);
  assert.ok(sample(response.text, 'nodejs_eventloop_lag_p99_seconds') !== undefined);
});

test('counts requests by method, route template and status', async ({ api }) => {
  const before = await scrape(api);
  assert.is(sample(before, 'http_request_duration_seconds_count{method="GET",route="/health",status="200"}'), undefined);
  await api.request('GET', '/health');
  await api.request('GET', '/health');
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: 'METRICS-1' } });
  await api.request('GET', `/api/v1/products/${product.body.pk}/`);
  await api.request('GET', '/api/v1/products/999999/');
  await api.request('GET', '/api/v1/products/', { auth: 'Token wrong-key-0123456789' });
  await api.request('GET', '/no/such/path');
  const after = await scrape(api);
  assert.is(sample(after, 'http_request_duration_seconds_count{method="GET",route="/health",status="200"}'), 2);
  assert.is(sample(after, 'http_request_duration_seconds_count{method="POST",route="/api/v1/products",status="201"}'), 1);
  assert.is(sample(after, 'http_request_duration_seconds_count{method="GET",route="/api/v1/products/:pk",status="200"}'), 1);
  assert.is(sample(after, 'http_request_duration_seconds_count{method="GET",route="/api/v1/products/:pk",status="404"}'), 1);
  // Refused before routing, or not routed: one label, never the raw path.
  assert.is(sample(after, 'http_request_duration_seconds_count{method="GET",route="unmatched",status="401"}'), 1);
  assert.is(sample(after, 'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}'), 1);
  assert.not.match(after, /no\/such\/path/);
  assert.ok(sample(after, 'http_request_duration_seconds_bucket{le="10",method="GET",route="/health",status="200"}') === 2);
});

test('counts JSON-RPC calls and faults by method and code', async ({ api }) => {
  const rpc = (body: unknown) => api.request('POST', '/api/jsonrpc', { body, auth: null });
  await rpc({ jsonrpc: '2.0', id: 1, method: 'product_media.nonsense', params: [] });
  await rpc({ jsonrpc: '2.0', id: 2, method: 'login', params: ['erp', 'wrong-key-0123456789'] });
  await rpc({ jsonrpc: '2.0', id: 3, method: 'call', params: ['0'.repeat(32), 'product_media.items', ['SKU']] });
  const text = await scrape(api);
  assert.is(sample(text, 'jsonrpc_calls_total{method="unknown"}'), 1);
  assert.is(sample(text, 'jsonrpc_faults_total{method="unknown",code="-32601"}'), 1);
  assert.is(sample(text, 'jsonrpc_calls_total{method="login"}'), 1);
  assert.is(sample(text, 'jsonrpc_faults_total{method="login",code="-32002"}'), 1);
  // `call` is labelled with the method it names, aliases resolved (items is list).
  assert.is(sample(text, 'jsonrpc_calls_total{method="product_media.list"}'), 1);
  assert.is(sample(text, 'jsonrpc_faults_total{method="product_media.list",code="-32005"}'), 1);
  assert.is(sample(text, 'http_request_duration_seconds_count{method="POST",route="/api/jsonrpc",status="200"}'), 3);
});

test('measures appends, image jobs, object-store calls, projection lag and feed consumers', async ({ api }) => {
  const before = await scrape(api);
  const appendsBefore = sample(before, 'eventstore_append_duration_seconds_count{outcome="ok"}') ?? 0;
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: 'METRICS-2' } });
  await upload(api, product.body.pk, await sharp({ create: { width: 40, height: 30, channels: 3, background: '#08f' } }).jpeg().toBuffer());
  const feed = new AbortController();
  const stream = await fetch(`${api.service.url}/api/v1/media_events/stream`, { headers: { authorization: TOKEN, accept: 'text/event-stream' }, signal: feed.signal });
  assert.is(stream.status, 200);
  const text = await scrape(api);
  feed.abort();
  assert.ok(sample(text, 'eventstore_append_duration_seconds_count{outcome="ok"}')! >= appendsBefore + 2);
  assert.is(sample(text, 'eventstore_append_conflicts_total'), 0);
  assert.is(sample(text, 'image_jobs_started_total{kind="upload"}'), 1);
  assert.is(sample(text, 'image_job_duration_seconds_count{kind="upload",outcome="ok"}'), 1);
  assert.is(sample(text, 'image_jobs_running'), 0);
  assert.is(sample(text, 'image_jobs_queued'), 0);
  assert.ok(sample(text, 'object_store_operation_duration_seconds_count{operation="put",outcome="ok"}')! >= 1);
  // The upload waited for its read models (read-your-writes): nothing is behind.
  assert.is(sample(text, 'projection_lag_events{projection="gallery"}'), 0);
  assert.is(sample(text, 'projection_lag_seconds{projection="gallery"}'), 0);
  assert.is(sample(text, 'projection_state{projection="gallery",state="live"}'), 1);
  assert.is(sample(text, 'projection_state{projection="gallery",state="failed"}'), 0);
  assert.is(sample(text, 'sse_consumers'), 1);
});

test.run();

const off = suite('METRICS=off and METRICS_TOKEN');

off('METRICS=off removes /metrics', async () => {
  const api = await startTestService({ env: { METRICS: 'off' } });
  try {
    const response = await api.request('GET', '/metrics', { auth: null });
    assert.is(response.status, 404);
    assert.equal(response.body, { detail: 'Not found.' });
  } finally {
    await api.stop();
  }
});

off('METRICS_TOKEN answers only the bearer of the token', async () => {
  const api = await startTestService({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
  try {
    const none = await api.request('GET', '/metrics', { auth: null });
    assert.is(none.status, 401);
    assert.is(none.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.equal(none.body, { detail: 'Authentication credentials were not provided.' });
    const wrong = await api.request('GET', '/metrics', { auth: 'Bearer scrape-token-0123456780' });
    assert.is(wrong.status, 401);
    assert.equal(wrong.body, { detail: 'Invalid token.' });
    const right = await api.request('GET', '/metrics', { auth: 'Bearer scrape-token-0123456789' });
    assert.is(right.status, 200);
    assert.match(right.text, /^# TYPE http_request_duration_seconds histogram$/m);
  } finally {
    await api.stop();
  }
});

off.run();
