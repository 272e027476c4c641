import Koa from 'koa';
import type Router from '@koa/router';
import type { UserDirectory } from '../auth/userDirectory.ts';
import type { Logger } from '../logging/logger.ts';
import { drfErrorMiddleware } from './drf/drfErrorMiddleware.ts';
import { healthRoutes } from './healthRoutes.ts';
import { requestContextMiddleware } from './requestContext.ts';
import { authRoutes } from './rest/authRoutes.ts';
import { tokenAuth } from './rest/tokenAuth.ts';

const LOGIN_PATH = /^\/api\/v1\/auth\/login\/?$/;

export interface AppDeps {
  logger: Logger;
  users: UserDirectory;
  isReady: () => boolean;
  /** The authenticated REST resources (products now; media, settings, ... later). */
  restRouters: Router[];
  /** Parses request bodies (JSON, form, multipart with limits). */
  bodyParser: Koa.Middleware;
}

/** Builds the Koa application from its dependencies; nothing here reads the environment. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(requestContextMiddleware(deps.logger));
  app.use(drfErrorMiddleware);

  const health = healthRoutes(deps.isReady);
  app.use(health.routes());
  app.use(health.allowedMethods());

  // Everything below /api needs credentials (except the login that hands them out), including
  // paths that do not exist, and before any body is read.
  const authenticate = tokenAuth(deps.users);
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/api/') && !LOGIN_PATH.test(ctx.path)) await authenticate(ctx, next);
    else await next();
  });
  app.use(deps.bodyParser);
  for (const router of [authRoutes(deps.users), ...deps.restRouters]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
