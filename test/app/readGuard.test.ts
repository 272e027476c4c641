import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readGuard } from '../../src/app/readGuard.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore, Position } from '../../src/ports/eventStore.ts';
import type { LogWatcher } from '../../src/projections/logWatcher.ts';

const position = (n: number) => String(n).padStart(16, '0') as Position;

/** A store whose head reads are answered by the test, one at a time, and counted. */
function controlledHead() {
  const pending: Array<(head: Position | undefined) => void> = [];
  let reads = 0;
  const store = {
    readAll: () =>
      new Promise((resolve) => {
        reads += 1;
        pending.push((head) => resolve(head === undefined ? [] : [{ position: head }]));
      }),
  } as unknown as EventStore;
  return { store, answer: (head: Position | undefined) => pending.shift()!(head), reads: () => reads, waiting: () => pending.length };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('requests share head reads: one in flight, one queued, whatever the load', async () => {
  const head = controlledHead();
  const reached: Position[] = [];
  const watcher: LogWatcher = { reach: async (at) => (reached.push(at), true), stop() {} };
  const guard = readGuard({ eventStore: head.store, watcher, timeoutMs: 1000, logger: silentLogger });
  const first = guard.caughtUp();
  const during = Array.from({ length: 50 }, () => guard.caughtUp());
  await tick();
  assert.is(head.reads(), 1, 'the first read is in flight; the others wait for the next');
  head.answer(position(5));
  await tick();
  assert.is(head.reads(), 2, 'one more read, started after they arrived, serves all fifty');
  head.answer(position(9));
  await Promise.all([first, ...during]);
  assert.equal([...new Set(reached)], [position(5), position(9)], 'the first waits for the head it read, the others for the later one');
});

test('a head already reached costs no wait; the store not answering lets the request through', async () => {
  const head = controlledHead();
  let waits = 0;
  const watcher: LogWatcher = { reach: async () => (waits++, true), stop() {} };
  const guard = readGuard({ eventStore: head.store, watcher, timeoutMs: 1000, logger: silentLogger });
  const first = guard.caughtUp();
  await tick();
  head.answer(position(7));
  await first;
  const again = guard.caughtUp();
  await tick();
  head.answer(position(7));
  await again;
  assert.is(waits, 1, 'the same head is not waited for twice');
  const failing = readGuard({ eventStore: { readAll: () => Promise.reject(new Error('down')) } as unknown as EventStore, watcher, timeoutMs: 1000, logger: silentLogger });
  await failing.caughtUp();
});

test('an engine that knows its head (the embedded one) is asked it, never read: each request waits for the head as of its arrival', async () => {
  let head: Position | undefined;
  let reads = 0;
  const store = { headPosition: () => head, readAll: async () => (reads++, []) } as unknown as EventStore;
  const waited: Position[] = [];
  const watcher: LogWatcher = { reach: async (at) => (waited.push(at), true), stop() {} };
  const guard = readGuard({ eventStore: store, watcher, timeoutMs: 1000, logger: silentLogger });
  await guard.caughtUp();
  head = position(3);
  await guard.caughtUp();
  await guard.caughtUp();
  head = position(8);
  await guard.caughtUp();
  assert.equal([waited, reads], [[position(3), position(8)], 0]);
});

test.run();
