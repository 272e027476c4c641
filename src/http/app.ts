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

function needsCredentials(path: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => path.startsWith(prefix)) && !LOGIN_PATH.test(path);
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
  app.use(health.routes());
  app.use(health.allowedMethods());

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
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  const rpcRoutes = jsonRpc ? [`POST ${JSON_RPC_PATH}`] : [];
  return Object.assign(app, { routes: [...routesOf([health, ...routers]), ...rpcRoutes].sort() });
}
