import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEsdbEventStore } from '../../src/adapters/esdb/esdbEventStore.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import type { RunningService } from '../../src/service.ts';
import { spawnService, type ChildService } from './childService.ts';
import { startEsdbStandIn, type EsdbStandIn } from './esdbStandIn/esdbStandIn.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from './roundRobinProxy.ts';
import { startS3rver, type S3rverFixture } from './s3rverFixture.ts';
import { eventLogReader, requester, TEST_USERS, type TestService } from './testService.ts';

export interface Cluster {
  esdb: EsdbStandIn;
  s3: S3rverFixture;
  proxy: RoundRobinProxy;
  /** The cluster as a client sees it: every request to the next instance (a TestService for the scripts). */
  api: TestService;
  /** Each instance on its own, e.g. to compare their answers. */
  direct: TestService[];
  /** The process id of instance `index`. */
  pid(index: number): number;
  /** Kills instance `index` with SIGKILL. */
  kill(index: number): Promise<void>;
  /** Starts instance `index` again on its data directory (its read models resume from their checkpoints). */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `count` instances of the service, each a child process as `npm start` runs it with its own
 * data directory, on one EventStoreDB and one S3 (the stand-ins), behind a round-robin proxy.
 */
export async function startCluster(count = 3, extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const esdb = await startEsdbStandIn();
  const s3 = await startS3rver();
  const env = {
    EVENTSTORE_URL: esdb.connectionString,
    MINIO_ENDPOINT: s3.endpoint,
    MINIO_ACCESS_KEY: s3.accessKey,
    MINIO_SECRET_KEY: s3.secretKey,
    MINIO_REGION: s3.region,
    MINIO_BUCKET: 'cluster-media',
    PUBLIC_BASE_URL: 'https://omnitron.example.com',
    API_USERS: TEST_USERS.map((user) => `${user.name}:${user.key}`).join(','),
    ...extraEnv,
  };
  const dataDirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(join(tmpdir(), 'cluster-instance-'))));
  const children: ChildService[] = [];
  for (const dataDir of dataDirs) children.push(await spawnService({ ...env, DATA_DIR: dataDir }));
  await Promise.all(children.map((child) => ready(child.url)));
  const ports = children.map((child) => child.port);
  const proxy = await startRoundRobinProxy(children.map((child) => child.url));
  const eventStore: EventStore = await openEsdbEventStore({ connectionString: esdb.connectionString });
  const facade = (url: string): TestService => ({
    service: { url, eventStore } as unknown as RunningService,
    dataDir: '',
    request: requester(url),
    ...eventLogReader(eventStore),
    stop: async () => {},
  });

  return {
    esdb,
    s3,
    proxy,
    api: facade(proxy.url),
    direct: children.map((child) => facade(child.url)),
    pid: (index) => children[index]!.child.pid!,
    async kill(index) {
      children[index]!.child.kill('SIGKILL');
      await children[index]!.exited;
    },
    async restart(index) {
      children[index] = await spawnService({ ...env, DATA_DIR: dataDirs[index]!, PORT: String(ports[index]) });
      await ready(children[index]!.url);
    },
    async stop() {
      await proxy.stop();
      for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGTERM');
      await Promise.all(children.map((child) => child.exited));
      await eventStore.close();
      await esdb.stop();
      await s3.stop();
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Waits until `/ready` answers 200 (the read models caught up with the store). */
async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${url}/ready`).then((response) => response.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`${url} was not ready in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
