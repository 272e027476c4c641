import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Position } from '../../src/ports/eventStore.ts';
import type { Projection } from '../../src/ports/readModelStore.ts';
import type { ProjectionRunner } from '../../src/projections/projectionRunner.ts';
import { swappableReadModelStore } from '../../src/rebuild/swappableReadModelStore.ts';
import { swappableRunner } from '../../src/rebuild/swappableRunner.ts';
import { memoryReadModelStore } from '../support/memoryReadModelStore.ts';

const test = suite('swappable read models and runners');
const projection: Projection = { name: 'things', version: 1, tables: ['things'], streamNamePrefixes: ['thing-'], apply: () => {} };
const at = (n: number) => String(n).padStart(8, '0') as Position;

test('reads go to the current store; a swap hands back the old one and changes() only moves forward', () => {
  const old = memoryReadModelStore();
  const fresh = memoryReadModelStore();
  for (let n = 0; n < 5; n++) old.commit(projection, (tx) => tx.put('things', n, `old ${n}`), at(n));
  fresh.commit(projection, (tx) => tx.put('things', 1, 'new 1'), at(9));
  const store = swappableReadModelStore(old);
  assert.is(store.get('things', 1), 'old 1');
  assert.is(store.count('things'), 5);
  const before = store.changes();
  assert.ok(fresh.changes() <= before, 'the new store has counted fewer changes');
  assert.is(store.swap(fresh), old);
  assert.is(store.current(), fresh);
  assert.is(store.get('things', 1), 'new 1');
  assert.equal(store.range('things'), [{ key: 1, value: 'new 1' }]);
  assert.is(store.checkpoint('things')?.position, at(9));
  const after = store.changes();
  assert.ok(after > before, `${after} > ${before}`);
  fresh.commit(projection, (tx) => tx.put('things', 2, 'new 2'), at(10));
  assert.is(store.changes(), after + 1);
});

/** A runner whose waits resolve when the test says. */
function heldRunner(name: string) {
  const pending: Array<(reached: boolean) => void> = [];
  const runner = {
    projection,
    name,
    isCaughtUp: () => true,
    status: () => ({ name, state: 'live' as const }),
    position: () => at(name === 'old' ? 1 : 2),
    lastEvent: () => at(1),
    waitFor: () => new Promise<boolean>((resolve) => pending.push(resolve)),
    stop: async () => {},
  } satisfies ProjectionRunner & { name: string };
  return { runner, release: () => pending.splice(0).forEach((resolve) => resolve(true)), waiting: () => pending.length };
}

test('a swap moves every call to the new runner; drained resolves once the waits begun on the old one settle', async () => {
  const old = heldRunner('old');
  const fresh = heldRunner('new');
  const runner = swappableRunner(old.runner);
  const waits = [runner.waitFor(at(5), 1000), runner.waitFor(at(6), 1000)];
  const { previous, drained } = runner.swap(fresh.runner);
  assert.is(previous, old.runner);
  assert.is(runner.position(), at(2));
  const later = runner.waitFor(at(7), 1000);
  assert.is(fresh.waiting(), 1);
  let done = false;
  void drained.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.not.ok(done, 'drained while waits were still on the old runner');
  old.release();
  assert.equal(await Promise.all(waits), [true, true]);
  await drained;
  fresh.release();
  assert.is(await later, true);
});

test('drained resolves at once when nothing waits on the old runner', async () => {
  const runner = swappableRunner(heldRunner('old').runner);
  await runner.swap(heldRunner('new').runner).drained;
});

test.run();
