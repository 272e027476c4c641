import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/** A stand-in ERP file server on 127.0.0.1 with the cases the downloader must handle. */
export interface ErpServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  jpeg: Buffer;
  /** TCP connections the server has accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startErpServer(): Promise<ErpServer> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c63' } }).jpeg().toBuffer();
  let port = 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://erp.test');
    const hops = Number(url.searchParams.get('hops') ?? '0');
    switch (url.pathname) {
      case '/image.jpg':
        response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
        return;
      case '/redirect':
        // A relative Location on odd hops, an absolute one on even hops.
        if (hops <= 0) response.writeHead(302, { location: '/image.jpg' }).end();
        else response.writeHead(301, { location: hops % 2 ? `/redirect?hops=${hops - 1}` : `http://127.0.0.1:${port}/redirect?hops=${hops - 1}` }).end();
        return;
      case '/to-private':
        response.writeHead(302, { location: `http://localhost:${port}/image.jpg` }).end();
        return;
      case '/to-metadata':
        response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/to-file':
        response.writeHead(302, { location: 'file:///etc/passwd' }).end();
        return;
      case '/slow': {
        const timer = setTimeout(() => response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg), 2000);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case '/stall-close-delimited':
        // No length and no chunking: the body ends when the connection closes. Half the file,
        // then nothing: a client that times out must not take the half for the whole.
        request.socket.write(`HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\nconnection: close\r\n\r\n`);
        request.socket.write(jpeg.subarray(0, jpeg.length >> 1));
        return;
      case '/big-declared':
        response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 10_000_000 });
        response.write(Buffer.alloc(1024));
        return; // never finishes: the client must give up on the header alone
      case '/big-chunked':
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        for (let index = 0; index < 64; index++) response.write(Buffer.alloc(4096, 7));
        response.end();
        return;
      case '/text.txt':
        response.writeHead(200, { 'content-type': 'text/plain' }).end('plain text, not a picture');
        return;
      default:
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such file');
    }
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    jpeg,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
