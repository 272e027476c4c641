import Koa from 'koa';
import type Router from '@koa/router';
import type { LoginGuard } from '../auth/loginGuard.ts';
import type { UserDirectory } from '../auth/userDirectory.ts';
import type { Logger } from '../logging/logger.ts';
import { drfErrorMiddleware } from './drf/drfErrorMiddleware.ts';
import { healthRoutes, type Readiness } from './healthRoutes.ts';
import { PUBLIC_API_PATHS } from './openapi/apiReferenceRoutes.ts';
import { routesOf } from './openapi/openApiRoutes.ts';
import { requestContextMiddleware } from './requestContext.ts';
import { noteRouteTemplate } from '../observability/requestTraces.ts';
import { authRoutes, LOGIN_PATH } from './rest/authRoutes.ts';
import { BODY_METHODS } from './rest/bodyParser.ts';
import { tokenAuth } from './rest/tokenAuth.ts';
import { JSON_RPC_PATH } from './rpc/jsonRpcEndpoint.ts';

/** Case-insensitive, so that no spelling of a path slips past authentication to a router. */
function needsCredentials(path: string): boolean {
  return path.toLowerCase().startsWith('/api/');
}

export interface AppDeps {
  logger: Logger;
  users: UserDirectory;
  /** Checks logins (throttled, logged). */
  loginGuard: LoginGuard;
  /**
   * Behind a proxy or load balancer: the client's address is the last `X-Forwarded-For` entry
   * (the one the nearest proxy added), not the connection's. Off: the connection's address.
   */
  trustProxy?: boolean;
  /** The `/ready` answer: 200 when `status` is `ready`, else 503 with the report. */
  readiness: () => Readiness;
  /** The authenticated REST resources (products, media, settings, ...). The binaries under `/media` are src/delivery's. */
  restRouters: Router[];
  /** Parses request bodies (JSON, form, multipart with limits). */
  bodyParser: Koa.Middleware;
  /**
   * The ShipStream JSON-RPC endpoint at `/api/jsonrpc`. It authenticates by session or HTTP
   * Basic and reads its own body (with its own limit), answering every problem as a JSON-RPC
   * error, so it runs before the token check and the REST body parser.
   */
  jsonRpc?: (ctx: Koa.Context) => Promise<void>;
  /** Answers retried POSTs that carry an `Idempotency-Key` (runs after authentication and parsing). */
  idempotency?: Koa.Middleware;
  /** Read-your-writes across instances: waited for before an authenticated request is served. */
  readGuard?: { caughtUp(): Promise<void> };
  /** CORS headers and preflight answers (src/http/cors.ts); absent: none. */
  cors?: Koa.Middleware;
}

/** The application, and every `METHOD /path/` it routes (for the OpenAPI check). */
export type App = Koa & { routes: readonly string[] };

