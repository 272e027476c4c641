import { rm } from 'node:fs/promises';
import type { Logger } from '../../logging/logger.ts';
import { comparePositions, type EventStore } from '../../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../ports/readModelStore.ts';
import type { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { startProjections, type Projections } from '../../projections/projections.ts';
import { besideReadModels, pointReadModelsAt } from '../readModelDirectory.ts';
import type { SwappableReadModelStore } from '../swappableReadModelStore.ts';
import type { SwappableRunner } from '../swappableRunner.ts';
import { copyReadModel } from './copyReadModel.ts';
import { countingEventStore } from './countingEventStore.ts';

/** How often a rebuild looks whether its read models caught up. */
const POLL_MS = 50;
/** Longest wait for the new read models to pass what the old ones applied, before looking again. */
const ALIGN_WAIT_MS = 1000;

export interface LiveRebuildDeps {
  dataDir: string;
  eventStore: EventStore;
  /** What the queries read through. */
  readModels: SwappableReadModelStore;
  /** What the log watcher, the lag gauges and read-your-writes hold: one per projection, in `projections` order. */
  runners: readonly SwappableRunner[];
  projections: readonly Projection[];
  /** Opens the read models in `path` (LMDB in the service). */
  openStore(path: string): ReadModelStore;
  /** Where the served read models are now (removed once the switch has drained). */
  currentPath(): string;
  /** Told of the new directory after a switch. */
  switched(path: string): void;
  logger: Logger;
}

export interface LiveRebuildRun {
  rebuildId: string;
  /** One read model from events, the others copied; all when undefined. */
  only: Projection | undefined;
  onEvent(events: number): void;
  signal: AbortSignal;
}

/**
 * Rebuilds the read models of a running instance without downtime: they are built from the events
 * beside the served ones (`DATA_DIR/readmodels-<rebuildId>`) by runners of their own, followed
 * live until they hold everything the served ones applied, then switched in one synchronous step
 * (queries and runners together), so every request is answered by one complete set or the other.
 * Waits already begun on the old runners finish there; then the old runners stop, and their
 * directory is closed and removed. The pointer file names the new directory before the switch, so
 * a restart serves it; a crash before that leaves the old directory served and this one removed at
 * start. @returns the events applied to the new read models.
 */
export async function rebuildLive(deps: LiveRebuildDeps, run: LiveRebuildRun): Promise<number> {
  const path = besideReadModels(deps.dataDir, run.rebuildId);
  await rm(path, { recursive: true, force: true });
  const store = deps.openStore(path);
  let events = 0;
  let started: Projections | undefined;
  try {
    if (run.only) for (const projection of deps.projections) if (projection !== run.only) copyReadModel(deps.readModels.current(), store, projection);
    const counting = countingEventStore(deps.eventStore, () => run.onEvent(++events));
    started = startProjections({ eventStore: counting, readModels: store, logger: deps.logger.child({ rebuild: run.rebuildId }) }, deps.projections);
    await caughtUp(started, run.signal);
    await pointReadModelsAt(deps.dataDir, path);
    await aligned(deps.runners, started, run.signal);
  } catch (error) {
    await started?.stop();
    await store.close();
    await rm(path, { recursive: true, force: true });
    throw error;
  }
  // 1. Switch: queries and runners move together, in one synchronous step.
  const oldPath = deps.currentPath();
  const oldStore = deps.readModels.swap(store);
  const swaps = deps.runners.map((runner, index) => runner.swap(started!.runners[index]!));
  deps.switched(path);
  // 2. Drain: the waits begun on the old runners settle (each bounded by its timeout), then they stop.
  await Promise.all(swaps.map((swap) => swap.drained));
  await Promise.all(swaps.map((swap) => swap.previous.stop()));
  // 3. The old directory goes.
  await oldStore.close();
  await rm(oldPath, { recursive: true, force: true });
  return events;
}

/** Resolves once every new runner is live; throws when one failed or the rebuild is aborted. */
async function caughtUp(started: Projections, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const failed = started.statuses().find((status) => status.state === 'failed');
    if (failed) throw new Error(`read model ${failed.name} failed to build`);
    if (started.isReady()) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Resolves when, for every read model, the new runner has passed the last event the old one
 * applied: everything a request may have read or waited for is then in the new read models. The
 * caller switches in the same tick, before either can move.
 */
async function aligned(old: readonly ProjectionRunner[], fresh: Projections, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const behind = old.findIndex((runner, index) => comparePositions(fresh.runners[index]!.position(), runner.lastEvent()) < 0);
    if (behind === -1) return;
    // False at once while its commits fail: look again a little later (or give up if it failed).
    if (!(await fresh.runners[behind]!.waitFor(old[behind]!.lastEvent()!, ALIGN_WAIT_MS))) await caughtUp(fresh, signal);
  }
}
