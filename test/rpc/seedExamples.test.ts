import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';
import { callOk, imageBase64, imageData, login, postRpc, registerProduct } from '../support/rpcClient.ts';

/**
 * Every request example of the seed (ShipStream's product_media page), sent as written (the
 * session id and the base64 placeholder replaced by real ones), answers the documented shape.
 */
const SEED_SESSION = 'be1c13ed4e03f0ed7f1e4053dfff9658';
const SEED_REQUESTS = {
  list: `{
    "jsonrpc" : 2.0,
    "id" : 1234,
    "method" : "call",
    "params" : [
        "be1c13ed4e03f0ed7f1e4053dfff9658",
        "product_media.list",
        [
            "product2"
        ]
    ]
}`,
  types: `{
    "jsonrpc" : 2.0,
    "id" : 1234,
    "method" : "call",
    "params" : [
        "be1c13ed4e03f0ed7f1e4053dfff9658",
        "product_media.types",
        [
            4        
        ]
    ]
}`,
  create: `{
    "jsonrpc" : 2.0,
    "id" : 1234,
    "method" : "call",
    "params" : [
        "be1c13ed4e03f0ed7f1e4053dfff9658",
        "product_media.create",
        [
            "product2",
            {
                "file" : {
                    "content" : "base64 encoded content",
                    "mime": "image/jpeg"
                },
                "position" : 100,
                "types" : [
                    "thumbnail"
                ],
                "exclude" : 0
            }
        ]
    ]
}`,
  update: `{
    "jsonrpc" : 2.0,
    "id" : 1234,
    "method" : "call",
    "params" : [
        "be1c13ed4e03f0ed7f1e4053dfff9658",
        "product_media.update",
        [
            "product2",
            "/i/m/image.png",
            {
                "file" : {
                    "content" : "base64 encoded content",
                    "mime": "image/jpeg"
                },
                "position" : 100,
                "types" : [
                    "thumbnail"
                ],
                "exclude" : 1
            }
        ]
    ]
}`,
  remove: `{
    "jsonrpc" : 2.0,
    "id" : 1234,
    "method" : "call",
    "params" : [
        "be1c13ed4e03f0ed7f1e4053dfff9658",
        "product_media.remove",
        [
            "product2",
            "/b/l/blackberry8100_2.jpg"
        ]
    ]
}`,
};

const SUCCESS_PREFIX = '{"jsonrpc":2.0,"id":1234,"error":null,"result":';

interface Context {
  api: TestService;
  session: string;
  jpeg: string;
}

const test = suite<Context>('ShipStream seed examples, replayed');
test.before.each(async (context) => {
  context.api = await startTestService({ env: { MEDIA_BASE_URL: 'http://magentohost/media' } });
  await registerProduct(context.api, 'product2');
  context.session = await login(context.api);
  context.jpeg = await imageBase64('jpeg');
});
test.after.each(async ({ api }) => api.stop());

async function replay({ api, session, jpeg }: Context, example: string) {
  const body = example.replace(SEED_SESSION, session).replace('base64 encoded content', jpeg);
  const response = await postRpc(api, body, { raw: true });
  assert.is(response.status, 200);
  assert.ok(response.text.startsWith(SUCCESS_PREFIX), response.text);
  assert.equal(Object.keys(response.body), ['jsonrpc', 'id', 'error', 'result']);
  return response.body.result;
}

