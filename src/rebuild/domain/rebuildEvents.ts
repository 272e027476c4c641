import type { DomainEvent } from '../../domain/decider.ts';

/** Stream category of read-model rebuilds: `readModelRebuild-<rebuildId>`, one stream per request. */
export const REBUILD_CATEGORY = 'readModelRebuild';
export const rebuildStream = (rebuildId: string) => `${REBUILD_CATEGORY}-${rebuildId}`;

/** An operator asked every running instance to rebuild its read models (`projection`: one of them; `null`: all). */
export type ReadModelRebuildRequested = DomainEvent<'ReadModelRebuildRequested', { rebuildId: string; projection: string | null; requestedBy: string }>;

/** Instance `instance` began building the new read models beside the ones it serves from. */
export type ReadModelRebuildStarted = DomainEvent<'ReadModelRebuildStarted', { rebuildId: string; instance: string }>;

/** How far instance `instance` is: `events` applied to the new read models so far (about once a second at first, then less often). */
export type ReadModelRebuildProgressed = DomainEvent<'ReadModelRebuildProgressed', { rebuildId: string; instance: string; events: number }>;

/** Instance `instance` caught up with the log and serves from the new read models; the old ones are removed. */
export type ReadModelRebuildSwitched = DomainEvent<'ReadModelRebuildSwitched', { rebuildId: string; instance: string; events: number; seconds: number }>;

/** Instance `instance` gave up (it stopped, or a read model could not be built) and still serves from the old read models. */
export type ReadModelRebuildFailed = DomainEvent<'ReadModelRebuildFailed', { rebuildId: string; instance: string; reason: string }>;

export type ReadModelRebuildEvent =
  | ReadModelRebuildRequested
  | ReadModelRebuildStarted
  | ReadModelRebuildProgressed
  | ReadModelRebuildSwitched
  | ReadModelRebuildFailed;
