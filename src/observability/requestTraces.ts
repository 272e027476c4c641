import type { IncomingMessage } from 'node:http';

/**
 * What the HTTP layer learns about a request for its observers: the route template that served
 * it (a bounded label, never the raw path) and its trace id. Kept beside the request, not in
 * Koa's context, because `/media` requests never reach Koa.
 */
interface RequestFacts {
  route?: string;
  traceId?: string;
}

const facts = new WeakMap<IncomingMessage, RequestFacts>();

const factsOf = (req: IncomingMessage): RequestFacts => {
  let known = facts.get(req);
  if (known === undefined) facts.set(req, (known = {}));
  return known;
};

export function noteRouteTemplate(req: IncomingMessage, route: string): void {
  factsOf(req).route = route;
}

export function routeTemplateOf(req: IncomingMessage): string | undefined {
  return facts.get(req)?.route;
}

export function noteTraceId(req: IncomingMessage, traceId: string | undefined): void {
  if (traceId !== undefined) factsOf(req).traceId = traceId;
}

export function traceIdOf(req: IncomingMessage): string | undefined {
  return facts.get(req)?.traceId;
}
