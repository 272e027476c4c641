import Router from '@koa/router';
import type { Projections } from '../projections/projections.ts';

/**
 * Whether this instance serves current reads, and if not, what holds it back: the `/ready` body.
 * `status` is `ready`, `starting` (a read model is catching up with the history) or `lagging`
 * (a read model's commits fail, e.g. on a full disk, or it failed; or the event store is
 * unreachable). Nothing here may leak internals: codes and names only, the log has the rest.
 */
export interface Readiness {
  status: 'ready' | 'starting' | 'lagging';
  [detail: string]: unknown;
}

/**
 * Probes for orchestrators, open without credentials: `/health` is liveness (the process
 * answers), `/ready` is readiness (every read model has caught up, so reads are current).
 */
export function healthRoutes(readiness: () => Readiness): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', (ctx) => {
    const report = readiness();
    ctx.status = report.status === 'ready' ? 200 : 503;
    ctx.body = report;
  });
  return router;
}

/**
 * Readiness from the read models and the event store: `lagging` names each read model that is not
 * live and why (`{"name": "gallery", "state": "retrying", "reason": "ENOSPC", "since": ...,
 * "failed_commits": 7}`), `event_store: "unreachable"` when it is.
 */
export function serviceReadiness(projections: Pick<Projections, 'statuses'>, eventStoreConnected: () => boolean): () => Readiness {
  return () => {
    const behind = projections.statuses().filter((status) => status.state !== 'live');
    const connected = eventStoreConnected();
    if (behind.length === 0 && connected) return { status: 'ready' };
    const failing = !connected || behind.some((status) => status.state !== 'catching up');
    return {
      status: failing ? 'lagging' : 'starting',
      read_models: behind.map(({ name, state, reason, since, failedCommits }) => ({ name, state, reason, since, failed_commits: failedCommits })),
      ...(connected ? {} : { event_store: 'unreachable' }),
    };
  };
}
