import type { Logger } from '../logging/logger.ts';
import type { EventStore, Position } from '../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../ports/readModelStore.ts';
import { startProjection, type ProjectionRunner, type ProjectionRunnerDeps, type ProjectionStatus } from './projectionRunner.ts';

export interface Projections {
  /** True once every read model has caught up with the history that existed at start. */
  isReady(): boolean;
  /** Where each read model stands (for `/ready`). */
  statuses(): ProjectionStatus[];
  /**
   * Read-your-writes: resolves `true` once every read model fed by `streamName` includes
   * `position`, `false` when one does not within the wait or cannot for now (its commits fail,
   * it failed): the caller then answers from the event store. Never rejects. Read models that
   * never see that stream do not hold the caller up.
   */
  waitFor(position: Position, streamName: string): Promise<boolean>;
  runners: readonly ProjectionRunner[];
  stop(): Promise<void>;
}

/** Starts one runner per read model. */
export function startProjections(
  deps: { eventStore: EventStore; readModels: ReadModelStore; logger: Logger; waitTimeoutMs?: number } & Pick<ProjectionRunnerDeps, 'commitRetryDelays'>,
  projections: readonly Projection[],
): Projections {
  return projectionsOver(
    projections.map((projection) => startProjection(deps, projection)),
    deps.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
  );
}

/** How long read-your-writes waits for a read model by default. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

/** The read models of `runners` as one (runners started here, or stand-ins for them: src/rebuild/swappableRunner.ts). */
export function projectionsOver(runners: readonly ProjectionRunner[], waitTimeoutMs: number): Projections {
  return {
    runners,
    isReady: () => runners.every((runner) => runner.isCaughtUp()),
    statuses: () => runners.map((runner) => runner.status()),
    waitFor(position, streamName) {
      const fed = runners.filter((runner) =>
        runner.projection.streamNamePrefixes.some((prefix) => streamName.startsWith(prefix)),
      );
      if (fed.length === 1) return fed[0]!.waitFor(position, waitTimeoutMs);
      return Promise.all(fed.map((runner) => runner.waitFor(position, waitTimeoutMs))).then((reached) => reached.every(Boolean));
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
