import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('what the HTTP parser refuses is answered in JSON');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

/** Sends raw bytes and answers everything the server wrote before it closed the connection. */
function raw(api: TestService, bytes: string): Promise<string> {
  const { port } = new URL(api.service.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

test('a request line or headers over the limit is a 431 with a JSON body', async ({ api }) => {
  const answer = await raw(api, `GET /media/products/x.jpg?w=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.match(answer, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  assert.match(answer, /Content-Type: application\/json/);
  assert.ok(answer.endsWith('{"detail":"Request Header Fields Too Large."}'));
});

test('malformed HTTP is a 400 with a JSON body, and the service keeps answering', async ({ api }) => {
  const answer = await raw(api, 'NOT HTTP AT ALL\r\n\r\n');
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.ok(answer.endsWith('{"detail":"Bad Request."}'));
  assert.is((await fetch(`${api.service.url}/health`)).status, 200);
});

test.run();
