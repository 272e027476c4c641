import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * Serves `/<name>` from a map of files on 127.0.0.1 (404 for others), with a strong ETag and
 * 304 answers to `If-None-Match` as web servers and CDNs give; counts requests and bodies sent.
 */
export async function startImageServer(files: Map<string, Buffer>): Promise<{ base: string; files: Map<string, Buffer>; requests(): number; bodies(): number; close(): Promise<void> }> {
  let requests = 0;
  let bodies = 0;
  // Hashed once per body, as a web server keeps its validators (nginx: from size and time), so a
  // benchmark's server costs what a real one does rather than a hash of every file it sends.
  const etags = new WeakMap<Buffer, string>();
  const etagOf = (body: Buffer) => {
    let etag = etags.get(body);
    if (etag === undefined) etags.set(body, (etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`));
    return etag;
  };
  const server: Server = createServer((request, response) => {
    requests++;
    const body = files.get((request.url ?? '/').slice(1));
    if (body === undefined) return void response.writeHead(404).end('not found');
    const etag = etagOf(body);
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
    bodies++;
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length, etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    files,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    bodies: () => bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A JPEG of one colour per `seed`, so each seed is different content. */
export function colouredJpeg(seed: number, width = 64, height = 48): Promise<Buffer> {
  const background = { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 29) % 256 };
  return sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();
}
