import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService; productPk: number; jpeg: Buffer }>('product_image REST API');
test.before(async (context) => {
  context.jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
});
test.before.each(async (context) => {
  context.api = await startTestService({ env: { MEDIA_BASE_URL: 'https://cdn.example.com/media' } });
  const product = await context.api.request('POST', '/api/v1/products/', { body: { sku: `SKU-${Math.random()}` } });
  context.productPk = product.body.pk;
});
test.after.each(async ({ api }) => api.stop());

function form(fields: Record<string, string | Buffer>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(name, value);
    else data.append(name, new Blob([value], { type: 'image/jpeg' }), `${name}.jpg`);
  }
  return data;
}

async function upload(api: TestService, fields: Record<string, string | Buffer>) {
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, {
    method: 'POST',
    headers: { authorization: 'Token erp-key-0123456789abcdef' },
    body: form(fields),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const IMAGE_URL = /^https:\/\/cdn\.example\.com\/media\/products\/\d{4}\/\d\d\/\d\d\/(\d+)\/[0-9a-f-]{36}\.jpg$/;

test('POST uploads an image and answers the seed representation', async ({ api, productPk, jpeg }) => {
  const created = await upload(api, { image: jpeg, product: String(productPk), source: 'integration' });
  assert.is(created.status, 201);
  assert.equal(Object.keys(created.body), ['pk', 'product', 'image', 'order', 'source', 'modified_date', 'created_date', 'focal_point', 'special_image_types']);
  assert.is(created.body.focal_point, null);
  assert.is(created.body.product, productPk);
  assert.is(created.body.order, 0);
  assert.is(created.body.source, 'integration');
  assert.is(IMAGE_URL.exec(created.body.image)?.[1], String(productPk));
  assert.match(created.headers.get('etag') ?? '', /^W\/"\d+"$/);
});

test('GET lists a product\'s images in order, then pk, as a DRF page', async ({ api, productPk, jpeg }) => {
  const second = await upload(api, { image: jpeg, product: String(productPk), order: '1', source: 'unified' });
  const first = await upload(api, { image: jpeg, product: String(productPk), order: '0', source: 'integration' });
  const third = await upload(api, { image: jpeg, product: String(productPk), order: '1', source: 'integration' });
  const list = await api.request('GET', `/api/v1/product_image/?limit=100&product=${productPk}`);
  assert.is(list.status, 200);
  assert.is(list.body.count, 3);
  assert.equal(list.body.results.map((image: { pk: number }) => image.pk), [first.body.pk, second.body.pk, third.body.pk]);
  assert.is(list.body.next, null);
  const bySource = await api.request('GET', `/api/v1/product_image/?product=${productPk}&source=unified`);
  assert.equal(bySource.body.results.map((image: { pk: number }) => image.pk), [second.body.pk]);
  const paged = await api.request('GET', `/api/v1/product_image/?product=${productPk}&limit=2`);
  assert.is(paged.body.next, `https://omnitron.example.com/api/v1/product_image/?product=${productPk}&limit=2&page=2`);
  const detail = await api.request('GET', `/api/v1/product_image/${first.body.pk}/`);
  assert.equal(detail.body, first.body);
});

test('a list asked again shows every change made in between (page bodies are remembered per gallery state)', async ({ api, productPk, jpeg }) => {
  const a = await upload(api, { image: jpeg, product: String(productPk), order: '0' });
  const b = await upload(api, { image: jpeg, product: String(productPk), order: '1' });
  const path = `/api/v1/product_image/?product=${productPk}&limit=100`;
  const pks = async (listPath = path) => {
    const list = await api.request('GET', listPath);
    assert.is(list.status, 200);
    assert.match(list.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
    return list.body.results.map((image: { pk: number }) => image.pk);
  };
  assert.equal(await pks(), [a.body.pk, b.body.pk]);
  assert.equal(await pks(), [a.body.pk, b.body.pk], 'asked twice, same answer');
  assert.equal(await pks(`/api/v1/product_image/?limit=100&product=${productPk}`), [a.body.pk, b.body.pk], 'another spelling');

  await api.request('PATCH', `/api/v1/product_image/${a.body.pk}/`, { body: { order: 5 } });
  assert.equal(await pks(), [b.body.pk, a.body.pk], 'after a reorder');
  const c = await upload(api, { image: jpeg, product: String(productPk), order: '2' });
  assert.equal(await pks(), [b.body.pk, c.body.pk, a.body.pk], 'after an upload');
  await api.request('DELETE', `/api/v1/product_image/${b.body.pk}/`);
  assert.equal(await pks(), [c.body.pk, a.body.pk], 'after a delete');
  const page = await api.request('GET', `/api/v1/product_image/?product=${productPk}&limit=1&page=2`);
  assert.equal(page.body.results.map((image: { pk: number }) => image.pk), [a.body.pk]);
  assert.is(page.body.previous, `https://omnitron.example.com/api/v1/product_image/?product=${productPk}&limit=1`);
});

test('the seed\'s 400 texts, verbatim', async ({ api, productPk, jpeg }) => {
  const noFile = await upload(api, { product: String(productPk) });
  assert.equal([noFile.status, noFile.body], [400, { image: ['No file was submitted.'] }]);
  const notImage = await upload(api, { image: Buffer.from('plain text, not a picture'), product: String(productPk) });
  assert.equal(notImage.body, { image: ['Upload a valid image. The file you uploaded was either not an image or a corrupted image.'] });
  const truncated = await upload(api, { image: jpeg.subarray(0, jpeg.length / 2), product: String(productPk) });
  assert.equal(truncated.body, { image: ['Upload a valid image. The file you uploaded was either not an image or a corrupted image.'] });
  const badPk = await upload(api, { image: jpeg, product: 'abc' });
  assert.equal(badPk.body, { product: ['Incorrect type. Expected pk value, received unicode.'] });
  const both = await upload(api, { product: 'abc' });
  assert.equal(both.body, { image: ['No file was submitted.'], product: ['Incorrect type. Expected pk value, received unicode.'] });
  const unknown = await upload(api, { image: jpeg, product: '987654' });
  assert.equal(unknown.body, { product: ['Invalid pk "987654" - object does not exist.'] });
  const source = await upload(api, { image: jpeg, product: String(productPk), source: 'erp' });
  assert.equal(source.body, { source: ['"erp" is not a valid choice.'] });
  const created = await upload(api, { image: jpeg, product: String(productPk) });
  const negative = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: { pk: created.body.pk, order: -1 } });
  assert.equal([negative.status, negative.body], [400, { order: ['Ensure this value is greater than or equal to 0.'] }]);
  const missing = await api.request('GET', '/api/v1/product_image/999999/');
  assert.equal([missing.status, missing.body], [404, { detail: 'Not found.' }]);
  const put = await api.request('PUT', `/api/v1/product_image/${created.body.pk}/`, { body: { order: 1 } });
  assert.equal([put.status, put.body], [405, { detail: 'Method "PUT" not allowed.' }]);
  const list = await api.request('GET', `/api/v1/product_image/?product=${productPk}`);
  assert.is(list.body.count, 1, 'refused uploads stored nothing');
});

test('upload, reorder, make special and delete produce the matching events and read model', async ({ api, productPk, jpeg }) => {
  const a = await upload(api, { image: jpeg, product: String(productPk) });
  const b = await upload(api, { image: jpeg, product: String(productPk), order: '1' });
  const reordered = await api.request('PATCH', `/api/v1/product_image/${a.body.pk}/`, { body: { pk: a.body.pk, order: 2 } });
  assert.is(reordered.body.order, 2);
  const special = await api.request('POST', `/api/v1/product_image/${b.body.pk}/make_special/`, {
    body: { _pk: b.body.pk, special_image_type: 'base', _detailed: 'make_special' },
  });
  assert.equal([special.status, special.body], [200, { special_image_type: 'base' }]);
  const deleted = await api.request('DELETE', `/api/v1/product_image/${a.body.pk}/`);
  assert.is(deleted.status, 204);
  assert.is((await api.request('GET', `/api/v1/product_image/${a.body.pk}/`)).status, 404);

  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  assert.equal(events.map((event) => event.type), ['ImageUploaded', 'ImageUploaded', 'ImageReordered', 'MainImageSet', 'ImageDeleted']);
  assert.equal(events[2]!.data, { imagePk: a.body.pk, order: 2, previousOrder: 0 });
  assert.equal(events[3]!.data, { imagePk: b.body.pk, previousImagePk: null });
  const list = await api.request('GET', `/api/v1/product_image/?product=${productPk}`);
  assert.equal(list.body.results.map((image: { pk: number }) => image.pk), [b.body.pk]);
});

test('a stale If-Match is a 412 and changes nothing', async ({ api, productPk, jpeg }) => {
  const created = await upload(api, { image: jpeg, product: String(productPk) });
  const etag = created.headers.get('etag')!;
  const first = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: { order: 3 }, headers: { 'if-match': etag } });
  assert.is(first.status, 200);
  for (const [method, path, body] of [
    ['PATCH', `/api/v1/product_image/${created.body.pk}/`, { order: 4 }],
    ['DELETE', `/api/v1/product_image/${created.body.pk}/`, undefined],
    ['POST', `/api/v1/product_image/${created.body.pk}/make_special/`, { special_image_type: 'base' }],
  ] as const) {
    const stale = await api.request(method, path, { ...(body ? { body } : {}), headers: { 'if-match': etag } });
    assert.is(stale.status, 412, method);
  }
  const detail = await api.request('GET', `/api/v1/product_image/${created.body.pk}/`);
  assert.is(detail.body.order, 3);
  // A PATCH that changes nothing is still conditional.
  const noChange = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: {}, headers: { 'if-match': etag } });
  assert.is(noChange.status, 412, 'an empty PATCH with a stale If-Match');
  const current = detail.headers.get('etag')!;
  assert.is((await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: {}, headers: { 'if-match': current } })).status, 200);
  // A list of tags matches when one of them names the current revision, wherever it stands.
  for (const list of [`"x", ${etag}, ${current}`, `${current}, ${etag}`]) {
    const listed = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: { order: 3 }, headers: { 'if-match': list } });
    assert.is(listed.status, 200, list);
  }
  const noneCurrent = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { body: { order: 5 }, headers: { 'if-match': `${etag}, "junk"` } });
  assert.is(noneCurrent.status, 412);
});

