import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregateCache } from '../../src/app/aggregateCache.ts';
import { freezeAndMeasure } from '../../src/app/frozenSize.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import { imageUploaded } from '../domain/galleryFixtures.ts';

const test = suite('aggregate cache');
const decider = {};
const otherDecider = {};
const state = (n: number) => ({ status: 'active', label: `state ${n}`.padEnd(100, '.') });

/** The bytes one entry of `state(n)` under a 9-character stream name costs. */
function entryBytes(): number {
  const probe = aggregateCache(1_000_000);
  probe.remember('stream-00', decider, state(0), 0);
  return probe.usage().bytes;
}

test('the least recently used state leaves first once the estimated bytes pass the budget', () => {
  const cache = aggregateCache(Math.floor(4.5 * entryBytes()));
  for (const n of [1, 2, 3, 4]) cache.remember(`stream-0${n}`, decider, state(n), n);
  assert.is(cache.get('stream-01', decider)?.revision, 1, 'used: now the most recent');
  cache.remember('stream-05', decider, state(5), 5);
  assert.is(cache.get('stream-02', decider), undefined, 'the least recently used left');
  assert.equal([1, 3, 4, 5].map((n) => cache.get(`stream-0${n}`, decider)?.revision), [1, 3, 4, 5]);
  assert.equal(cache.usage(), { entries: 4, bytes: 4 * entryBytes() });
});

test('a state larger than a quarter of the budget is not kept', () => {
  const cache = aggregateCache(4 * entryBytes() - 1);
  const kept = cache.remember('stream-01', decider, state(1), 7);
  assert.equal(kept, { state: state(1), revision: 7 }, 'the caller still gets the state');
  assert.is(cache.get('stream-01', decider), undefined);
  assert.equal(cache.usage(), { entries: 0, bytes: 0 });
});

test('a state is handed only to the decider that folded it, and an earlier revision never replaces a later one', () => {
  const cache = aggregateCache(1_000_000);
  cache.remember('stream-01', decider, state(1), 5);
  assert.is(cache.get('stream-01', otherDecider), undefined);
  cache.remember('stream-01', decider, state(0), 4);
  assert.equal(cache.get('stream-01', decider), { state: state(1), revision: 5 });
  cache.forget('stream-01');
  assert.is(cache.get('stream-01', decider), undefined);
  assert.equal(cache.usage(), { entries: 0, bytes: 0 });
});

test('with no budget nothing is kept or frozen', () => {
  const cache = aggregateCache(0);
  const value = state(1);
  cache.remember('stream-01', decider, value, 1);
  assert.is(cache.get('stream-01', decider), undefined);
  assert.not.ok(Object.isFrozen(value));
});

test('kept states are frozen all the way down, and a gallery of ten images is estimated at about 5 KB', () => {
  const uploads = Array.from({ length: 10 }, (_, n) =>
    imageUploaded(16201, 100 + n, { order: n, file: `/d/e/desk-lamp-front-${n}.jpg`, label: 'Desk lamp, front view', roles: n === 0 ? ['image'] : [] }),
  );
  const gallery = uploads.reduce(galleryDecider.evolve, galleryDecider.initialState());
  const cache = aggregateCache(1_000_000);
  cache.remember('productMedia-16201', galleryDecider, gallery, 9);
  assert.ok(gallery.status === 'active' && Object.isFrozen(gallery.images[0]!.roles));
  assert.throws(() => (gallery as { status: string }).status = 'empty', TypeError);
  const bytes = cache.usage().bytes;
  assert.ok(bytes > 4_000 && bytes < 6_000, `${bytes} bytes`);
});

test('a measured object is not walked again: a new state pays for what changed and the arrays holding it', () => {
  let walks = 0;
  const image = {
    get label() {
      walks += 1;
      return 'front';
    },
  };
  const first = { images: [image] };
  const second = { images: [image, { label: 'back' }] };
  const firstBytes = freezeAndMeasure(first);
  assert.ok(freezeAndMeasure(second) > firstBytes);
  assert.is(walks, 1, 'the shared image was measured once');
  assert.ok(Object.isFrozen(second.images[1]));
});

test.run();
