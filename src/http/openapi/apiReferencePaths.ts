import { API_REFERENCE_FILES } from './apiReferenceRoutes.ts';

const asset = (file: string) => ({
  get: {
    summary: `A file of the API reference page: ${file}`,
    security: [],
    responses: { 200: { description: 'The file (Swagger UI from the swagger-ui-dist package, or its start script).', content: { [file.endsWith('.css') ? 'text/css' : 'text/javascript']: { schema: { type: 'string' } } } } },
  },
});

/** The public API reference page and its files, as OpenAPI path items. */
export const API_REFERENCE_PATHS: Record<string, Record<string, unknown>> = {
  '/api/docs/': {
    get: {
      summary: 'The API reference page (Swagger UI over this document, public)',
      security: [],
      responses: { 200: { description: 'An HTML page; its scripts and styles come from this service (no CDN).', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },
  ...Object.fromEntries(API_REFERENCE_FILES.map((file) => [`/api/docs/${file}`, asset(file)])),
};
