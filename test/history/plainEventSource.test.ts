import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { uploadImage } from './historySupport.ts';
import { registerProduct } from '../support/rpcClient.ts';

/**
 * A browser's EventSource sends no Authorization header: it reaches the feed through something
 * that adds credentials (here a proxy in front of the service, as a backend-for-frontend would).
 */
function credentialProxy(target: string): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers: { ...incoming.headers, authorization: TOKEN } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Node 20's own EventSource (undici's, behind a flag), in a child: `onmessage` only, as a plain client uses it. */
const PLAIN_CLIENT = `
const [url, wanted] = process.argv.slice(1);
const source = new EventSource(url);
const received = [];
source.onmessage = (message) => {
  received.push({ id: message.lastEventId, type: message.type, data: JSON.parse(message.data) });
  if (received.length === Number(wanted)) { source.close(); console.log(JSON.stringify(received)); process.exit(0); }
};
source.onerror = () => { console.log(JSON.stringify({ error: source.readyState })); process.exit(1); };
setTimeout(() => { console.log(JSON.stringify({ timeout: received.length })); process.exit(1); }, 15000);
`;

function runPlainClient(url: string, wanted: number): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--experimental-eventsource', '--no-warnings', '-e', PLAIN_CLIENT, url, String(wanted)], { timeout: 20_000 }, (error, stdout) =>
      error && stdout === '' ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)),
    );
  });
}

const test = suite<{ api: TestService; proxy: Server }>('the event stream with a plain EventSource');
test.before(async (context) => {
  context.api = await startTestService();
  context.proxy = await credentialProxy(context.api.service.url);
});
test.after(async ({ api, proxy }) => {
  await new Promise((resolve) => proxy.close(resolve));
  proxy.closeAllConnections();
  await api.stop();
});

test('onmessage receives every event: frames are unnamed, the type is in data', async ({ api, proxy }) => {
  const sku = `SSE-${Math.random().toString(36).slice(2, 8)}`;
  const productPk = await registerProduct(api, sku);
  const first = await uploadImage(api, productPk, { order: 0 });
  await uploadImage(api, productPk, { order: 1 });
  assert.is((await api.request('PATCH', `/api/v1/product_image/${first.pk}/`, { body: { order: 5 } })).status, 200);
  const { port } = proxy.address() as AddressInfo;
  const received = await runPlainClient(`http://127.0.0.1:${port}/api/v1/media_events/stream?sku=${sku}`, 3);
  assert.ok(Array.isArray(received), JSON.stringify(received));
  assert.equal(
    received.map((message: any) => [message.type, message.data.type, message.data.sku, message.id === message.data.position]),
    [
      ['message', 'ImageUploaded', sku, true],
      ['message', 'ImageUploaded', sku, true],
      ['message', 'ImageReordered', sku, true],
    ],
  );
});

test.run();
