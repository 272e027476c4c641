import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { imageList, scriptedDay, type Day } from './historySupport.ts';

const test = suite<{ api: TestService; day: Day }>('history and time travel after a scripted day');

test.before(async (context) => {
  context.api = await startTestService();
  context.day = await scriptedDay(context.api);
});
test.after(async ({ api }) => api.stop());

test('history answers who set the main image of the product, and when', async ({ api, day }) => {
  const response = await api.request('GET', `/api/v1/products/${day.productPk}/media_history/?changed=main_image&ordering=-occurred_at`);
  assert.is(response.status, 200);
  const [latest, earlier] = response.body.results;
  // The RPC upload of C with the `image` type took the main image from B.
  assert.equal([latest.actor, latest.api, latest.event, latest.changes.main_image], ['erp', 'rpc', 'ImageUploaded', [day.pks.b, day.pks.c]]);
  assert.equal([earlier.actor, earlier.api, earlier.event, earlier.correlation_id, earlier.changes.main_image], ['backoffice', 'rest', 'MainImageSet', 'corr-main-b', [null, day.pks.b]]);
  assert.match(latest.occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(earlier.occurred_at < latest.occurred_at);
  const last = await api.request('GET', `/api/v1/products/${day.productPk}/media_history/?changed=main_image&ordering=-occurred_at&limit=1&page=last`);
  assert.equal([last.body.results[0].event, last.body.next], ['MainImageSet', null], 'page=last is the oldest, newest first');
});

test('an entry names its position, revision, event, time, actor, api, correlation id and changes', async ({ api, day }) => {
  const response = await api.request('GET', `/api/v1/product_image/${day.pks.a}/history/`);
  assert.is(response.status, 200);
  const [uploaded] = response.body.results;
  assert.equal(Object.keys(uploaded), ['position', 'revision', 'event', 'occurred_at', 'actor', 'api', 'correlation_id', 'image', 'video', 'changes']);
  assert.equal([uploaded.event, uploaded.revision, uploaded.actor, uploaded.api, uploaded.correlation_id], ['ImageUploaded', 0, 'erp', 'rest', 'corr-upload-a']);
  const reordered = response.body.results.find((entry: { event: string }) => entry.event === 'ImageReordered');
  assert.equal(reordered.changes, { order: [0, 5] });
});

test('a deleted image keeps its history; newest first, event and time filters', async ({ api, day }) => {
  const response = await api.request('GET', `/api/v1/product_image/${day.pks.b}/history/?ordering=-occurred_at`);
  assert.is(response.status, 200);
  assert.equal(response.body.results.map((entry: { event: string }) => entry.event), ['ImageDeleted', 'ImageUploaded', 'MainImageSet', 'ImageUploaded']);
  assert.equal(response.body.results[1].image, day.pks.c, 'the upload of C took the main image from B');
  const deletions = await api.request('GET', `/api/v1/products/${day.productPk}/media_history/?event=ImageDeleted,ImageReordered`);
  assert.equal(deletions.body.results.map((entry: { event: string }) => entry.event), ['ImageReordered', 'ImageDeleted']);
  const [, second] = day.moments;
  const until = await api.request('GET', `/api/v1/products/${day.productPk}/media_history/?occurred_before=${second!.asOf}`);
  assert.is(until.body.results.at(-1).occurred_at, second!.asOf);
  const after = await api.request('GET', `/api/v1/products/${day.productPk}/media_history/?occurred_after=${encodeURIComponent(second!.asOf)}`);
  assert.is(until.body.count + after.body.count - 1, (await api.request('GET', `/api/v1/products/${day.productPk}/media_history/`)).body.count);
});

test('as_of at three moments returns exactly the galleries of those moments', async ({ api, day }) => {
  for (const [index, moment] of day.moments.entries()) {
    assert.equal(await imageList(api, day.productPk, `&as_of=${encodeURIComponent(moment.asOf)}`), moment.list, `moment ${index + 1} by time`);
    assert.equal(await imageList(api, day.productPk, `&at_revision=${moment.revision}`), moment.list, `moment ${index + 1} by revision`);
  }
  const before = await imageList(api, day.productPk, '&as_of=2000-01-01T00:00:00Z');
  assert.equal(before, []);
});

test('the detail endpoint travels too, and a deleted image is found as it was', async ({ api, day }) => {
  const [first, , third] = day.moments;
  const past = await api.request('GET', `/api/v1/product_image/${day.pks.b}/?as_of=${encodeURIComponent(first!.asOf)}`);
  assert.is(past.status, 200);
  assert.equal(past.body, (first!.list as Array<{ pk: number }>).find((image) => image.pk === day.pks.b));
  const gone = await api.request('GET', `/api/v1/product_image/${day.pks.b}/?at_revision=${third!.revision}`);
  assert.equal([gone.status, gone.body], [404, { detail: 'Not found.' }]);
});

test('restore brings a deleted image back with its pk and binary, as a new event', async ({ api, day }) => {
  const before = (day.moments[1]!.list as Array<{ pk: number; image: string }>).find((image) => image.pk === day.pks.b)!;
  const restored = await api.request('POST', `/api/v1/product_image/${day.pks.b}/restore/`);
  assert.is(restored.status, 200);
  assert.equal([restored.body.pk, restored.body.image], [day.pks.b, before.image]);
  const binary = await api.request('GET', new URL(before.image).pathname);
  assert.is(binary.status, 200, 'the binary is still there');
  const history = await api.request('GET', `/api/v1/product_image/${day.pks.b}/history/?ordering=-occurred_at&limit=1`);
  assert.equal([history.body.results[0].event, history.body.results[0].changes], ['ImageRestored', { status: ['deleted', 'live'] }]);
  const again = await api.request('POST', `/api/v1/product_image/${day.pks.b}/restore/`);
  assert.is(again.status, 400);
  const unknown = await api.request('POST', '/api/v1/product_image/999999/restore/');
  assert.equal([unknown.status, unknown.body], [404, { detail: 'Not found.' }]);
});

test('every event records the authenticated user, the API and the X-Correlation-ID, which is returned', async ({ api, day }) => {
  const patched = await api.request('PATCH', `/api/v1/product_image/${day.pks.c}/`, { body: { order: 7 }, headers: { 'x-correlation-id': 'ticket-4711' } });
  assert.is(patched.headers.get('x-correlation-id'), 'ticket-4711');
  const [entry] = (await api.request('GET', `/api/v1/product_image/${day.pks.c}/history/?ordering=-occurred_at&limit=1`)).body.results;
  assert.equal([entry.event, entry.actor, entry.api, entry.correlation_id], ['ImageReordered', 'erp', 'rest', 'ticket-4711']);
  const generated = await api.request('PATCH', `/api/v1/product_image/${day.pks.c}/`, { body: { order: 8 } });
  const [next] = (await api.request('GET', `/api/v1/product_image/${day.pks.c}/history/?ordering=-occurred_at&limit=1`)).body.results;
  assert.is(next.correlation_id, generated.headers.get('x-correlation-id'), 'without one, the request id correlates');
});

test('a video keeps its history after deletion, and its list travels in time', async ({ api, day }) => {
  const data = new FormData();
  data.append('product', String(day.productPk));
  data.append('video', new Blob([await readFile(new URL('../fixtures/minimal.mp4', import.meta.url))], { type: 'video/mp4' }), 'clip.mp4');
  const created = await fetch(`${api.service.url}/api/v1/product_video/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  const video = (await created.json()) as { pk: number };
  assert.is(created.status, 201);
  const listed = (await api.request('GET', `/api/v1/product_video/?product=${day.productPk}`)).body.results;
  assert.is((await api.request('PATCH', `/api/v1/product_video/${video.pk}/`, { body: { order: 3 } })).status, 200);
  assert.is((await api.request('DELETE', `/api/v1/product_video/${video.pk}/`)).status, 204);
  const history = await api.request('GET', `/api/v1/product_video/${video.pk}/history/`);
  assert.equal(history.body.results.map((entry: { event: string; changes: unknown }) => [entry.event, entry.changes]), [
    ['VideoUploaded', { video: [null, video.pk], order: [null, 0] }],
    ['VideoReordered', { order: [0, 3] }],
    ['VideoDeleted', { status: ['live', 'deleted'] }],
  ]);
  const uploadedAt = history.body.results[0].revision;
  const past = await api.request('GET', `/api/v1/product_video/?product=${day.productPk}&at_revision=${uploadedAt}`);
  assert.equal(past.body.results, listed);
  const detail = await api.request('GET', `/api/v1/product_video/${video.pk}/?at_revision=${uploadedAt}`);
  assert.equal(detail.body, listed[0]);
});

test('bad time-travel and history parameters are DRF 400s, unknown pks 404s', async ({ api, day }) => {
  const cases: Array<[string, number, unknown]> = [
    [`/api/v1/product_image/?product=${day.productPk}&as_of=yesterday`, 400, { as_of: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] }],
    [`/api/v1/product_image/?product=${day.productPk}&at_revision=x`, 400, { at_revision: ['A valid integer is required.'] }],
    [`/api/v1/product_video/?product=${day.productPk}&at_revision=-1`, 400, { at_revision: ['Ensure this value is greater than or equal to 0.'] }],
    [`/api/v1/product_image/${day.pks.a}/?at_revision=1&as_of=2024-01-01`, 400, { non_field_errors: ['Give either as_of or at_revision, not both.'] }],
    ['/api/v1/product_image/?as_of=2024-01-01T00:00:00Z', 400, { product: ['This filter is required with as_of or at_revision.'] }],
    [`/api/v1/products/${day.productPk}/media_history/?event=Nope`, 400, { event: ['Select a valid choice. Nope is not one of the available choices.'] }],
    [`/api/v1/products/${day.productPk}/media_history/?changed=main_imag`, 400, { changed: ['Select a valid choice. main_imag is not one of the available choices.'] }],
    [`/api/v1/products/${day.productPk}/media_history/?ordering=pk`, 400, { ordering: ['Select a valid choice. pk is not one of the available choices.'] }],
    [`/api/v1/products/${day.productPk}/media_history/?occurred_after=soon`, 400, { occurred_after: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] }],
    [`/api/v1/products/${day.productPk}/media_history/?occurred_after=2020-02-31`, 400, { occurred_after: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] }],
    [`/api/v1/product_image/?product=${day.productPk}&as_of=2023-13-01T00:00Z`, 400, { as_of: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] }],
    ['/api/v1/products/999999/media_history/', 404, { detail: 'Not found.' }],
    ['/api/v1/product_image/999999/history/', 404, { detail: 'Not found.' }],
    ['/api/v1/product_video/999999/history/', 404, { detail: 'Not found.' }],
    ['/api/v1/product_image/999999/?as_of=2024-01-01', 404, { detail: 'Not found.' }],
  ];
  for (const [path, status, body] of cases) {
    const response = await api.request('GET', path);
    assert.equal([response.status, response.body], [status, body], path);
  }
  assert.is((await api.request('GET', `/api/v1/products/${day.productPk}/media_history/`, { auth: null })).status, 401);
});

test.run();
