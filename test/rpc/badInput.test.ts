import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFixture } from '../support/imageFixtures.ts';
import { call, callOk, imageBase64, imageData, login, postRpc, registerProduct } from '../support/rpcClient.ts';
import { startTestService, type TestService } from '../support/testService.ts';
import type { Position } from '../../src/ports/eventStore.ts';

interface Context {
  api: TestService;
  session: string;
  jpeg: string;
  mark: Position | undefined;
  objects: number;
}

// Small enough that the body limit is quick to cross: ~71 KiB of body.
const MAX_IMAGE_BYTES = 4096;
const SKU = 'BAD-1';

const test = suite<Context>('JSON-RPC bad-input corpus');
test.before(async (context) => {
  context.api = await startTestService({ env: { MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) } });
  await registerProduct(context.api, SKU);
  await registerProduct(context.api, 'NO-MEDIA', false);
  context.session = await login(context.api);
  context.jpeg = await imageBase64('jpeg');
  await callOk(context.api, context.session, 'product_media.create', [SKU, imageData(context.jpeg, 'image/jpeg', { types: ['image'] })]);
});
test.before.each(async (context) => {
  context.mark = await context.api.mark();
  context.objects = await countObjects(context.api);
});
test.after.each(async (context) => {
  assert.equal(await context.api.eventsSince(context.mark), [], 'no events');
  assert.is(await countObjects(context.api), context.objects, 'no new binaries');
  const [image, ...others] = await callOk(context.api, context.session, 'product_media.list', [SKU]);
  assert.equal([image.file, image.types, others.length], ['/i/m/image.jpg', ['image'], 0], 'the gallery is as it was');
});
test.after(async ({ api }) => api.stop());

async function countObjects(api: TestService): Promise<number> {
  let count = 0;
  for await (const object of api.service.objectStore.list('')) if (object) count++;
  return count;
}

const error = (code: number, message?: string) => (message === undefined ? { code } : { code, message });

function assertError(body: any, expected: { code: number; message?: string }, label: string) {
  assert.ok(body && typeof body.error === 'object' && body.error !== null, `${label}: ${JSON.stringify(body)}`);
  assert.is(body.error.code, expected.code, label);
  if (expected.message !== undefined) assert.is(body.error.message, expected.message, label);
  assert.is(body.result, null, label);
}

test('bodies that are not a JSON-RPC request', async ({ api }) => {
  const cases: [string, number][] = [
    ['{"jsonrpc":2.0,"id":1,"method":"log', -32700],
    ['', -32700],
    ['not json at all', -32700],
    ['42', -32600],
    ['"call"', -32600],
    ['null', -32600],
    ['true', -32600],
    ['[]', -32600],
    ['{}', -32600],
    ['{"jsonrpc":"3.0","id":1,"method":"login","params":[]}', -32600],
    ['{"jsonrpc":2.1,"id":1,"method":"login","params":[]}', -32600],
    ['{"jsonrpc":"2.0","id":1,"method":7}', -32600],
    ['{"jsonrpc":"2.0","id":1,"method":"call","params":"session"}', -32600],
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"call","params":[]}', -32600],
    ['{"jsonrpc":"2.0","id":1,"method":"product_media.explode","params":[]}', -32601],
    ['{"jsonrpc":"2.0","id":1,"method":"shutdown","params":[]}', -32601],
  ];
  for (const [body, code] of cases) {
    const response = await postRpc(api, body, { raw: true });
    assert.is(response.status, 200, body);
    assertError(response.body, error(code), body);
  }
  const invalid = await postRpc(api, '{"jsonrpc":"2.0","id":"abc","method":7}', { raw: true });
  assert.is(invalid.body.id, 'abc', 'the id is echoed when readable');
});

test('a body that is not UTF-8 is a parse error, never text altered by replacement characters', async ({ api, session }) => {
  const request = (label: Buffer) =>
    Buffer.concat([Buffer.from(`{"jsonrpc":2.0,"id":1,"method":"call","params":["${session}","product_media.update",["${SKU}","/i/m/image.jpg",{"label":"caf`), label, Buffer.from('"}]]}')]);
  for (const bytes of [[0xe9], [0xc3], [0xed, 0xa0, 0x80], [0xff, 0xfe]]) {
    const response = await postRpc(api, request(Buffer.from(bytes)), { raw: true });
    assert.is(response.status, 200);
    assertError(response.body, error(-32700, 'Parse error'), JSON.stringify(bytes));
  }
});