test('a form field sent twice has its last value, as DRF reads a QueryDict', async ({ api, productPk, jpeg }) => {
  const data = form({ image: jpeg });
  for (const [name, value] of [['product', 'junk'], ['product', String(productPk)], ['source', 'integration'], ['source', 'unified'], ['order', '1'], ['order', '4']]) {
    data.append(name!, value!);
  }
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: 'Token erp-key-0123456789abcdef' }, body: data });
  const created = (await response.json()) as any;
  assert.equal([response.status, created.product, created.source, created.order], [201, productPk, 'unified', 4]);
  const repeated = new URLSearchParams([['order', '9'], ['order', '2']]);
  const patched = await fetch(`${api.service.url}/api/v1/product_image/${created.pk}/`, {
    method: 'PATCH',
    headers: { authorization: 'Token erp-key-0123456789abcdef', 'content-type': 'application/x-www-form-urlencoded' },
    body: repeated.toString(),
  });
  assert.equal([patched.status, ((await patched.json()) as any).order], [200, 2]);
});

test('a query parameter given twice has its last value, as Django\'s QueryDict.get', async ({ api, productPk, jpeg }) => {
  await upload(api, { image: jpeg, product: String(productPk) });
  const last = await api.request('GET', `/api/v1/product_image/?product=999999&product=${productPk}&limit=1&limit=5`);
  assert.equal([last.status, last.body.count, last.body.results.length], [200, 1, 1]);
  // The last value names no product: django-filter's 400 (issue 20, item 5) shows which one was read.
  const first = await api.request('GET', `/api/v1/product_image/?product=${productPk}&product=999999`);
  assert.equal([first.status, first.body], [400, { product: ['Select a valid choice. That choice is not one of the available choices.'] }]);
});

