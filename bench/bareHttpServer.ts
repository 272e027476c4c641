import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The baseline of the media delivery benchmarks: a bare `node:http` server in its own process
 * that answers every request with one captured response (status, headers, body bytes) held in
 * memory, and does nothing else. Started as `node --import tsx bench/bareHttpServer.ts` with
 * PORT, HOST and RESPONSE_FILE (JSON: `{ status, headers, bodyBase64 }`); `GET /ready` answers 200.
 */
interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const captured = JSON.parse(readFileSync(process.env.RESPONSE_FILE ?? '', 'utf8')) as CapturedResponse;
const body = Buffer.from(captured.bodyBase64, 'base64');
const headers = { ...captured.headers, 'content-length': String(body.length) };
const server = createServer((req, res) => {
  if (req.url === '/ready') {
    res.end('ready');
    return;
  }
  res.writeHead(captured.status, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
