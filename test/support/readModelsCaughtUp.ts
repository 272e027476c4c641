import type { RunningService } from '../../src/service.ts';

/**
 * Waits until every read model of `service` includes the newest event in the event store that
 * feeds it (the store may be shared with other instances).
 *
 * A write through one instance reaches another's read models a moment later; tests that write
 * through one instance and read through another wait with this for now. The cross-instance read
 * guard (each request waits until the local read models reach the store's head) will make these
 * waits unnecessary.
 */
export async function readModelsCaughtUp(service: RunningService, timeoutMs = 10_000): Promise<void> {
  const newestFirst = await service.eventStore.readAll({ direction: 'backwards', maxCount: 10_000 });
  for (const runner of service.projections.runners) {
    const { streamNamePrefixes, name } = runner.projection;
    const newest = newestFirst.find((event) => streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix)));
    if (newest !== undefined && !(await runner.waitFor(newest.position, timeoutMs))) {
      throw new Error(`read model ${name} did not reach ${newest.position} within ${timeoutMs} ms`);
    }
  }
}
