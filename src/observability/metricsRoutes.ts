import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Metrics } from './metrics.ts';

export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the Prometheus text exposition of this instance. Open like `/health`, or, with
 * a token, only for `Authorization: Bearer <token>` (compared in constant time).
 */
export function metricsRoutes(metrics: Pick<Metrics, 'scrape' | 'contentType'>, token: string | undefined): Router {
  const expected = token === undefined ? undefined : digest(token);
  const router = new Router();
  router.get(METRICS_PATH, async (ctx) => {
    if (expected !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
      if (match === null || !timingSafeEqual(digest(match[1]!), expected)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = { detail: match === null ? 'Authentication credentials were not provided.' : 'Invalid token.' };
        return;
      }
    }
    ctx.body = await metrics.scrape();
    ctx.type = metrics.contentType;
  });
  return router;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
