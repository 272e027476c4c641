import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.ts';
import { noteTraceId, routeTemplateOf } from './requestTraces.ts';
import type { Tracing } from './tracing.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests no route served (unknown paths, refused before routing): one label, not their paths. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Wraps the HTTP server's handler: each request runs in its server span and, when it is over
 * (answered or cut), its duration is recorded by method, route template and status.
 */
export function observeRequests(handler: RequestListener, deps: { metrics: Metrics | undefined; tracing: Tracing }): RequestListener {
  const { metrics, tracing } = deps;
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const span = tracing.startRequest(req);
    noteTraceId(req, span.traceId);
    if (metrics !== undefined || tracing.enabled) {
      res.once('close', () => {
        const route = routeTemplateOf(req) ?? UNMATCHED_ROUTE;
        const status = res.statusCode;
        span.end(status, route);
        metrics?.httpRequestDuration.observe(
          { method: METHODS.has(req.method!) ? req.method! : 'OTHER', route, status: String(status) },
          (performance.now() - started) / 1000,
        );
      });
    }
    span.run(() => handler(req, res));
  };
}
