import Koa from 'koa';
import type Router from '@koa/router';
import type { UserDirectory } from '../auth/userDirectory.ts';
import type { Logger } from '../logging/logger.ts';
import { drfErrorMiddleware } from './drf/drfErrorMiddleware.ts';
import { healthRoutes } from './healthRoutes.ts';
import { routesOf } from './openapi/openApiRoutes.ts';
import { requestContextMiddleware } from './requestContext.ts';
import { authRoutes } from './rest/authRoutes.ts';
import { tokenAuth } from './rest/tokenAuth.ts';
import { JSON_RPC_PATH } from './rpc/jsonRpcEndpoint.ts';

const LOGIN_PATH = /^\/api\/v1\/auth\/login\/?$/;
const PROTECTED_PREFIXES = ['/api/', '/media/'];

/** Case-insensitive, so that no spelling of a path slips past authentication to a router. */
function needsCredentials(path: string): boolean {
  const lowerCase = path.toLowerCase();
  return PROTECTED_PREFIXES.some((prefix) => lowerCase.startsWith(prefix)) && !LOGIN_PATH.test(path);
}

export interface AppDeps {
  logger: Logger;
  users: UserDirectory;
  isReady: () => boolean;
  /** The authenticated REST resources (products, media, settings, the `/media` binaries, ...). */
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
}

/** The application, and every `METHOD /path/` it routes (for the OpenAPI check). */
export type App = Koa & { routes: readonly string[] };

/** Builds the Koa application from its dependencies; nothing here reads the environment. */
export function createApp(deps: AppDeps): App {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(requestContextMiddleware(deps.logger));
  app.use(drfErrorMiddleware);

  const health = healthRoutes(deps.isReady);
  mountRouter(app, health);

  const { jsonRpc } = deps;
  if (jsonRpc) {
    app.use(async (ctx, next) => {
      if (ctx.path === JSON_RPC_PATH || ctx.path === `${JSON_RPC_PATH}/`) await jsonRpc(ctx);
      else await next();
    });
  }

  // Every endpoint but the probes above needs credentials: the API below /api (except the login
  // that hands them out) and the binaries below /media, including paths that do not exist (so
  // nothing tells an anonymous client which keys exist), and before any body is read.
  const authenticate = tokenAuth(deps.users);
  app.use(async (ctx, next) => {
    if (needsCredentials(ctx.path)) await authenticate(ctx, next);
    else await next();
  });
  app.use(deps.bodyParser);
  if (deps.idempotency) app.use(deps.idempotency);
  const routers = [authRoutes(deps.users), ...deps.restRouters];
  for (const router of routers) mountRouter(app, router);
  const rpcRoutes = jsonRpc ? [`POST ${JSON_RPC_PATH}`] : [];
  return Object.assign(app, { routes: [...routesOf([health, ...routers]), ...rpcRoutes].sort() });
}

/**
 * Mounts a router behind a test of the path prefix all its routes share: a router's own
 * dispatch costs a host check, a match against every route and a composed chain per request,
 * so the others are not even asked (a tenth of the time of a cached list request).
 */
function mountRouter(app: Koa, router: Router): void {
  const prefix = staticPrefix(router.stack.map((layer) => (typeof layer.path === 'string' ? layer.path : '')));
  const dispatch = router.routes() as unknown as Koa.Middleware;
  const allowedMethods = router.allowedMethods() as unknown as Koa.Middleware;
  app.use((ctx, next) => (ctx.path.startsWith(prefix) ? dispatch(ctx, () => allowedMethods(ctx, next)) : next()));
}

/**
 * The longest literal start shared by route paths (up to the first parameter), without a
 * trailing slash (routes match with or without one). Case-sensitive, like the credentials check
 * in front of the routers: `/API/...` is not `/api/...` (Django's URLs are case-sensitive too).
 */
function staticPrefix(paths: readonly string[]): string {
  const literals = paths.map((path) => path.split(/[:(*]/, 1)[0]!);
  let prefix = literals[0] ?? '';
  for (const literal of literals) while (!literal.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
