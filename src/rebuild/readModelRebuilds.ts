import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Router from '@koa/router';
import type { Clock } from '../app/clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { EventStore } from '../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../ports/readModelStore.ts';
import type { Projections } from '../projections/projections.ts';
import { projectionsOver } from '../projections/projections.ts';
import { followRebuildRequests } from './app/rebuildFollower.ts';
import { rebuildJournal } from './app/rebuildJournal.ts';
import { rebuildWorker, type RebuildWorkerState } from './app/rebuildWorker.ts';
import { rebuildRoutes } from './http/rebuildRoutes.ts';
import { currentReadModels, removeStaleReadModels } from './readModelDirectory.ts';
import { swappableReadModelStore, type SwappableReadModelStore } from './swappableReadModelStore.ts';
import { swappableRunner, type SwappableRunner } from './swappableRunner.ts';

/** The served read models, swappable under the queries and the runners. */
export interface ServedReadModels {
  /** The directory they are in. */
  path: string;
  readModels: SwappableReadModelStore;
  /** One per projection, in the order they were started. */
  runners: SwappableRunner[];
  projections: Projections;
}

/**
 * Opens the read models the pointer names (DATA_DIR/readmodels unless a rebuild switched), after
 * removing what a rebuild cut short left beside, and starts their projections behind swappable
 * stand-ins.
 */
export async function openServedReadModels(deps: {
  dataDir: string;
  openStore(path: string): ReadModelStore;
  startProjections(readModels: ReadModelStore): Projections;
  waitTimeoutMs: number;
  logger: Logger;
}): Promise<ServedReadModels> {
  const path = await currentReadModels(deps.dataDir);
  const removed = await removeStaleReadModels(deps.dataDir, path);
  if (removed.length > 0) deps.logger.info('removed read models left by an unfinished rebuild', { removed });
  const store = deps.openStore(path);
  const started = deps.startProjections(store);
  const runners = started.runners.map(swappableRunner);
  return { path, readModels: swappableReadModelStore(store), runners, projections: projectionsOver(runners, deps.waitTimeoutMs) };
}

export interface ReadModelRebuilds {
  router: Router;
  /** This instance's name in rebuild reports. */
  instance: string;
  state(): RebuildWorkerState;
  close(): Promise<void>;
}

/** Wires rebuilds of a running instance: the `/api/v1/read_model_rebuilds/` routes and this instance's worker. */
export async function startReadModelRebuilds(deps: {
  dataDir: string;
  eventStore: EventStore;
  clock: Clock;
  logger: Logger;
  served: ServedReadModels;
  projections: readonly Projection[];
  openStore(path: string): ReadModelStore;
  publicBaseUrl: string;
}): Promise<ReadModelRebuilds> {
  const logger = deps.logger.child({ component: 'rebuild' });
  const instance = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const journal = rebuildJournal({ eventStore: deps.eventStore, clock: deps.clock });
  let path = deps.served.path;
  const worker = rebuildWorker({
    journal,
    instance,
    logger,
    live: {
      dataDir: deps.dataDir,
      eventStore: deps.eventStore,
      readModels: deps.served.readModels,
      runners: deps.served.runners,
      projections: deps.projections,
      openStore: deps.openStore,
      currentPath: () => path,
      switched: (next) => (path = next),
      logger,
    },
  });
  const follower = await followRebuildRequests({ eventStore: deps.eventStore, logger, onRequest: worker.take });
  return {
    router: rebuildRoutes({ journal, projectionNames: deps.projections.map((projection) => projection.name), publicBaseUrl: deps.publicBaseUrl }),
    instance,
    state: worker.state,
    async close() {
      follower.stop();
      await worker.stop();
    },
  };
}