test('ordering takes a comma list of keys, other fields dropped (DRF\'s OrderingFilter)', async ({ api, productPk, jpeg }) => {
  const first = await upload(api, { image: jpeg, product: String(productPk), order: '2' });
  const second = await upload(api, { image: jpeg, product: String(productPk), order: '2' });
  const third = await upload(api, { image: jpeg, product: String(productPk), order: '1' });
  const pksFor = async (ordering: string) => (await api.request('GET', `/api/v1/product_image/?product=${productPk}&ordering=${ordering}`)).body.results.map((image: { pk: number }) => image.pk);
  assert.equal(await pksFor('-order,pk'), [first.body.pk, second.body.pk, third.body.pk]);
  assert.equal(await pksFor('-order'), [second.body.pk, first.body.pk, third.body.pk]);
  assert.equal(await pksFor('order,-created_date'), [third.body.pk, second.body.pk, first.body.pk]);
  const last = await api.request('GET', `/api/v1/product_image/?product=${productPk}&ordering=-order,pk&limit=2&page=last`);
  assert.equal([last.status, last.body.results.map((image: { pk: number }) => image.pk), last.body.next], [200, [third.body.pk], null]);
  // Issue 20, item 6: an unknown field is ignored (it was a 400 before).
  const ignored = await api.request('GET', `/api/v1/product_image/?product=${productPk}&ordering=-order,colour`);
  assert.equal([ignored.status, ignored.body.results.map((image: { pk: number }) => image.pk)], [200, [second.body.pk, first.body.pk, third.body.pk]]);
});

