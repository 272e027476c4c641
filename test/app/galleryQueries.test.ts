import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { galleryProjection, type ImageView } from '../../projections/gallery.ts';
import { settingsProjection } from '../../projections/settings.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { galleryQueries, type ImageFilter, type Page } from '../../src/app/media/galleryQueries.ts';
import { settingsQueries } from '../../src/app/media/settingsQueries.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import type { RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../src/ports/readModelStore.ts';
import { imageDeleted, imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { recorded } from '../support/projectionSpec.ts';

/** One product's stream; `hour` sets the upload times, so creation order can differ from pk order. */
function galleryLog(productPk: number, hour: string, events: GalleryEvent[]): RecordedEvent[] {
  return events.map((event, revision) =>
    recorded(productMediaStream(productPk), revision, event.type, event.data, `2024-05-25T${hour}:00:${String(revision).padStart(2, '0')}.000000Z`),
  );
}

/**
 * Product 10: images 101 (order 0), 102 (2, unified), 103 (1), 104 (1, unified), 105 (deleted),
 * videos 110 (order 0) and 111 (deleted). Product 11, uploaded earlier: images 111 (0, unified),
 * 112 (3). Product 30: videos 301 (order 1), 302 (0).
 */
const catalog = [
  ...galleryLog(11, '09', [imageUploaded(11, 111, { order: 0, source: 'unified' }), imageUploaded(11, 112, { order: 3 })]),
  ...galleryLog(10, '10', [
    imageUploaded(10, 101, { order: 0, roles: ['image'] }),
    imageUploaded(10, 102, { order: 2, source: 'unified' }),
    imageUploaded(10, 103, { order: 1 }),
    imageUploaded(10, 104, { order: 1, source: 'unified' }),
    imageUploaded(10, 105, { order: 0 }),
    imageDeleted(10, 105),
    videoUploaded(10, 110, 0),
    videoUploaded(10, 111, 0),
    { type: 'VideoDeleted', data: { videoPk: 111, key: 'k' } },
  ]),
  ...galleryLog(30, '11', [videoUploaded(30, 301, 1), videoUploaded(30, 302, 0)]),
];

function commitAll(store: ReadModelStore, projection: Projection, events: RecordedEvent[]) {
  store.catchUpFinished(projection.name);
  store.commit(projection, (tx) => events.forEach((event) => projection.apply(tx, event)), events[events.length - 1]!.position);
}

const test = suite<{ dir: string; store: ReadModelStore }>('gallery queries over LMDB');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'gallery-queries-'));
  context.store = openLmdbReadModelStore({ path: context.dir });
  commitAll(context.store, galleryProjection, catalog);
});
test.after.each(async ({ dir, store }) => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const all: Page = { offset: 0, limit: 100 };
const pks = (items: Array<{ pk: number }>) => items.map((item) => item.pk);
const listed = (store: ReadModelStore, filter: ImageFilter, page: Page = all) => {
  const { count, items } = galleryQueries(store).listImages(filter, page);
  return { count, pks: pks(items) };
};

test('image(pk) answers live images; deleted ones only when asked', ({ store }) => {
  const queries = galleryQueries(store);
  assert.equal(queries.image(101)?.roles, ['image']);
  assert.is(queries.image(105), undefined);
  assert.is(queries.image(105, { includeDeleted: true })?.status, 'deleted');
  assert.is(queries.image(999), undefined);
});

test('video(pk) answers live videos; deleted ones only when asked', ({ store }) => {
  const queries = galleryQueries(store);
  assert.is(queries.video(110)?.productPk, 10);
  assert.is(queries.video(111), undefined);
  assert.is(queries.video(111, { includeDeleted: true })?.status, 'deleted');
});

test('imageByFile finds a live image by exact gallery file name within its product', ({ store }) => {
  const queries = galleryQueries(store);
  assert.is(queries.imageByFile(10, '/i/m/image_103.jpg')?.pk, 103);
  assert.is(queries.imageByFile(11, '/i/m/image_103.jpg'), undefined);
  assert.is(queries.imageByFile(10, '/i/m/image_105.jpg'), undefined, 'deleted');
  assert.is(queries.imageByFile(10, '/I/M/IMAGE_103.JPG'), undefined);
});

test('galleryOf lists one product\'s live images in (order, pk) order', ({ store }) => {
  assert.equal(pks(galleryQueries(store).galleryOf(10)), [101, 103, 104, 102]);
  assert.equal(pks(galleryQueries(store).galleryOf(11)), [111, 112]);
  assert.equal(galleryQueries(store).galleryOf(12), []);
});

test('listImages of one product: order then pk, counted, paged', ({ store }) => {
  assert.equal(listed(store, { productPk: 10 }), { count: 4, pks: [101, 103, 104, 102] });
  assert.equal(listed(store, { productPk: 10 }, { offset: 1, limit: 2 }), { count: 4, pks: [103, 104] });
  assert.equal(listed(store, { productPk: 10 }, { offset: 2, limit: 2 }), { count: 4, pks: [104, 102] });
  assert.equal(listed(store, { productPk: 10 }, { offset: 3, limit: 2 }), { count: 4, pks: [102] });
  assert.equal(listed(store, { productPk: 10 }, { offset: 4, limit: 2 }), { count: 4, pks: [] });
  assert.equal(listed(store, { productPk: 10 }, { offset: 9, limit: 2 }), { count: 4, pks: [] });
  assert.equal(listed(store, { productPk: 10, ordering: ['-order'] }, { offset: 0, limit: 3 }), { count: 4, pks: [102, 104, 103] });
  assert.equal(listed(store, { productPk: 12 }), { count: 0, pks: [] });
});

test('listImages of the whole catalog: order then pk, counted, paged', ({ store }) => {
  assert.equal(listed(store, {}), { count: 6, pks: [101, 111, 103, 104, 102, 112] });
  assert.equal(listed(store, {}, { offset: 2, limit: 2 }), { count: 6, pks: [103, 104] });
  assert.equal(listed(store, {}, { offset: 5, limit: 2 }), { count: 6, pks: [112] });
  assert.equal(listed(store, {}, { offset: 6, limit: 2 }), { count: 6, pks: [] });
  assert.equal(listed(store, { ordering: ['-order'] }), { count: 6, pks: [112, 102, 104, 103, 111, 101] });
  assert.equal(listed(store, { ordering: ['-order'] }, { offset: 1, limit: 2 }), { count: 6, pks: [102, 104] });
});

test('listImages filters by source', ({ store }) => {
  assert.equal(listed(store, { source: 'unified' }), { count: 3, pks: [111, 104, 102] });
  assert.equal(listed(store, { source: 'integration', productPk: 10 }), { count: 2, pks: [101, 103] });
  assert.equal(listed(store, { source: 'unified' }, { offset: 1, limit: 1 }), { count: 3, pks: [104] });
});

test('listImages filters by a list of products, combined with product as both conditions', ({ store }) => {
  assert.equal(listed(store, { productPkIn: [11, 10, 11] }), { count: 6, pks: [101, 111, 103, 104, 102, 112] });
  assert.equal(listed(store, { productPkIn: [11, 30] }), { count: 2, pks: [111, 112] });
  assert.equal(listed(store, { productPkIn: [11], productPk: 10 }), { count: 0, pks: [] });
  assert.equal(listed(store, { productPkIn: [10, 11], productPk: 10 }, { offset: 0, limit: 2 }), { count: 4, pks: [101, 103] });
  assert.equal(listed(store, { productPkIn: [] }), { count: 0, pks: [] });
});

test('listImages orders by pk and by creation date, either way', ({ store }) => {
  assert.equal(listed(store, { ordering: ['pk'] }).pks, [101, 102, 103, 104, 111, 112]);
  assert.equal(listed(store, { ordering: ['-pk'] }).pks, [112, 111, 104, 103, 102, 101]);
  assert.equal(listed(store, { ordering: ['created_date'] }).pks, [111, 112, 101, 102, 103, 104]);
  assert.equal(listed(store, { ordering: ['-created_date'] }).pks, [104, 103, 102, 101, 112, 111]);
  assert.equal(listed(store, { ordering: ['-pk'], productPk: 10 }, { offset: 1, limit: 2 }), { count: 4, pks: [103, 102] });
  assert.equal(listed(store, { ordering: ['created_date'], productPkIn: [10, 11], source: 'unified' }).pks, [111, 102, 104]);
});

test('listImages orders by several keys, most significant first; ties end by pk in the last key\'s direction', ({ store }) => {
  assert.equal(listed(store, { ordering: ['-order', 'pk'] }).pks, [112, 102, 103, 104, 101, 111]);
  assert.equal(listed(store, { ordering: ['-order'] }).pks, [112, 102, 104, 103, 111, 101]);
  assert.equal(listed(store, { ordering: ['order', '-pk'] }).pks, [111, 101, 104, 103, 102, 112]);
  assert.equal(listed(store, { ordering: ['pk', '-order'] }).pks, [101, 102, 103, 104, 111, 112]);
  assert.equal(listed(store, { ordering: ['order', 'pk'], productPk: 10 }, { offset: 1, limit: 2 }), { count: 4, pks: [103, 104] });
});

test('listImages items are the whole views', ({ store }) => {
  const [first] = galleryQueries(store).listImages({ productPk: 10 }, { offset: 0, limit: 1 }).items as [ImageView];
  assert.equal(first, galleryQueries(store).image(101));
});

test('listVideos: live videos by product or catalog, any ordering, paged', ({ store }) => {
  const queries = galleryQueries(store);
  const list = (filter: Parameters<typeof queries.listVideos>[0], page: Page = all) => {
    const { count, items } = queries.listVideos(filter, page);
    return { count, pks: pks(items) };
  };
  assert.equal(list({}), { count: 3, pks: [110, 302, 301] });
  assert.equal(list({}, { offset: 1, limit: 1 }), { count: 3, pks: [302] });
  assert.equal(list({ productPk: 30 }), { count: 2, pks: [302, 301] });
  assert.equal(list({ productPk: 10 }), { count: 1, pks: [110] });
  assert.equal(list({ productPkIn: [10, 30], ordering: ['-pk'] }), { count: 3, pks: [302, 301, 110] });
  assert.equal(list({ ordering: ['-created_date'] }, { offset: 0, limit: 2 }), { count: 3, pks: [302, 301] });
});

test('a product\'s cached list follows every new event of its gallery', ({ store }) => {
  const queries = galleryQueries(store);
  assert.equal(pks(queries.galleryOf(10)), [101, 103, 104, 102]);
  assert.equal(pks(queries.listImages({ productPk: 10 }, all).items), [101, 103, 104, 102]);
  const [reordered] = galleryLog(10, '12', [{ type: 'ImageReordered', data: { imagePk: 102, order: 0, previousOrder: 2 } }]);
  const next = { ...reordered!, revision: 9 };
  store.commit(galleryProjection, (tx) => galleryProjection.apply(tx, next), next.position);
  assert.equal(pks(queries.galleryOf(10)), [101, 102, 103, 104]);
  assert.equal(pks(queries.listImages({ productPk: 10 }, { offset: 1, limit: 1 }).items), [102]);
  assert.equal(pks(galleryQueries(store, { cachedProducts: 0 }).galleryOf(10)), [101, 102, 103, 104]);
});

test('shared list items are frozen, so no caller can change another\'s answer', ({ store }) => {
  const [first] = galleryQueries(store).galleryOf(10) as [ImageView];
  assert.throws(() => {
    first.label = 'changed';
  });
  assert.throws(() => first.roles.push('thumbnail'));
});

test('an empty catalog lists nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gallery-queries-empty-'));
  const store = openLmdbReadModelStore({ path: dir });
  try {
    assert.equal(galleryQueries(store).listImages({}, all), { count: 0, items: [] });
    assert.equal(galleryQueries(store).listVideos({ productPk: 1 }, all), { count: 0, items: [] });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();

const settings = suite<{ dir: string; store: ReadModelStore }>('settings queries over LMDB');
settings.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'settings-queries-'));
  context.store = openLmdbReadModelStore({ path: context.dir });
});
settings.after.each(async ({ dir, store }) => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

settings('a setting never changed answers its default', ({ store }) => {
  const queries = settingsQueries(store);
  assert.equal(queries.setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 2000, HEIGHT: 2000 });
  assert.equal(queries.listSettings(), [{ key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 2000, HEIGHT: 2000 }, modifiedAt: null, revision: null }]);
});

settings('a default answered cannot be changed by its caller', ({ store }) => {
  const queries = settingsQueries(store);
  const answered = queries.setting('MAX_IMAGE_DIMENSIONS');
  assert.throws(() => {
    answered.WIDTH = 10;
  }, TypeError);
  assert.equal(queries.setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 2000, HEIGHT: 2000 });
});

settings('a changed setting answers the last value set', ({ store }) => {
  const change = (revision: number, size: number, previous: number) =>
    recorded('settings', revision, 'SettingChanged', {
      key: 'MAX_IMAGE_DIMENSIONS',
      value: { WIDTH: size, HEIGHT: size },
      previousValue: { WIDTH: previous, HEIGHT: previous },
    }, `2024-05-25T10:00:0${revision}.000000Z`);
  commitAll(store, settingsProjection, [change(0, 3000, 2000), change(1, 500, 3000)]);
  const queries = settingsQueries(store);
  assert.equal(queries.setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 500, HEIGHT: 500 });
  assert.equal(queries.listSettings(), [
    { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 500, HEIGHT: 500 }, modifiedAt: '2024-05-25T10:00:01.000000Z', revision: 1 },
  ]);
});

settings.run();
