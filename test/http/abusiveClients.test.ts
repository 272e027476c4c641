import { connect, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makePhotoJpeg } from '../support/imageFixtures.ts';
import { login, postRpc } from '../support/rpcClient.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
}

const test = suite<Context>('bounded cost for anonymous and abusive clients');
test.before.each(async (context) => {
  context.api = await startTestService({
    env: { BODY_IDLE_TIMEOUT_MS: '500', ANONYMOUS_BODY_BUDGET_BYTES: String(160 * 1024), MAX_CONNECTIONS_PER_ADDRESS: '40' },
  });
});
test.after.each(async ({ api }) => api.stop());

const BASIC = `Basic ${Buffer.from('erp:erp-key-0123456789abcdef').toString('base64')}`;

/** Opens a raw connection and sends `head`, then `body` bytes; answers what the server wrote once it closes or `waitMs` passed. */
function rawRequest(api: TestService, head: string, body: Buffer, waitMs: number): Promise<{ answer: string; socket: Socket; closed: boolean }> {
  const { port } = new URL(api.service.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head);
      socket.write(body);
    });
    let answer = '';
    let closed = false;
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ answer, socket, closed });
    });
    setTimeout(() => resolve({ answer, socket, closed }), waitMs);
  });
}

test('60 wrong REST logins are throttled with DRF\'s 429, while the real token keeps working', async ({ api }) => {
  const statuses: number[] = [];
  let throttled;
  for (let attempt = 0; attempt < 60; attempt++) {
    const response = await api.request('POST', '/api/v1/auth/login/', { body: { username: 'erp', password: `guess-${attempt}` }, auth: null });
    statuses.push(response.status);
    if (response.status === 429) throttled = response;
  }
  assert.equal(statuses.slice(0, 7), [400, 400, 400, 400, 400, 400, 429], 'five free failures, then a wait');
  // Each block that runs out lets one more guess through, and doubles the next wait.
  const checked = statuses.filter((status) => status === 400).length;
  assert.ok(checked <= 12, `${checked} of 60 guesses were checked: ${statuses.join(',')}`);
  assert.match(throttled!.body.detail, /^Request was throttled\. Expected available in \d+ seconds?\.$/);
  assert.match(throttled!.headers.get('retry-after') ?? '', /^\d+$/);
  assert.is((await api.request('GET', '/api/v1/products/')).status, 200, 'the real token works');
  const right = await api.request('POST', '/api/v1/auth/login/', { body: { username: 'erp', password: 'erp-key-0123456789abcdef' }, auth: null });
  assert.is(right.status, 429, 'even the right key waits: the name is blocked');
});

test('JSON-RPC batches are capped, and so are the logins in one', async ({ api }) => {
  const wrong = (id: number) => ({ jsonrpc: '2.0', id, method: 'login', params: ['erp', `guess-${id}`] });
  const oversized = await postRpc(api, [...Array.from({ length: 300 }, (_, id) => wrong(id)), { jsonrpc: '2.0', id: 300, method: 'login', params: ['erp', 'erp-key-0123456789abcdef'] }]);
  assert.equal(oversized.body, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: a batch holds at most 100 calls.' }, result: null });
  const batch = await postRpc(api, Array.from({ length: 5 }, (_, id) => wrong(id)));
  assert.equal(batch.body.map((answer: { error: { code: number; message: string } }) => answer.error.message), [
    'Access denied.', 'Access denied.', 'Access denied.', 'Access denied. A batch holds at most 3 logins.', 'Access denied. A batch holds at most 3 logins.',
  ]);
  await postRpc(api, [wrong(10), wrong(11), wrong(12)]);
  const right = await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', 'erp-key-0123456789abcdef'] });
  assert.is(right.body.error.code, -32002);
  assert.match(right.body.error.message, /^Access denied\. Request was throttled\. Expected available in \d+ seconds?\.$/);
});

test('a large JSON-RPC body is read only for a caller that is known: a live session or Basic credentials', async ({ api }) => {
  const photo = (await makePhotoJpeg({ width: 800, height: 600 })).toString('base64');
  assert.ok(photo.length > 64 * 1024, 'larger than what is read before the caller is known');
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: 'BIG-BODY' } });
  assert.is(product.status, 201);
  const create = (session: string | null) => ({ jsonrpc: '2.0', id: 1, method: 'call', params: [session, 'product_media.create', ['BIG-BODY', { file: { content: photo, mime: 'image/jpeg' } }]] });
  const session = await login(api);
  assert.equal((await postRpc(api, create(session))).body.result, ['/i/m/image.jpg']);
  assert.equal((await postRpc(api, create(null), { headers: { authorization: BASIC } })).body.result, ['/i/m/image_1.jpg']);
  const anonymous = await postRpc(api, create('0'.repeat(32)));
  assert.equal(anonymous.body.error, { code: -32005, message: 'Session expired. Try to relogin.' });
  const list = await postRpc(api, { jsonrpc: '2.0', id: 2, method: 'call', params: [session, 'product_media.list', ['BIG-BODY']] });
  assert.is(list.body.result.length, 2, 'nothing more was created');
});

