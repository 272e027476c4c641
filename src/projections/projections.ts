import type { Logger } from '../logging/logger.ts';
import type { EventStore, Position } from '../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../ports/readModelStore.ts';
import { startProjection, type ProjectionRunner } from './projectionRunner.ts';

export interface Projections {
  /** True once every read model has caught up with the history that existed at start. */
  isReady(): boolean;
  /**
   * Read-your-writes: resolves once every read model fed by `streamName` includes `position`.
   * Read models that never see that stream do not hold the caller up.
   */
  waitFor(position: Position, streamName: string): Promise<void>;
  runners: readonly ProjectionRunner[];
  stop(): Promise<void>;
}

/** Starts one runner per read model. */
export function startProjections(
  deps: { eventStore: EventStore; readModels: ReadModelStore; logger: Logger; waitTimeoutMs?: number },
  projections: readonly Projection[],
): Projections {
  const runners = projections.map((projection) => startProjection(deps, projection));
  const waitTimeoutMs = deps.waitTimeoutMs ?? 10_000;
  return {
    runners,
    isReady: () => runners.every((runner) => runner.isCaughtUp()),
    async waitFor(position, streamName) {
      const fed = runners.filter((runner) =>
        runner.projection.streamNamePrefixes.some((prefix) => streamName.startsWith(prefix)),
      );
      await Promise.all(fed.map((runner) => runner.waitFor(position, waitTimeoutMs)));
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
