import Router from '@koa/router';

/**
 * Probes for orchestrators, open without credentials: `/health` is liveness (the process
 * answers), `/ready` is readiness (every read model has caught up, so reads are current).
 */
export function healthRoutes(isReady: () => boolean): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', (ctx) => {
    const ready = isReady();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'starting' };
  });
  return router;
}