test('out-of-range numbers are DRF range errors; an empty or over-long product pk reads as DRF reads it', async ({ api, productPk, jpeg }) => {
  const created = await upload(api, { image: jpeg, product: String(productPk) });
  const huge = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { rawBody: '{"order": 99999999999999999999}', headers: { 'content-type': 'application/json' } });
  assert.equal([huge.status, huge.body], [400, { order: ['Ensure this value is less than or equal to 2147483647.'] }]);
  const empty = await upload(api, { image: jpeg, product: '' });
  assert.equal([empty.status, empty.body], [400, { product: ['This field may not be null.'] }]);
  const padded = await upload(api, { image: jpeg, product: `${'0'.repeat(20)}${productPk}` });
  assert.equal([padded.status, padded.body.product], [201, productPk], 'leading zeros: int() reads the pk');
  const long = await upload(api, { image: jpeg, product: '9007199254740993' });
  assert.equal([long.status, long.body], [400, { product: ['Invalid pk "9007199254740993" - object does not exist.'] }]);
});

test('an empty PATCH or make_special body is empty data', async ({ api, productPk, jpeg }) => {
  const created = await upload(api, { image: jpeg, product: String(productPk) });
  const json = { 'content-type': 'application/json' };
  const patched = await api.request('PATCH', `/api/v1/product_image/${created.body.pk}/`, { rawBody: '', headers: json });
  assert.equal([patched.status, patched.body.order], [200, 0]);
  const special = await api.request('POST', `/api/v1/product_image/${created.body.pk}/make_special/`, { rawBody: '', headers: json });
  assert.equal([special.status, special.body], [400, { special_image_type: ['This field is required.'] }]);
});

test('a product whose media is disabled refuses uploads', async ({ api, jpeg }) => {
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: 'NO-MEDIA', media_enabled: false } });
  const refused = await upload(api, { image: jpeg, product: String(product.body.pk) });
  assert.is(refused.status, 400);
  assert.equal(Object.keys(refused.body), ['product']);
});

test('50 concurrent PATCH/DELETE/make_special: no 500, exactly one base image, state equals a serial replay', async ({ api, productPk, jpeg }) => {
  const pks: number[] = [];
  for (let index = 0; index < 8; index++) pks.push((await upload(api, { image: jpeg, product: String(productPk), order: String(index) })).body.pk);
  // Deletes hit the first three images, make_special the last five, reorders all of them.
  const requests = Array.from({ length: 50 }, (_, index) => {
    if (index % 3 === 0) return api.request('DELETE', `/api/v1/product_image/${pks[index % 3 === 0 ? (index / 3) % 3 : 0]}/`);
    if (index % 3 === 1) return api.request('POST', `/api/v1/product_image/${pks[3 + (index % 5)]}/make_special/`, { body: { special_image_type: 'base' } });
    return api.request('PATCH', `/api/v1/product_image/${pks[index % 8]}/`, { body: { order: index } });
  });
  const responses = await Promise.all(requests);
  for (const response of responses) assert.ok([200, 204, 404].includes(response.status), `status ${response.status}: ${response.text}`);
  assert.ok(responses.some((response, index) => index % 3 === 1 && response.status === 200), 'some make_special succeeded');

  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  const replayed = fold(galleryDecider, events.map((event) => ({ type: event.type, data: event.data }) as GalleryEvent));
  assert.is(replayed.status, 'active');
  if (replayed.status !== 'active') return;
  const live = replayed.images.filter((image) => image.status === 'live');
  assert.is(live.filter((image) => image.roles.includes('image')).length, 1, 'exactly one base image in the replay');
  const list = await api.request('GET', `/api/v1/product_image/?product=${productPk}&limit=100`);
  const expected = [...live].sort((x, y) => x.order - y.order || x.imagePk - y.imagePk).map((image) => [image.imagePk, image.order]);
  assert.equal(list.body.results.map((image: { pk: number; order: number }) => [image.pk, image.order]), expected);
  const bases = list.body.results.filter((image: { pk: number }) => api.service.readModels.get<{ specialImageTypes: string[] }>('images', image.pk)?.specialImageTypes.includes('base'));
  assert.equal(bases.map((image: { pk: number }) => image.pk), live.filter((image) => image.roles.includes('image')).map((image) => image.imagePk), 'the read model agrees');
});

test.run();