test('a batch mixing good and bad calls answers each in order; notifications get nothing', async ({ api, session }) => {
  const response = await postRpc(api, [
    { jsonrpc: 2.0, id: 1, method: 'call', params: [session, 'product_media.list', [SKU]] },
    { jsonrpc: 2.0, method: 'call', params: [session, 'product_media.remove', [SKU, '/n/o/nothing.jpg']] },
    { jsonrpc: '2.0', id: 'b', method: 'call', params: [session, 'product_media.list', ['NO-SUCH-SKU']] },
    5,
    { jsonrpc: 2.0, id: 3, method: 'nope' },
    { jsonrpc: 2.0, id: 4, method: 'call', params: [session, 'catalog_product.list', []] },
    { jsonrpc: 2.0, id: 5, method: 'login', params: ['erp', 'wrong-key-0123456789'] },
    { jsonrpc: 2.0, id: 6, method: 'call', params: [session, 'product_media.create', [SKU, imageData('aGVsbG8gd29ybGQ=')]] },
  ]);
  assert.is(response.status, 200);
  const answers = response.body as any[];
  assert.equal(answers.map((answer) => answer.id), [1, 'b', null, 3, 4, 5, 6]);
  assert.is(answers[0].result.length, 1);
  assert.ok(response.text.startsWith('[{"jsonrpc":2.0,"id":1,"error":null,'), 'each answer echoes its jsonrpc form');
  assert.equal(answers.slice(1).map((answer) => answer.error.code), [-32101, -32600, -32601, -32003, -32002, -32104]);
  assert.ok(response.text.includes('{"jsonrpc":"2.0","id":"b"'));

  const notificationsOnly = await postRpc(api, [
    { jsonrpc: 2.0, method: 'call', params: [session, 'product_media.list', [SKU]] },
    { jsonrpc: 2.0, method: 'nope' },
  ]);
  assert.equal([notificationsOnly.status, notificationsOnly.text], [204, '']);
});

