import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { fixedStepClock } from '../../src/app/clock.ts';
import { pkAllocator } from '../../src/app/pkAllocator.ts';

const test = suite('pk allocator');
const context = { actor: 'erp', api: 'rest' as const, correlationId: 'c', causationId: 'c' };

test('pks are unique and dense across concurrent instances sharing a store, and never reused after a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-allocator-'));
  try {
    let eventStore = await openLmdbEventStore({ path: dir });
    // Two "instances": independent allocators over one event store.
    const instanceA = pkAllocator({ eventStore, clock: fixedStepClock() });
    const instanceB = pkAllocator({ eventStore, clock: fixedStepClock() });
    const pks = await Promise.all(
      Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? instanceA : instanceB)('image', context)),
    );
    assert.equal([...pks].sort((a, b) => a - b), Array.from({ length: 200 }, (_, index) => index + 1));
    await eventStore.close();

    eventStore = await openLmdbEventStore({ path: dir });
    const afterRestart = pkAllocator({ eventStore, clock: fixedStepClock() });
    assert.is(await afterRestart('image', context), 201);
    assert.is(await afterRestart('product', context), 1, 'each kind has its own sequence');
    await eventStore.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
