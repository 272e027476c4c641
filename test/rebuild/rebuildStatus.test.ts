import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReadModelRebuildEvent } from '../../src/rebuild/domain/rebuildEvents.ts';
import { rebuildStatus } from '../../src/rebuild/domain/rebuildStatus.ts';

const test = suite('rebuildStatus');
const rebuildId = '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';
let second = 0;
const event = (e: ReadModelRebuildEvent) => ({ ...e, metadata: { occurredAt: `2026-01-01T00:00:${String(second++).padStart(2, '0')}.000000Z` } });

test('no events: no rebuild', () => {
  assert.is(rebuildStatus([]), undefined);
});

test('folds the request and each instance: building with its last progress, switched, failed with the reason', () => {
  second = 0;
  const status = rebuildStatus([
    event({ type: 'ReadModelRebuildRequested', data: { rebuildId, projection: 'products', requestedBy: 'erp' } }),
    event({ type: 'ReadModelRebuildStarted', data: { rebuildId, instance: 'a' } }),
    event({ type: 'ReadModelRebuildStarted', data: { rebuildId, instance: 'b' } }),
    event({ type: 'ReadModelRebuildStarted', data: { rebuildId, instance: 'c' } }),
    event({ type: 'ReadModelRebuildProgressed', data: { rebuildId, instance: 'a', events: 10 } }),
    event({ type: 'ReadModelRebuildProgressed', data: { rebuildId, instance: 'b', events: 20 } }),
    event({ type: 'ReadModelRebuildSwitched', data: { rebuildId, instance: 'b', events: 30, seconds: 1.5 } }),
    event({ type: 'ReadModelRebuildFailed', data: { rebuildId, instance: 'c', reason: 'stopped' } }),
    // A progress report that arrives after the switch changes nothing.
    event({ type: 'ReadModelRebuildProgressed', data: { rebuildId, instance: 'b', events: 25 } }),
  ]);
  assert.equal(status, {
    rebuildId,
    projection: 'products',
    requestedBy: 'erp',
    requestedAt: '2026-01-01T00:00:00.000000Z',
    instances: [
      { instance: 'a', state: 'building', events: 10, startedAt: '2026-01-01T00:00:01.000000Z', finishedAt: null, reason: null },
      { instance: 'b', state: 'switched', events: 30, startedAt: '2026-01-01T00:00:02.000000Z', finishedAt: '2026-01-01T00:00:06.000000Z', reason: null },
      { instance: 'c', state: 'failed', events: 0, startedAt: '2026-01-01T00:00:03.000000Z', finishedAt: '2026-01-01T00:00:07.000000Z', reason: 'stopped' },
    ],
  });
});

test.run();