test('authentication faults', async ({ api, session }) => {
  const basic = (user: string, key: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}` });
  assertError(await call(api, null, 'product_media.list', [SKU]), error(-32005, 'Session expired. Try to relogin.'), 'null session, no Basic');
  assertError(await call(api, 'f'.repeat(32), 'product_media.list', [SKU]), error(-32005), 'unknown session');
  assertError(await call(api, 'garbage', 'product_media.list', [SKU]), error(-32005), 'not a session id');
  assertError(await call(api, null, 'product_media.list', [SKU], basic('erp', 'wrong-key-0123456789')), error(-32002, 'Access denied.'), 'bad Basic');
  assertError((await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'login', params: ['erp', 'nope'] })).body, error(-32002, 'Access denied.'), 'bad login');
  assertError((await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'login', params: ['erp'] })).body, error(-32006, 'Required parameter is missing, for more details see "exception.log".'), 'login without key');
  assertError(await call(api, session, 'catalog_product.info', [SKU]), error(-32003, 'Invalid api path.'), 'unknown resource');
  assertError(await call(api, session, 'product_media.drop', [SKU]), error(-32003), 'unknown method of the resource');
  // The good cases of the same forms, for contrast.
  assert.is((await call(api, null, 'product_media.list', [SKU], basic('erp', 'erp-key-0123456789abcdef'))).error, null);
  const short = await postRpc(api, { jsonrpc: 2.0, id: 2, method: 'product_media.list', params: [session, SKU] });
  assert.is(short.body.result.length, 1);
});

test('wrong argument counts and types', async ({ api, session }) => {
  const cases: [string, unknown[], number][] = [
    ['product_media.list', [], -32006],
    ['product_media.list', [SKU, null, 'id'], -32101],
    ['product_media.list', ['x'.repeat(5000)], -32101],
    ['product_media.list', ['€'.repeat(1400)], -32101],
    ['product_media.info', [SKU, `/i/m/${'x'.repeat(5000)}.jpg`], -32103],
    ['product_media.remove', [SKU, `/i/m/${'x'.repeat(5000)}.jpg`], -32103],
    ['product_media.list', [{ sku: SKU }], -32602],
    ['product_media.list', [[SKU]], -32602],
    ['product_media.list', [SKU, 'french'], -32100],
    ['product_media.info', [SKU], -32006],
    ['product_media.info', [SKU, 42], -32103],
    ['product_media.info', [SKU, {}], -32602],
    ['product_media.types', [], -32006],
    ['product_media.types', [5], -32102],
    ['product_media.create', [SKU], -32006],
    ['product_media.create', [SKU, 'data'], -32602],
    ['product_media.create', ['NO-SUCH-SKU', {}], -32101],
    ['product_media.update', [SKU, '/i/m/image.jpg'], -32006],
    ['product_media.update', [SKU, '/i/m/other.jpg', {}], -32103],
    ['product_media.remove', [SKU], -32006],
    ['product_media.remove', [SKU, '/I/M/IMAGE.JPG'], -32103],
    // Surplus arguments are ignored (issue 20): the third names the identifier type, `default` is not `sku`.
    ['product_media.remove', [SKU, '/i/m/image.jpg', 'default', 'x'], -32101],
  ];
  for (const [path, args, code] of cases) assertError(await call(api, session, path, args), error(code), `${path} ${JSON.stringify(args)}`);
});

test('image data refused with OpenMage\'s texts', async ({ api, session, jpeg }) => {
  const gif = await imageBase64('gif');
  const large = (await readFixture('exif-rotated-gps.jpg')).length > MAX_IMAGE_BYTES ? (await readFixture('exif-rotated-gps.jpg')).toString('base64') : Buffer.alloc(MAX_IMAGE_BYTES + 1, 1).toString('base64');
  const cases: [unknown, number, string][] = [
    [{}, -32102, 'The image is not specified.'],
    [{ file: 'image.jpg' }, -32102, 'The image is not specified.'],
    [{ file: { content: jpeg } }, -32102, 'The image is not specified.'],
    [{ file: { mime: 'image/jpeg' } }, -32102, 'The image is not specified.'],
    [{ file: { content: jpeg, mime: 'image/bmp' } }, -32102, 'Invalid image type.'],
    [{ file: { content: jpeg, mime: 'image/jpg' } }, -32102, 'Invalid image type.'],
    [{ file: { content: `@@${jpeg}`, mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: `${jpeg}=`, mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: 'QUJD=', mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: 'QUJDR', mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: 12345, mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: '', mime: 'image/jpeg' } }, -32102, 'The image contents is not valid base64 data.'],
    [{ file: { content: jpeg, mime: '' } }, -32102, 'Invalid image type.'],
    [{ file: { content: large, mime: 'image/jpeg' } }, -32102, `The image is larger than ${MAX_IMAGE_BYTES} bytes.`],
    [{ file: { content: 'aGVsbG8gd29ybGQ=', mime: 'image/jpeg' } }, -32104, 'Invalid image.'],
    [{ file: { content: (await readFixture('corrupt.jpg')).toString('base64'), mime: 'image/jpeg' } }, -32104, 'Invalid image.'],
    [{ file: { content: (await readFixture('image.svg')).toString('base64'), mime: 'image/png' } }, -32104, 'Invalid image.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, position: -1 }, -32102, 'position: Ensure this value is greater than or equal to 0.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, position: 'first' }, -32102, 'position: A valid integer is required.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, position: '1.5 apples' }, -32102, 'position: A valid integer is required.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, position: '-1' }, -32102, 'position: Ensure this value is greater than or equal to 0.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, exclude: '2.5' }, -32102, 'exclude: Allowed: "0" or "1".'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, label: 'x'.repeat(256) }, -32102, 'label: Ensure this field has no more than 255 characters.'],    [{ file: { content: jpeg, mime: 'image/jpeg' }, exclude: 2 }, -32102, 'exclude: Allowed: "0" or "1".'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, types: 5 }, -32102, 'types: A list of image type codes, or one code, is required.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, label: { text: 'x' } }, -32102, 'label: A valid string is required.'],
    [{ file: { content: jpeg, mime: 'image/jpeg' }, label: 'caf\ud800' }, -32102, 'label: A valid string is required.'],
  ];
  for (const [data, code, message] of cases) {
    const label = JSON.stringify(data).slice(0, 120);
    assertError(await call(api, session, 'product_media.create', [SKU, data]), error(code, message), `create ${label}`);
  }
  const update = await call(api, session, 'product_media.update', [SKU, '/i/m/image.jpg', { file: { content: gif, mime: 'image/bmp' }, position: 3 }]);
  assertError(update, error(-32102, 'Invalid image type.'), 'update with an unknown mime changes nothing');
  const long = await call(api, session, 'product_media.update', [SKU, '/i/m/image.jpg', { label: 'é'.repeat(256) }]);
  assertError(long, error(-32102, 'label: Ensure this field has no more than 255 characters.'), 'update with a label longer than Magento\'s column');
  for (const content of ['@@not base64', '']) {
    const badContent = await call(api, session, 'product_media.update', [SKU, '/i/m/image.jpg', { file: { content, mime: 'image/jpeg' }, label: 'x' }]);
    assertError(badContent, error(-32102, 'Image content is not valid base64 data.'), `update's own wording: ${JSON.stringify(content)}`);
  }
  assertError(await call(api, session, 'product_media.create', ['NO-MEDIA', imageData(jpeg)]), error(-32107, "Requested product doesn't support images"), 'media disabled');
});

