import type { RequestContext } from '../../app/commandHandler.ts';
import type { Logger } from '../../logging/logger.ts';
import type { RecordedEvent } from '../../ports/eventStore.ts';
import type { ReadModelRebuildRequested } from '../domain/rebuildEvents.ts';
import type { RebuildJournal } from './rebuildJournal.ts';
import { rebuildLive, type LiveRebuildDeps } from './liveRebuild.ts';

/** Requests waiting on one instance at most; past it a request is reported failed at once. */
const MAX_QUEUED = 16;
/**
 * Progress is reported about once a second at first, then less often (every thirtieth of the time
 * elapsed), so a rebuild of hours writes a couple of hundred reports per instance, not thousands.
 */
const progressEveryMs = (elapsedMs: number) => Math.max(1000, elapsedMs / 30);

export type RebuildWorkerState = { state: 'idle' } | { state: 'building'; rebuildId: string; events: number };

/**
 * This instance's side of rebuilds: takes the requests one at a time, in the order they were
 * made, runs each (rebuildLive) and reports started, progress, switched or failed to the
 * request's stream, so the CLI, polling any instance, sees every instance.
 */
export function rebuildWorker(deps: { live: LiveRebuildDeps; journal: RebuildJournal; instance: string; logger: Logger }) {
  const queue: Array<{ request: ReadModelRebuildRequested['data']; event: RecordedEvent }> = [];
  const aborter = new AbortController();
  let state: RebuildWorkerState = { state: 'idle' };
  let running: Promise<void> | undefined;

  const contextOf = (event: RecordedEvent): RequestContext => ({
    actor: 'read-model-rebuilder',
    api: 'rest',
    correlationId: String((event.metadata as { correlationId?: string } | null)?.correlationId ?? event.id),
    causationId: event.id,
  });
  const report = (...args: Parameters<RebuildJournal['report']>) =>
    deps.journal.report(...args).catch((error: unknown) => deps.logger.warn('rebuild report not recorded', { error: String(error) }));

  async function runOne(request: ReadModelRebuildRequested['data'], event: RecordedEvent): Promise<void> {
    const { rebuildId } = request;
    const context = contextOf(event);
    const instance = deps.instance;
    await report({ type: 'ReadModelRebuildStarted', data: { rebuildId, instance } }, context);
    const only = request.projection === null ? undefined : deps.live.projections.find((projection) => projection.name === request.projection);
    if (request.projection !== null && only === undefined) {
      await report({ type: 'ReadModelRebuildFailed', data: { rebuildId, instance, reason: `There is no read model "${request.projection}".` } }, context);
      return;
    }
    const startedAt = Date.now();
    let reportedAt = startedAt;
    let reporting: Promise<unknown> | undefined;
    const building = { state: 'building' as const, rebuildId, events: 0 };
    state = building;
    deps.logger.info('read model rebuild started', { rebuildId, projection: request.projection });
    try {
      const events = await rebuildLive(deps.live, {
        rebuildId,
        only,
        signal: aborter.signal,
        onEvent(count) {
          building.events = count;
          const now = Date.now();
          if (now - reportedAt < progressEveryMs(now - startedAt) || reporting) return;
          reportedAt = now;
          reporting = report({ type: 'ReadModelRebuildProgressed', data: { rebuildId, instance, events: count } }, context).finally(() => (reporting = undefined));
        },
      });
      await reporting;
      const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
      deps.logger.info('read model rebuild switched', { rebuildId, events, seconds });
      await report({ type: 'ReadModelRebuildSwitched', data: { rebuildId, instance, events, seconds } }, context);
    } catch (error) {
      await reporting;
      const reason = aborter.signal.aborted ? 'The instance stopped before switching; it serves the read models it had.' : error instanceof Error ? error.message : String(error);
      deps.logger.warn('read model rebuild failed', { rebuildId, reason, error: String(error) });
      await report({ type: 'ReadModelRebuildFailed', data: { rebuildId, instance, reason } }, context);
    } finally {
      state = { state: 'idle' };
    }
  }

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next && !aborter.signal.aborted; next = queue.shift()) await runOne(next.request, next.event);
    running = undefined;
  }

  return {
    state: () => state,
    /** A request seen in the log: queued, and run when those before it are done. */
    take(request: ReadModelRebuildRequested['data'], event: RecordedEvent): void {
      if (aborter.signal.aborted) return;
      if (queue.length >= MAX_QUEUED) {
        void report({ type: 'ReadModelRebuildFailed', data: { rebuildId: request.rebuildId, instance: deps.instance, reason: `More than ${MAX_QUEUED} rebuilds are waiting on this instance.` } }, contextOf(event));
        return;
      }
      queue.push({ request, event });
      running ??= drain();
    },
    /** Stops: a rebuild under way is abandoned (its directory removed), the served read models stay. */
    async stop(): Promise<void> {
      aborter.abort();
      queue.length = 0;
      await running;
    },
  };
}
