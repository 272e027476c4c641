import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RecordedEvent } from '../../src/ports/eventStore.ts';
import { startErpServer, type ErpServer } from '../support/erpServer.ts';
import { startTestService, type TestService } from '../support/testService.ts';

interface Context {
  erp: ErpServer;
  api: TestService;
  productPk: number;
}

const PRIVATE = 'The URL resolves to a private address.';
const IMAGE_URL = /^https:\/\/cdn\.example\.com\/media\/products\/\d{4}\/\d\d\/\d\d\/(\d+)\/[0-9a-f-]{36}\.jpg$/;

/** A suite whose service runs with `env`, each test on a fresh service and product. */
function apiSuite(name: string, env: Record<string, string>) {
  const test = suite<Context>(name);
  test.before(async (context) => {
    context.erp = await startErpServer();
  });
  test.after(async ({ erp }) => erp.close());
  test.before.each(async (context) => {
    context.api = await startTestService({ env: { MEDIA_BASE_URL: 'https://cdn.example.com/media', ...env } });
    const product = await context.api.request('POST', '/api/v1/products/', { body: { sku: `SKU-${Math.random()}` } });
    context.productPk = product.body.pk;
  });
  test.after.each(async ({ api }) => api.stop());
  return test;
}

const download = (api: TestService, productPk: number, body: unknown) => api.request('POST', `/api/v1/downloadable_image/${productPk}/download/`, { body });
const replace = (api: TestService, productPk: number, body: unknown) => api.request('POST', `/api/v1/downloadable_image/${productPk}/replace/`, { body });
const listPks = async (api: TestService, productPk: number) =>
  (await api.request('GET', `/api/v1/product_image/?product=${productPk}&limit=100`)).body.results.map((image: { pk: number }) => image.pk);
const jobEvents = (events: RecordedEvent[]) => events.filter((event) => event.streamName.startsWith('imageDownload-'));
const meta = (event: RecordedEvent) => event.metadata as { api: string; causationId: string; actor: string };

