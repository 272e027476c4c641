import { readFileSync } from 'node:fs';
import Koa from 'koa';
import { createBodyParser, DEFAULT_BODY_LIMITS } from '../src/http/rest/bodyParser.ts';

/**
 * The baseline of `imageListThroughput.ts`: a bare Koa app in its own process that answers every
 * request with one captured response (status, headers, body bytes) and does nothing else. Started as
 * `node --import tsx bench/bareKoaServer.ts` with PORT, HOST and RESPONSE_FILE (JSON:
 * `{ status, headers, bodyBase64 }`). `GET /ready` answers 200 like the service's.
 *
 * With UPLOAD_ROOT set, a request body is first read by the service's own body parser
 * (src/http/rest/bodyParser.ts: koa-body, formidable), spooling under that directory: the floor
 * of an upload route, as in `pixelBombRefusal.ts`.
 */
interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const captured = JSON.parse(readFileSync(process.env.RESPONSE_FILE ?? '', 'utf8')) as CapturedResponse;
const body = Buffer.from(captured.bodyBase64, 'base64');
const app = new Koa();
if (process.env.UPLOAD_ROOT) app.use(await createBodyParser({ ...DEFAULT_BODY_LIMITS, uploadRoot: process.env.UPLOAD_ROOT }));
app.use((ctx) => {
  if (ctx.path === '/ready') {
    ctx.body = 'ready';
    return;
  }
  ctx.status = captured.status;
  ctx.set(captured.headers);
  ctx.body = body;
});
const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
