import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fixedStepClock } from '../../src/app/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { comparePositions } from '../../src/ports/eventStore.ts';
import { otlpTracing } from '../../src/observability/otelTracing.ts';
import { startService, type RunningService } from '../../src/service.ts';
import { eventLogReader, requester, TEST_USERS, TOKEN, waitUntil, type TestService } from '../support/testService.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

interface Traced {
  service: RunningService;
  request: TestService['request'];
  events: ReturnType<typeof eventLogReader>;
  exporter: InMemorySpanExporter | undefined;
  lines: string[];
  dataDir: string;
}

async function start(tracing: boolean): Promise<Traced> {
  const dataDir = await mkdtemp(join(tmpdir(), 'media-catalog-tracing-'));
  const config = loadConfig({ PORT: '1', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://omnitron.example.com' });
  const exporter = tracing ? new InMemorySpanExporter() : undefined;
  const lines: string[] = [];
  const service = await startService({
    config: { ...config, port: 0, host: '127.0.0.1' },
    users: TEST_USERS,
    logger: createLogger({ level: 'info', write: (line) => lines.push(line) }),
    clock: fixedStepClock(),
    ...(exporter ? { tracing: otlpTracing({ exporter, serviceName: 'catalog-test' }) } : {}),
  });
  await waitUntil(() => service.projections.isReady());
  return { service, request: requester(service.url), events: eventLogReader(service.eventStore), exporter, lines, dataDir };
}

async function stop(traced: Traced) {
  await traced.service.close();
  await rm(traced.dataDir, { recursive: true, force: true });
}

const accessLines = (lines: string[]) => lines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"msg":"request"')).map((line) => JSON.parse(line));

const test = suite<{ traced: Traced }>('OpenTelemetry traces');
test.before(async (context) => {
  context.traced = await start(true);
});
test.after(async ({ traced }) => stop(traced));
test.before.each(({ traced }) => traced.exporter!.reset());

test('a request continues its traceparent; command, append and read spans are its children', async ({ traced }) => {
  const mark = await traced.events.mark();
  const created = await traced.request('POST', '/api/v1/products/', { body: { sku: 'TRACED-1' }, headers: { traceparent: TRACEPARENT } });
  assert.is(created.status, 201);
  await waitUntil(() => traced.exporter!.getFinishedSpans().some((span) => span.name === 'POST /api/v1/products'));
  const spans = traced.exporter!.getFinishedSpans();
  const server = spans.find((span) => span.name === 'POST /api/v1/products')!;
  assert.is(server.spanContext().traceId, TRACE_ID);
  assert.is(server.parentSpanContext?.spanId, PARENT_SPAN_ID);
  assert.is(server.attributes['http.route'], '/api/v1/products');
  assert.is(server.attributes['http.response.status_code'], 201);
  assert.is(server.resource.attributes['service.name'], 'catalog-test');
  for (const name of ['command ClaimSku', 'command RegisterProduct']) {
    const command = spans.find((span) => span.name === name);
    assert.ok(command && descendsFrom(command, server, spans), `${name} in ${spans.map((span) => span.name).join(', ')}`);
  }
  const appends = spans.filter((span) => span.name === 'eventstore.append' && span.spanContext().traceId === TRACE_ID);
  assert.ok(appends.length >= 1);
  assert.ok(appends.every((span) => descendsFrom(span, server, spans)));
  // The events name the trace of the request that caused them.
  const events = await traced.events.eventsSince(mark);
  assert.ok(events.length >= 1);
  assert.ok(events.every((event) => (event.metadata as { traceId?: string }).traceId === TRACE_ID));
  // So does the access log line.
  const line = accessLines(traced.lines).find((entry) => entry.method === 'POST' && entry.path === '/api/v1/products/');
  assert.is(line?.traceId, TRACE_ID);
});

test('an upload has spans for sharp and the object store; a request without traceparent starts a trace', async ({ traced }) => {
  const product = await traced.request('POST', '/api/v1/products/', { body: { sku: 'TRACED-2' } });
  const data = new FormData();
  data.append('product', String(product.body.pk));
  data.append('image', new Blob([await sharp({ create: { width: 30, height: 20, channels: 3, background: '#f80' } }).png().toBuffer()], { type: 'image/png' }), 'a.png');
  const response = await fetch(`${traced.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  assert.is(response.status, 201);
  await waitUntil(() => traced.exporter!.getFinishedSpans().some((span) => span.name === 'POST /api/v1/product_image'));
  const spans = traced.exporter!.getFinishedSpans();
  const server = spans.find((span) => span.name === 'POST /api/v1/product_image')!;
  assert.is(server.parentSpanContext, undefined);
  assert.match(server.spanContext().traceId, /^[0-9a-f]{32}$/);
  const image = spans.find((span) => span.name === 'image.upload')!;
  assert.ok(image && descendsFrom(image, server, spans));
  const put = spans.find((span) => span.name === 'objectstore.put')!;
  assert.ok(put && descendsFrom(put, server, spans));
  assert.ok(spans.some((span) => span.name === 'eventstore.append' && descendsFrom(span, server, spans)));
});

test('a JSON-RPC call has its span, failed with the fault', async ({ traced }) => {
  const response = await traced.request('POST', '/api/jsonrpc', { auth: null, body: { jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', 'wrong-key-0123456789'] } });
  assert.is(response.body.error.code, -32002);
  await waitUntil(() => traced.exporter!.getFinishedSpans().some((span) => span.name === 'POST /api/jsonrpc'));
  const spans = traced.exporter!.getFinishedSpans();
  const call = spans.find((span) => span.name === 'rpc login')!;
  assert.is(call.attributes['rpc.method'], 'login');
  assert.is(call.status.code, 2); // ERROR
  assert.ok(descendsFrom(call, spans.find((span) => span.name === 'POST /api/jsonrpc')!, spans));
});

test.run();

const off = suite('without tracing');

off('an incoming traceparent still names the trace in event metadata and the access log; none, no traceId', async () => {
  const traced = await start(false);
  try {
    const mark = await traced.events.mark();
    await traced.request('POST', '/api/v1/products/', { body: { sku: 'UNTRACED-1' }, headers: { traceparent: TRACEPARENT } });
    const middle = await traced.events.mark();
    await traced.request('POST', '/api/v1/products/', { body: { sku: 'UNTRACED-2' }, headers: { traceparent: `00-${'0'.repeat(32)}-${PARENT_SPAN_ID}-01` } });
    const first = (await traced.events.eventsSince(mark)).filter((event) => comparePositions(event.position, middle) <= 0);
    const second = await traced.events.eventsSince(middle);
    assert.ok(first.length >= 1 && second.length >= 1);
    assert.ok(first.every((event) => (event.metadata as { traceId?: string }).traceId === TRACE_ID));
    assert.ok(second.every((event) => !('traceId' in (event.metadata as object))));
    const lines = accessLines(traced.lines).filter((entry) => entry.path === '/api/v1/products/');
    assert.equal(lines.map((entry) => entry.traceId), [TRACE_ID, undefined]);
  } finally {
    await stop(traced);
  }
});

off.run();

/** Whether `span` is `ancestor` or below it in `spans`. */
function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, spans: ReadableSpan[]): boolean {
  let current: ReadableSpan | undefined = span;
  while (current !== undefined) {
    if (current.spanContext().spanId === ancestor.spanContext().spanId) return true;
    const parentId: string | undefined = current.parentSpanContext?.spanId;
    current = parentId === undefined ? undefined : spans.find((candidate) => candidate.spanContext().spanId === parentId);
  }
  return false;
}
