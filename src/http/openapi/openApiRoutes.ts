import Router from '@koa/router';
import { asyncApiDocument } from '../asyncapi/asyncApiDocument.ts';
import { toYaml } from '../asyncapi/yaml.ts';
import { openApiDocument } from './openApiDocument.ts';

/** `GET /api/schema/`: the OpenAPI 3.1 document of the REST surface. */
export function openApiRoutes(publicBaseUrl: string): Router {
  const router = new Router();
  const document = openApiDocument(publicBaseUrl);
  router.get('/api/schema', (ctx) => {
    ctx.set('Content-Type', 'application/vnd.oai.openapi+json; charset=utf-8');
    ctx.body = JSON.stringify(document);
  });
  return router;
}

/** `GET /api/asyncapi.yaml`: the AsyncAPI 3 document of the events (a router of its own, so its prefix stays specific). */
export function asyncApiRoutes(publicBaseUrl: string): Router {
  const router = new Router();
  const asyncApi = toYaml(asyncApiDocument(publicBaseUrl));
  router.get('/api/asyncapi.yaml', (ctx) => {
    ctx.set('Content-Type', 'application/yaml; charset=utf-8');
    ctx.body = asyncApi;
  });
  return router;
}

/** Every method and path a set of routers answers, in OpenAPI's `{param}` form. */
export function routesOf(routers: readonly Router[]): string[] {
  const routes = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const base = String(layer.path).replace(/[:*](\w+)/g, '{$1}').replace(/\/$/, '');
      // The API's paths end in a slash, as Django's do; /health, /ready and /media/... do not.
      const path = base.startsWith('/api/') && !/\.\w+$/.test(base) ? `${base}/` : base;
      for (const method of layer.methods) if (method !== 'HEAD') routes.add(`${method} ${path}`);
    }
  }
  return [...routes].sort();
}
