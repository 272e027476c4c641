import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IMAGES_BY_GALLERY_FILE_TABLE } from '../../projections/galleryFiles.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { galleryFileNames } from '../../src/app/galleryFiles/galleryFileNames.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import type { ReadModelStore } from '../../src/ports/readModelStore.ts';

interface Context {
  path: string;
  store: EventStore;
  /** Appends tried, and those refused as the stream existed. */
  appends: { tried: number };
  counted: EventStore;
}

const CONTEXT = { correlationId: 'c', causationId: 'c', actor: 'erp', api: 'rpc' as const };
const clock = () => '2024-05-25T10:00:00.000000Z';
/** A read model that knows `names` as taken (and nothing else). */
const readModelKnowing = (...names: string[]) =>
  ({ get: (table: string, key: unknown) => (table === IMAGES_BY_GALLERY_FILE_TABLE && names.includes(key as string) ? 7 : undefined) }) as unknown as ReadModelStore;

const test = suite<Context>('gallery file name reservations');
test.before.each(async (context) => {
  context.path = await mkdtemp(join(tmpdir(), 'gallery-file-names-'));
  context.store = await openLmdbEventStore({ path: context.path });
  context.appends = { tried: 0 };
  const { store, appends } = context;
  context.counted = { ...store, appendToStream: (...args) => (appends.tried++, store.appendToStream(...args)) };
});
test.after.each(async ({ store, path }) => {
  await store.close();
  await rm(path, { recursive: true, force: true });
});

const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const expectedNames = (count: number) => sorted(Array.from({ length: count }, (_, index) => (index === 0 ? '/i/m/image.png' : `/i/m/image_${index}.png`)));

test('concurrent reservations of one name on one instance get consecutive names, one append each', async ({ counted, appends }) => {
  const names = galleryFileNames({ eventStore: counted, readModels: readModelKnowing(), clock });
  const reserved = await Promise.all(Array.from({ length: 20 }, (_, index) => names.reserve('/i/m/image.png', index + 1, CONTEXT)));
  assert.equal(sorted(reserved), expectedNames(20));
  assert.is(appends.tried, 20, 'no race lost to itself');
  // Later ones start after the last name taken: still one append each.
  assert.is(await names.reserve('/i/m/image.png', 99, CONTEXT), '/i/m/image_20.png');
  assert.is(appends.tried, 21);
});

test('two instances on one store never hand out one name; the loser tries the next', async ({ counted, store }) => {
  const [a, b] = [galleryFileNames({ eventStore: counted, readModels: readModelKnowing(), clock }), galleryFileNames({ eventStore: counted, readModels: readModelKnowing(), clock })];
  const reserved = await Promise.all(Array.from({ length: 16 }, (_, index) => (index % 2 === 0 ? a : b).reserve('/i/m/image.png', index + 1, CONTEXT)));
  assert.equal(sorted(reserved), expectedNames(16));
  const events = (await store.readAll()).filter((event) => event.type === 'GalleryFileReserved');
  assert.equal(sorted(events.map((event) => (event.data as { file: string }).file)), expectedNames(16), 'one event per name');
  assert.equal(events[0]!.metadata, { correlationId: 'c', causationId: 'c', actor: 'erp', api: 'rpc', occurredAt: clock(), schemaVersion: 1 });
});

test('names the read model knows as taken are skipped without a write', async ({ counted, appends }) => {
  const names = galleryFileNames({ eventStore: counted, readModels: readModelKnowing('/i/m/image.png', '/i/m/image_1.png'), clock });
  assert.is(await names.reserve('/i/m/image.png', 1, CONTEXT), '/i/m/image_2.png');
  assert.is(appends.tried, 1);
  assert.is(await names.reserve('/l/a/lamp.jpg', 1, CONTEXT), '/l/a/lamp.jpg', 'another name starts at itself');
});

test('a store failure is not taken for a lost race', async ({ store }) => {
  const failing: EventStore = { ...store, appendToStream: async () => Promise.reject(new Error('disk on fire')) };
  const names = galleryFileNames({ eventStore: failing, readModels: readModelKnowing(), clock });
  await names.reserve('/i/m/image.png', 1, CONTEXT).then(
    () => assert.unreachable('reserved'),
    (error: Error) => assert.is(error.message, 'disk on fire'),
  );
});

test.run();
