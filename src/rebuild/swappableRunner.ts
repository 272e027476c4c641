import type { ProjectionRunner } from '../projections/projectionRunner.ts';

/** A projection runner that can be replaced by another of the same projection while requests wait on it. */
export interface SwappableRunner extends ProjectionRunner {
  current(): ProjectionRunner;
  /** From now on every call goes to `next`; @returns the runner it replaced and a promise of the end of the waits still on it. */
  swap(next: ProjectionRunner): { previous: ProjectionRunner; drained: Promise<void> };
}

/**
 * Stands for one read model's runner in everything that holds runners (the log watcher, the lag
 * gauges, read-your-writes): they keep their reference, and a swap moves them all at once. The
 * waits begun on the replaced runner are counted, so its owner stops it only when the last one
 * has settled (each is bounded by its own timeout): a write answered during a switch waited on
 * the read model it was measured against.
 */
export function swappableRunner(initial: ProjectionRunner): SwappableRunner {
  let runner = initial;
  const pending = new Map<ProjectionRunner, { count: number; idle?: () => void }>();
  const track = (owner: ProjectionRunner, wait: Promise<boolean>): Promise<boolean> => {
    const entry = pending.get(owner) ?? { count: 0 };
    entry.count += 1;
    pending.set(owner, entry);
    return wait.finally(() => {
      entry.count -= 1;
      if (entry.count > 0) return;
      pending.delete(owner);
      entry.idle?.();
    });
  };
  return {
    projection: initial.projection,
    current: () => runner,
    swap(next) {
      const previous = runner;
      runner = next;
      const entry = pending.get(previous);
      const drained = entry === undefined ? Promise.resolve() : new Promise<void>((resolve) => (entry.idle = resolve));
      return { previous, drained };
    },
    isCaughtUp: () => runner.isCaughtUp(),
    status: () => runner.status(),
    position: () => runner.position(),
    lastEvent: () => runner.lastEvent(),
    waitFor(position, timeoutMs) {
      const wait = runner.waitFor(position, timeoutMs);
      return track(runner, wait);
    },
    stop: () => runner.stop(),
  };
}
