import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';

/** The API's documents and reference page: readable without credentials. */
export const PUBLIC_API_PATHS = /^\/api\/(?:schema\/?|asyncapi\.yaml|docs\/?|docs\/[\w.-]+)$/;

export const API_REFERENCE_PATH = '/api/docs/';
/** The Swagger UI files served from the `swagger-ui-dist` package (no CDN). */
const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Product media catalog API</title>
<link rel="stylesheet" href="${API_REFERENCE_PATH}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${API_REFERENCE_PATH}swagger-ui-bundle.js"></script>
<script src="${API_REFERENCE_PATH}init.js"></script>
</body>
</html>
`;

/** Our own start script (a file, so the CSP needs no inline script); `validatorUrl: null`: nothing is sent to swagger.io. */
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/schema/', dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true });\n`;

/**
 * Scripts and styles from this origin only; Swagger UI sets inline styles and shows data: images;
 * "Try it out" calls the API at this origin or at the public base URL.
 */
export function apiReferenceCsp(publicBaseUrl: string): string {
  const api = new URL(publicBaseUrl).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${api}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `GET /api/docs/`: the API reference (Swagger UI over `/api/schema/`), public. */
export function apiReferenceRoutes(publicBaseUrl: string): Router {
  const router = new Router();
  const csp = apiReferenceCsp(publicBaseUrl);
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const common = (ctx: { set(name: string, value: string): void }, type: string) => {
    ctx.set('Content-Type', type);
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'public, max-age=3600');
  };
  router.get('/api/docs', (ctx) => {
    common(ctx, 'text/html; charset=utf-8');
    ctx.body = PAGE;
  });
  router.get('/api/docs/init.js', (ctx) => {
    common(ctx, 'text/javascript; charset=utf-8');
    ctx.body = INIT;
  });
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    router.get(`/api/docs/${file}`, (ctx) => {
      common(ctx, type);
      // Streamed from the package: nothing held in memory (the bundle is over a megabyte).
      ctx.body = createReadStream(join(folder, file));
    });
  }
  return router;
}

/** The reference page's paths, for the OpenAPI document. */
export const API_REFERENCE_FILES = ['init.js', ...Object.keys(SWAGGER_UI_FILES)];