test('list: an array of image data (file, position, exclude, url, types)', async (context) => {
  const { api, session, jpeg } = context;
  for (let copy = 0; copy < 3; copy++) {
    await callOk(api, session, 'product_media.create', ['product2', imageData(jpeg, 'image/jpeg', { name: 'blackberry8100' })]);
  }
  await callOk(api, session, 'product_media.remove', ['product2', '/b/l/blackberry8100.jpg']);
  await callOk(api, session, 'product_media.remove', ['product2', '/b/l/blackberry8100_1.jpg']);
  await callOk(api, session, 'product_media.update', ['product2', '/b/l/blackberry8100_2.jpg', { position: 1, types: ['image', 'thumbnail'] }]);
  const result = await replay(context, SEED_REQUESTS.list);
  assert.is(result.length, 1);
  const [image] = result;
  assert.equal(Object.keys(image), ['file', 'label', 'position', 'exclude', 'url', 'types']);
  assert.equal({ ...image, url: undefined }, { file: '/b/l/blackberry8100_2.jpg', label: '', position: 1, exclude: 0, url: undefined, types: ['image', 'thumbnail'] });
  assert.match(image.url, /^http:\/\/magentohost\/media\/products\/\d{4}\/\d\d\/\d\d\/\d+\/[0-9a-f-]{36}\.jpg$/);
});

test('types: the seed response exactly', async (context) => {
  assert.equal(await replay(context, SEED_REQUESTS.types), [
    { code: 'image', scope: 'store' },
    { code: 'thumbnail', scope: 'store' },
  ]);
});

test('create: the file name in the array form of the seed', async (context) => {
  assert.equal(await replay(context, SEED_REQUESTS.create), ['/i/m/image.jpg']);
  const png = await imageBase64('png');
  assert.equal(await callOk(context.api, context.session, 'product_media.create', ['product2', imageData(png, 'image/png')]), ['/i/m/image.png']);
  const [image] = await callOk(context.api, context.session, 'product_media.list', ['product2']);
  assert.equal({ ...image, url: undefined }, { file: '/i/m/image.jpg', label: '', position: 100, exclude: 0, url: undefined, types: ['thumbnail'] });
});

test('update: 1, and the image changed as asked', async (context) => {
  const png = await imageBase64('png');
  await callOk(context.api, context.session, 'product_media.create', ['product2', imageData(png, 'image/png', { types: ['image'] })]);
  const before = await callOk(context.api, context.session, 'product_media.info', ['product2', '/i/m/image.png']);
  assert.is(await replay(context, SEED_REQUESTS.update), 1);
  const after = await callOk(context.api, context.session, 'product_media.info', ['product2', '/i/m/image.png']);
  assert.equal({ ...after, url: undefined }, { file: '/i/m/image.png', label: '', position: 100, exclude: 1, url: undefined, types: ['thumbnail'] });
  assert.ok(after.url !== before.url && after.url.endsWith('.jpg'), 'new content, new binary');
});

test('remove: 1, and the image is gone', async (context) => {
  for (let copy = 0; copy < 3; copy++) {
    await callOk(context.api, context.session, 'product_media.create', ['product2', imageData(context.jpeg, 'image/jpeg', { name: 'blackberry8100' })]);
  }
  assert.is(await replay(context, SEED_REQUESTS.remove), 1);
  const files = (await callOk(context.api, context.session, 'product_media.list', ['product2'])).map((image: { file: string }) => image.file);
  assert.equal(files, ['/b/l/blackberry8100.jpg', '/b/l/blackberry8100_1.jpg']);
});

test('the seed\'s error codes come as -(32000 + fault) with the seed\'s messages', async ({ api, session }) => {
  const missing = await postRpc(api, SEED_REQUESTS.list.replace(SEED_SESSION, session).replace('product2', 'no-such-sku'), { raw: true });
  assert.equal(missing.body, { jsonrpc: 2, id: 1234, error: { code: -32101, message: 'Product not exists.' }, result: null });
  const store = await postRpc(api, { jsonrpc: 2, id: 5, method: 'call', params: [session, 'product_media.list', ['product2', 'french']] });
  assert.equal(store.body.error, { code: -32100, message: 'Requested store view not found.' });
  const notInGallery = await postRpc(api, SEED_REQUESTS.remove.replace(SEED_SESSION, session), { raw: true });
  assert.equal(notInGallery.body.error, { code: -32103, message: "Requested image not exists in product images' gallery." });
});

test.run();
