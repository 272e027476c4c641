import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../src/logging/logger.ts';
import { login, postRpc } from '../support/rpcClient.ts';
import { startTestService, waitUntil, type TestService } from '../support/testService.ts';

type Line = Record<string, unknown>;

const test = suite<{ api: TestService; lines: Line[] }>('the access log');
test.before(async (context) => {
  context.lines = [];
  const logger = createLogger({ write: (line) => context.lines.push(JSON.parse(line) as Line) });
  context.api = await startTestService({ logger });
});
test.after(async ({ api }) => api.stop());

/** The access line of the request answered with this `X-Request-ID`. */
async function accessLine(lines: Line[], requestId: string | null): Promise<Line> {
  await waitUntil(() => lines.some((line) => line.msg === 'request' && line.requestId === requestId), 2000);
  return lines.find((line) => line.msg === 'request' && line.requestId === requestId)!;
}

const pick = (line: Line, names: string[]) => Object.fromEntries(names.map((name) => [name, line[name]]));

test("a REST line carries the query string and the client's X-Correlation-ID", async ({ api, lines }) => {
  const response = await api.request('GET', '/api/v1/products/?sku=NOPE&limit=5', { headers: { 'x-correlation-id': 'ticket-4711' } });
  assert.is(response.status, 200);
  const line = await accessLine(lines, response.headers.get('x-request-id'));
  assert.equal(pick(line, ['method', 'path', 'query', 'status', 'actor', 'correlationId', 'rpcMethods']), {
    method: 'GET', path: '/api/v1/products/', query: 'sku=NOPE&limit=5', status: 200, actor: 'erp', correlationId: 'ticket-4711', rpcMethods: undefined,
  });
  const plain = await api.request('GET', '/api/v1/products/');
  const plainLine = await accessLine(lines, plain.headers.get('x-request-id'));
  assert.equal([plainLine.query, plainLine.correlationId], [undefined, undefined], 'no query; no correlation id of the client (it is the request id)');
});

test('a JSON-RPC line names the method called (call: the resource method) and the fault code', async ({ api, lines }) => {
  const session = await login(api);
  const failing = await api.request('POST', '/api/jsonrpc', {
    auth: null,
    body: { jsonrpc: '2.0', id: 3, method: 'call', params: [session, 'product_media.list', ['NO-SUCH-SKU']] },
    headers: { 'x-request-id': 'rpc-list-1' },
  });
  assert.is(failing.body.error.code, -32101);
  assert.equal(pick(await accessLine(lines, 'rpc-list-1'), ['path', 'status', 'rpcMethods', 'rpcFaults']), {
    path: '/api/jsonrpc', status: 200, rpcMethods: ['product_media.list'], rpcFaults: [-32101],
  });
  const fine = await api.request('POST', '/api/jsonrpc', { auth: null, body: { jsonrpc: '2.0', id: 4, method: 'product_media.types', params: [session, 'NO-SUCH-SKU'] }, headers: { 'x-request-id': 'rpc-short-1' } });
  assert.is(fine.status, 200);
  const fineLine = await accessLine(lines, 'rpc-short-1');
  assert.equal(fineLine.rpcMethods, ['product_media.types']);
});

test('a batch line lists every call, with a fault per call (null for a success)', async ({ api, lines }) => {
  const session = await login(api);
  const batch = [
    { jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', 'erp-key-0123456789abcdef'] },
    { jsonrpc: '2.0', id: 2, method: 'call', params: [session, 'product_media.info', ['NO-SUCH-SKU', '/x.png']] },
    { jsonrpc: '2.0', method: 'nope.method', params: [] },
  ];
  const response = await api.request('POST', '/api/jsonrpc', { auth: null, body: batch, headers: { 'x-request-id': 'rpc-batch-1' } });
  assert.is(response.status, 200);
  assert.equal(pick(await accessLine(lines, 'rpc-batch-1'), ['rpcMethods', 'rpcFaults']), {
    rpcMethods: ['login', 'product_media.info', 'nope.method'],
    rpcFaults: [null, -32101, -32601],
  });
});

test('a body answered before any call is read logs its fault without a method', async ({ api, lines }) => {
  const response = await postRpc(api, '{"jsonrpc": "2.0", "id": 1, "method": ', { raw: true, headers: { 'x-request-id': 'rpc-parse-1' } });
  assert.is(response.body.error.code, -32700);
  assert.equal(pick(await accessLine(lines, 'rpc-parse-1'), ['rpcMethods', 'rpcFaults']), { rpcMethods: undefined, rpcFaults: [-32700] });
});

test('method names from the client are cut short in the line', async ({ api, lines }) => {
  const long = `x${'y'.repeat(500)}`;
  await api.request('POST', '/api/jsonrpc', { auth: null, body: { jsonrpc: '2.0', id: 1, method: long, params: [] }, headers: { 'x-request-id': 'rpc-long-1' } });
  const line = await accessLine(lines, 'rpc-long-1');
  assert.equal(line.rpcMethods, [`x${'y'.repeat(99)}…`]);
});

test.run();