test('an anonymous body larger than what is read first is answered at once and not read on', async ({ api }) => {
  const head = `POST /api/jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${30 * 1024 * 1024}\r\n\r\n`;
  const started = performance.now();
  const { answer, closed } = await rawRequest(api, head, Buffer.alloc(256 * 1024, 0x20), 3000);
  assert.ok(closed, 'the connection is closed');
  assert.match(answer, /^HTTP\/1\.1 200 OK/);
  assert.match(answer, /"code":-32005/);
  assert.ok(performance.now() - started < 2500);
});

test('unknown callers share a budget of body bytes: beyond it, 503 with Retry-After', async ({ api }) => {
  const head = `POST /api/jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  // Bodies of unknown length reserve 64 KiB each: two stalled ones hold 128 of the 160 KiB.
  const stalled = [rawRequest(api, head, Buffer.from('4\r\n[{"a\r\n'), 2000), rawRequest(api, head, Buffer.from('4\r\n[{"a\r\n'), 2000)];
  await new Promise((resolve) => setTimeout(resolve, 100));
  const third = await rawRequest(api, head, Buffer.from('4\r\n[{"a\r\n'), 2000);
  assert.match(third.answer, /^HTTP\/1\.1 503 /, JSON.stringify(third.answer));
  assert.match(third.answer, /Retry-After: 1/i);
  assert.match(third.answer, /"code":-32000/);
  const small = await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', 'erp-key-0123456789abcdef'] });
  assert.is(typeof small.body.result, 'string', 'a small body of known length still fits');
  await Promise.all(stalled);
});

test('a body that stalls is cut after BODY_IDLE_TIMEOUT_MS with a JSON 408', async ({ api }) => {
  const head = `POST /api/v1/products/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
  const started = performance.now();
  const { answer, closed } = await rawRequest(api, head, Buffer.from('{"sku":"ST'), 5000);
  const elapsed = performance.now() - started;
  assert.ok(closed);
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.ok(answer.endsWith('{"detail":"The request body sent nothing for 500 ms."}'));
  assert.ok(elapsed >= 450 && elapsed < 2500, `${elapsed} ms`);
});

test('connections from one address are capped', async ({ api }) => {
  const { port } = new URL(api.service.url);
  const sockets = await Promise.all(
    Array.from({ length: 45 }, () => new Promise<Socket>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
      socket.on('error', () => undefined);
    })),
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  const open = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open');
  assert.is(open.length, 40);
  for (const socket of sockets) socket.destroy();
});

test('deeply nested JSON is a 400 on REST (Idempotency-Key or not) and an error on JSON-RPC, never a 500', async ({ api }) => {
  const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  for (const headers of [{}, { 'idempotency-key': 'deep-1' }] as Record<string, string>[]) {
    const rest = await api.request('POST', '/api/v1/products/', { rawBody: `{"sku": ${nested}}`, headers: { 'content-type': 'application/json', ...headers } });
    assert.equal([rest.status, rest.body], [400, { detail: 'JSON parse error - maximum recursion depth exceeded while decoding a JSON value' }]);
  }
  const session = await login(api);
  const rpc = await postRpc(api, `{"jsonrpc":"2.0","id":1,"method":"call","params":["${session}","product_media.create",["X",${nested}]]}`, { raw: true });
  assert.is(rpc.status, 200);
  assert.ok(rpc.body.error.code > -32700 && rpc.body.error.code !== -32603 && rpc.body.error.code !== -32001, JSON.stringify(rpc.body.error));
});

test('a JSON-RPC label longer than 255 characters is fault 102, and nothing is stored', async ({ api }) => {
  await api.request('POST', '/api/v1/products/', { body: { sku: 'LONG-LABEL' } });
  const photo = (await makePhotoJpeg({ width: 64, height: 48 })).toString('base64');
  const session = await login(api);
  const mark = await api.mark();
  const create = await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'call', params: [session, 'product_media.create', ['LONG-LABEL', { file: { content: photo, mime: 'image/jpeg' }, label: 'x'.repeat(10_000_000) }]] });
  assert.equal(create.body.error, { code: -32102, message: 'label: Ensure this field has no more than 255 characters.' });
  assert.equal((await api.eventsSince(mark)).map((event) => event.type), []);
  const ok = await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'call', params: [session, 'product_media.create', ['LONG-LABEL', { file: { content: photo, mime: 'image/jpeg' }, label: 'y'.repeat(255) }]] });
  assert.equal(ok.body.result, ['/i/m/image.jpg']);
});

test.run();