// ---------------------------------------------------------------------------------------------
const allowed = apiSuite('downloadable_image with the ERP host allowed', { DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1', MAX_IMAGE_BYTES: '100000' });

allowed('POST download fetches the URL and answers the created image', async ({ api, erp, productPk }) => {
  const mark = await api.mark();
  const response = await download(api, productPk, {
    url: `${erp.base}/redirect?hops=2`,
    image_type: 'default',
    product: String(productPk),
    order: 3,
    source: 'integration',
    modified_date: '2017-01-23T08:33:56.794003Z',
    created_date: '2017-01-22T23:56:28.881838Z',
  });
  assert.is(response.status, 200);
  assert.equal(Object.keys(response.body), ['pk', 'product', 'image', 'order', 'source', 'modified_date', 'created_date', 'focal_point', 'special_image_types']);
  assert.is(response.body.product, productPk);
  assert.is(response.body.order, 3);
  assert.is(response.body.source, 'integration');
  assert.is(IMAGE_URL.exec(response.body.image)?.[1], String(productPk));
  assert.equal(await listPks(api, productPk), [response.body.pk]);

  const events = (await api.eventsSince(mark)).filter((event) => event.type !== 'PkAllocated');
  assert.equal(events.map((event) => event.type), ['ImageDownloadRequested', 'ImageUploaded', 'ImageDownloadCompleted']);
  const [requested, uploaded, completed] = events as [RecordedEvent, RecordedEvent, RecordedEvent];
  assert.equal(requested.data, {
    downloadId: (requested.data as { downloadId: string }).downloadId,
    productPk,
    url: `${erp.base}/redirect?hops=2`,
    imageType: 'default',
    order: 3,
    source: 'integration',
  });
  assert.is(meta(requested).api, 'rest');
  assert.is(meta(uploaded).api, 'download');
  assert.is(meta(uploaded).actor, 'erp');
  assert.is(meta(uploaded).causationId, requested.id);
  assert.is((uploaded.data as { imageType: string }).imageType, 'default');
  assert.equal(completed.data, { downloadId: (requested.data as { downloadId: string }).downloadId, imagePk: response.body.pk });
});

allowed('image_type defaults to default and order to 0; swatch is kept', async ({ api, erp, productPk }) => {
  const plain = await download(api, productPk, { url: `${erp.base}/image.jpg` });
  assert.equal([plain.status, plain.body.order, plain.body.source], [200, 0, null]);
  const mark = await api.mark();
  const swatch = await download(api, productPk, { url: `${erp.base}/image.jpg`, image_type: 'swatch' });
  assert.is(swatch.status, 200);
  const uploaded = (await api.eventsSince(mark)).find((event) => event.type === 'ImageUploaded')!;
  assert.is((uploaded.data as { imageType: string }).imageType, 'swatch');
});

allowed('failed downloads answer 400 under url, record the reason and change nothing', async ({ api, erp, productPk }) => {
  const cases: [string, string][] = [
    [`${erp.base}/missing.jpg`, 'The server answered 404.'],
    [`${erp.base}/to-private`, PRIVATE],
    [`${erp.base}/to-metadata`, PRIVATE],
    [`${erp.base}/to-file`, 'Only http and https URLs can be downloaded.'],
    [`${erp.base}/redirect?hops=9`, 'Too many redirects.'],
    [`${erp.base}/big-declared`, 'The file is larger than 100000 bytes.'],
    [`${erp.base}/big-chunked`, 'The file is larger than 100000 bytes.'],
    [`${erp.base}/text.txt`, 'The downloaded file is not a valid image.'],
  ];
  for (const [url, reason] of cases) {
    const mark = await api.mark();
    const response = await download(api, productPk, { url });
    assert.equal([response.status, response.body], [400, { url: [reason] }], url);
    const events = jobEvents(await api.eventsSince(mark));
    assert.equal(events.map((event) => event.type), ['ImageDownloadRequested', 'ImageDownloadFailed'], url);
    assert.is((events[1]!.data as { reason: string }).reason, reason);
  }
  assert.equal(await listPks(api, productPk), []);
});

allowed('field errors and unknown products', async ({ api, erp, productPk }) => {
  const invalid = await download(api, productPk, { url: `${erp.base}/image.jpg`, image_type: 'thumbnail', order: -1, source: 'erp' });
  assert.equal([invalid.status, invalid.body], [
    400,
    { image_type: ['"thumbnail" is not a valid choice.'], order: ['Ensure this value is greater than or equal to 0.'], source: ['"erp" is not a valid choice.'] },
  ]);
  const missing = await download(api, productPk, {});
  assert.equal(missing.body, { url: ['This field is required.'] });
  for (const url of ['ftp://erp.example.com/a.jpg', 'file:///etc/passwd', 'nonsense']) {
    const refused = await download(api, productPk, { url });
    assert.equal([refused.status, refused.body], [400, { url: ['Enter a valid URL.'] }], url);
  }
  const mark = await api.mark();
  for (const url of [`http://erp:secret@127.0.0.1:${erp.port}/image.jpg`, `http://user@127.0.0.1:${erp.port}/image.jpg`]) {
    const withCredentials = await download(api, productPk, { url });
    assert.equal([withCredentials.status, withCredentials.body], [400, { url: ['URLs with a user name or password are not accepted.'] }], url);
  }
  assert.equal(await api.eventsSince(mark), [], 'no credentials in the history');
  const unknown = await download(api, 987654, { url: `${erp.base}/image.jpg` });
  assert.equal([unknown.status, unknown.body], [404, { detail: 'Not found.' }]);
  const notPk = await download(api, 'abc' as unknown as number, { url: `${erp.base}/image.jpg` });
  assert.is(notPk.status, 404);
  assert.equal(await listPks(api, productPk), []);
});

allowed('POST replace swaps the whole set in one decision', async ({ api, erp, productPk }) => {
  const old = await download(api, productPk, { url: `${erp.base}/image.jpg` });
  const mark = await api.mark();
  const response = await replace(api, productPk, {
    images: [
      { url: `${erp.base}/image.jpg`, order: 1, image_type: 'default' },
      { url: `${erp.base}/redirect?hops=1`, order: 0, image_type: 'swatch' },
      { url: `${erp.base}/image.jpg`, order: 2 },
    ],
  });
  assert.is(response.status, 200);
  assert.is(response.body.count, 3);
  assert.equal(response.body.results.map((image: { order: number }) => image.order), [0, 1, 2]);
  const pks = await listPks(api, productPk);
  assert.equal(pks, response.body.results.map((image: { pk: number }) => image.pk));
  assert.not.ok(pks.includes(old.body.pk));
  const gallery = (await api.eventsSince(mark)).filter((event) => event.streamName === `productMedia-${productPk}`);
  assert.equal(gallery.map((event) => event.type), ['ImageDeleted', 'ImageUploaded', 'ImageUploaded', 'ImageUploaded']);
  assert.ok(gallery.every((event) => meta(event).api === 'download' && meta(event).actor === 'erp'));
  const jobs = jobEvents(await api.eventsSince(mark));
  assert.is(jobs.filter((event) => event.type === 'ImageDownloadCompleted').length, 3);
});

allowed('a failing URL in the set leaves the previous set intact', async ({ api, erp, productPk }) => {
  const old = await download(api, productPk, { url: `${erp.base}/image.jpg` });
  const mark = await api.mark();
  const response = await replace(api, productPk, {
    images: [
      { url: `${erp.base}/image.jpg`, order: 0, image_type: 'default' },
      { url: `${erp.base}/missing.jpg`, order: 1, image_type: 'default' },
      { url: `${erp.base}/text.txt`, order: 2, image_type: 'default' },
    ],
  });
  assert.equal([response.status, response.body], [
    400,
    { images: [{}, { url: ['The server answered 404.'] }, { url: ['The downloaded file is not a valid image.'] }] },
  ]);
  assert.equal(await listPks(api, productPk), [old.body.pk]);
  const events = await api.eventsSince(mark);
  assert.not.ok(events.some((event) => event.streamName === `productMedia-${productPk}`));
  assert.equal(jobEvents(events).filter((event) => event.type === 'ImageDownloadFailed').length, 3);
});

allowed('replace validates every item, with DRF nested errors', async ({ api, erp, productPk }) => {
  const bad = await replace(api, productPk, { images: [{ url: `${erp.base}/image.jpg` }, { order: -1 }, { url: 'ftp://x/y.jpg' }] });
  assert.equal([bad.status, bad.body], [
    400,
    { images: [{}, { url: ['This field is required.'], order: ['Ensure this value is greater than or equal to 0.'] }, { url: ['Enter a valid URL.'] }] },
  ]);
  assert.equal((await replace(api, productPk, {})).body, { images: ['This field is required.'] });
  assert.equal((await replace(api, productPk, { images: [] })).body, { images: ['This list may not be empty.'] });
  assert.equal((await replace(api, 987654, { images: [{ url: `${erp.base}/image.jpg` }] })).status, 404);
});

allowed.run();

// ---------------------------------------------------------------------------------------------
const guarded = apiSuite('downloadable_image without an allow-list', {});

guarded('refuses loopback, link-local and literal tricks, recording the failure', async ({ api, erp, productPk }) => {
  for (const url of [`${erp.base}/image.jpg`, 'http://169.254.169.254/', 'http://[::1]/', 'http://127.1/', `http://localhost:${erp.port}/image.jpg`]) {
    const mark = await api.mark();
    const response = await download(api, productPk, { url });
    assert.equal([response.status, response.body], [400, { url: [PRIVATE] }], url);
    const events = jobEvents(await api.eventsSince(mark));
    assert.equal(events.map((event) => event.type), ['ImageDownloadRequested', 'ImageDownloadFailed'], url);
    assert.is((events[1]!.data as { reason: string }).reason, PRIVATE);
  }
  assert.equal(await listPks(api, productPk), []);
});

guarded('a private URL in a set leaves the set intact', async ({ api, erp, productPk }) => {
  const response = await replace(api, productPk, { images: [{ url: `${erp.base}/image.jpg`, order: 0, image_type: 'default' }] });
  assert.equal([response.status, response.body], [400, { images: [{ url: [PRIVATE] }] }]);
  assert.equal(await listPks(api, productPk), []);
});

guarded.run();