/** Builds the Koa application from its dependencies; nothing here reads the environment. */
export function createApp(deps: AppDeps): App {
  const app = new Koa();
  app.proxy = deps.trustProxy ?? false;
  app.maxIpsCount = 1;
  app.silent = true;
  app.use(requestContextMiddleware(deps.logger));
  if (deps.cors) app.use(deps.cors);

  // One layer routes everything after the request context (each `app.use` layer costs every
  // request a bound dispatch and a promise):
  // - the JSON-RPC endpoint authenticates in its own way and answers every problem as a
  //   JSON-RPC error, so it runs outside the DRF error rendering that wraps the rest;
  // - the probes come first, open;
  // - every other endpoint below /api needs credentials (except the login that hands them out),
  //   including paths that do not exist, and before any body is read;
  // - bodies are parsed, and retried POSTs answered, only for the methods that carry a body, and
  //   only for a client with credentials or one asking for them: the body of a request to a
  //   probe or to a path outside the API is never read (Node discards it).
  const health = healthRoutes(deps.readiness);
  const probes = routeByPrefix([health]);
  const routers = [authRoutes(deps.loginGuard), ...deps.restRouters];
  const routeRest = routeByPrefix(routers);
  const authenticate = tokenAuth(deps.users);
  const { jsonRpc, bodyParser, idempotency, readGuard } = deps;
  // After authentication (an anonymous client costs no read of the store), before anything is read.
  const caughtUp = (then: () => Promise<unknown>): Promise<unknown> => (readGuard ? readGuard.caughtUp().then(then) : then());
  const afterBody: Koa.Middleware = idempotency ? (ctx, next) => idempotency(ctx, () => routeRest(ctx, next)) : routeRest;
  const parseThenRoute: Koa.Middleware = (ctx, next) =>
    BODY_METHODS.has(ctx.request.method) ? bodyParser(ctx, () => afterBody(ctx, next)) : routeRest(ctx, next);
  const rest = (ctx: Koa.Context, path: string, next: Koa.Next): Promise<unknown> => {
    if (probes.serves(path)) return probes(ctx, () => routeRest(ctx, next));
    if (LOGIN_PATH.test(path)) return parseThenRoute(ctx, next); // no user: idempotency passes it by
    if (PUBLIC_API_PATHS.test(path)) return routeRest(ctx, next); // the documents and reference page: GETs, no body read
    if (needsCredentials(path)) return authenticate(ctx, () => caughtUp(() => parseThenRoute(ctx, next)) as Promise<void>);
    return routeRest(ctx, next);
  };
  app.use((ctx, next) => {
    const path = ctx.request.path;
    // The JSON-RPC endpoint authenticates per call (sessions are read models too): it waits first.
    if (jsonRpc && (path === JSON_RPC_PATH || path === `${JSON_RPC_PATH}/`)) {
      noteRouteTemplate(ctx.req, JSON_RPC_PATH);
      return caughtUp(() => jsonRpc(ctx));
    }
    return drfErrorMiddleware(ctx, () => rest(ctx, path, next));
  });
  const rpcRoutes = jsonRpc ? [`POST ${JSON_RPC_PATH}`] : [];
  return Object.assign(app, { routes: [...routesOf([health, ...routers]), ...rpcRoutes].sort() });
}

/**
 * Routers in turn, as if each were mounted with `app.use`, but a router is only asked when the
 * path starts with the literal prefix all its routes share: a router's own dispatch costs a host
 * check, a match against every route and a composed chain per request, so one request no longer
 * pays that for every router (a tenth of the time of a cached list request).
 */
function routeByPrefix(routers: readonly Router[]): Koa.Middleware & { serves(path: string): boolean } {
  const mounted = routers.map((router) => {
    const dispatch = router.routes() as unknown as Koa.Middleware;
    const allowedMethods = router.allowedMethods() as unknown as Koa.Middleware;
    return {
      prefixes: literalPrefixes(router.stack.map((layer) => (typeof layer.path === 'string' ? layer.path : ''))),
      run: (ctx: Koa.Context, next: Koa.Next) => dispatch(ctx, () => allowedMethods(ctx, next)),
    };
  });
  const servesAt = (path: string, index: number) => mounted[index]!.prefixes.some((prefix) => path.startsWith(prefix));
  const runFrom = (index: number, path: string, ctx: Koa.Context, next: Koa.Next): Promise<unknown> => {
    for (let candidate = index; candidate < mounted.length; candidate += 1) {
      if (servesAt(path, candidate)) return mounted[candidate]!.run(ctx, () => runFrom(candidate + 1, path, ctx, next));
    }
    return next();
  };
  return Object.assign((ctx: Koa.Context, next: Koa.Next) => runFrom(0, ctx.request.path, ctx, next), {
    serves: (path: string) => mounted.some((_, index) => servesAt(path, index)),
  });
}

/**
 * The literal starts of route paths (up to the first parameter, without a trailing slash:
 * routes match with or without one), leaving out those another one already starts.
 * Case-sensitive, like the credentials check in front of the routers: `/API/...` is not
 * `/api/...` (Django's URLs are case-sensitive too).
 */
export function literalPrefixes(paths: readonly string[]): string[] {
  const literals = [...new Set(paths.map((path) => path.split(/[:(*]/, 1)[0]!.replace(/\/$/, '')))].sort();
  return literals.filter((literal, index) => !literals.slice(0, index).some((shorter) => literal.startsWith(shorter)));
}
