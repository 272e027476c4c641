import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/** Serves `/<name>` from a map of files on 127.0.0.1 (404 for others) and counts requests. */
export async function startImageServer(files: Map<string, Buffer>): Promise<{ base: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    const body = files.get((request.url ?? '/').slice(1));
    if (body === undefined) response.writeHead(404).end('not found');
    else response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A JPEG of one colour per `seed`, so each seed is different content. */
export function colouredJpeg(seed: number, width = 64, height = 48): Promise<Buffer> {
  const background = { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 29) % 256 };
  return sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();
}
