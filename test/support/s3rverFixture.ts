import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * s3rver (an S3 server in Node, a dev dependency) started in this process on a free loopback port
 * with its own temp directory, for the S3 adapter's tests. See ENGINES.md for what it lacks
 * (multipart listing). One more difference is patched here: it lists keys in directory-walk order,
 * not in S3's byte order, so the fixture sorts each listing page as S3 does (the test listings
 * fit in one page).
 */
export interface S3rverFixture {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** s3rver's built-in account (`S3RVER`/`S3RVER`). */
  accessKey: string;
  secretKey: string;
  region: string;
  /** Where s3rver keeps its buckets (one directory per bucket). */
  directory: string;
  /** Closes the server and every connection to it, and removes its directory. */
  stop(): Promise<void>;
}

interface ListedObject {
  key: string;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  store: {
    listObjects(bucket: string, options: unknown): Promise<{ objects: ListedObject[] }>;
  };
}

type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

export async function startS3rver(): Promise<S3rverFixture> {
  // s3rver is CommonJS without types; this file types the little of it that tests use.
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  sortListings(server);
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
    directory,
    stop() {
      stopped ??= (async () => {
        server.httpServer?.closeAllConnections();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function sortListings(server: S3rverInstance): void {
  const { store } = server;
  const listObjects = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const result = await listObjects(bucket, options);
    result.objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return result;
  };
}