test('a body over the limit gets a JSON-RPC error on a live connection', async ({ api, session }) => {
  const huge = 'A'.repeat(400 * 1024);
  const response = await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'call', params: [session, 'product_media.create', [SKU, imageData(huge)]] });
  assert.is(response.status, 200);
  assertError(response.body, error(-32600), 'too large');
  assert.match(response.body.error.message, /larger than \d+ bytes/);
  // The same server still answers.
  assert.is((await call(api, session, 'product_media.list', [SKU])).error, null);
});

test('OpenMage\'s trailing arguments: an empty store is the current one; identifierType names the product by SKU or by id', async ({ api, session }) => {
  const [pk] = (await api.request('GET', `/api/v1/products/?sku=${SKU}`)).body.results.map((product: { pk: number }) => product.pk);
  const files = (result: Array<{ file: string }>) => result.map((image) => image.file);
  assert.equal(files(await callOk(api, session, 'product_media.list', [SKU, ''])), ['/i/m/image.jpg']);
  assert.equal(files(await callOk(api, session, 'product_media.list', [SKU, null, 'sku'])), ['/i/m/image.jpg']);
  assert.equal(files(await callOk(api, session, 'product_media.list', [String(pk), 'default', 'id'])), ['/i/m/image.jpg']);
  assert.equal(files(await callOk(api, session, 'product_media.list', [pk, null, 'id'])), ['/i/m/image.jpg']);
  assert.is((await callOk(api, session, 'product_media.info', [pk, '/i/m/image.jpg', null, 'id'])).file, '/i/m/image.jpg');
  assertError(await call(api, session, 'product_media.list', [String(pk)]), error(-32101), 'a pk without identifierType is a SKU');
  assertError(await call(api, session, 'product_media.list', [`${pk}.5`, null, 'id']), error(-32101), 'not an id');
});

test('no input makes an internal fault or an HTTP 500', async ({ api, session }) => {
  const values: unknown[] = [null, 0, -1, 1.5, '', 'x', '/i/m/image.jpg', [], {}, [[]], { file: null }, { file: { content: null, mime: null } }, true];
  const methods: [string, number][] = [['list', 2], ['info', 3], ['types', 1], ['create', 3], ['update', 4], ['remove', 2]];
  for (const [method, arity] of methods) {
    const batch: unknown[] = [];
    for (let position = 0; position < arity; position++) {
      for (const value of values) {
        const args: unknown[] = [SKU, '/i/m/image.jpg', { position: 0 }, null].slice(0, arity);
        args[position] = value;
        // Only the read methods may succeed; writes get values that cannot change the image.
        if (method === 'update' && position !== 2) args[2] = { label: { bad: true } };
        if (method === 'remove' && position === 1 && value === '/i/m/image.jpg') continue;
        batch.push({ jsonrpc: 2.0, id: batch.length, method: 'call', params: [session, `product_media.${method}`, args] });
      }
    }
    const response = await postRpc(api, batch);
    assert.is(response.status, 200, method);
    for (const answer of response.body as any[]) {
      assert.ok(answer.error === null || answer.error.code !== -32001, `${method}: ${JSON.stringify(answer)} for ${JSON.stringify(batch[answer.id])}`);
    }
  }
});

test.run();
