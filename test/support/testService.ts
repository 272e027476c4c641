import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedStepClock } from '../../src/app/clock.ts';
import { loadConfig, type ApiUser } from '../../src/config/config.ts';
import { silentLogger, type Logger } from '../../src/logging/logger.ts';
import type { Position, RecordedEvent } from '../../src/ports/eventStore.ts';
import { startService, type RunningService, type ServiceOptions } from '../../src/service.ts';

export const TEST_USERS: ApiUser[] = [
  { name: 'erp', key: 'erp-key-0123456789abcdef' },
  { name: 'backoffice', key: 'backoffice-key-0123456789' },
];
export const TOKEN = `Token ${TEST_USERS[0]!.key}`;

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface TestService {
  service: RunningService;
  dataDir: string;
  request(method: string, path: string, options?: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string>; auth?: string | null }): Promise<TestResponse>;
  /** Every event in `$all` after the mark (all events when no mark). */
  eventsSince(mark?: Position): Promise<RecordedEvent[]>;
  /** The position of the last event in `$all`. */
  mark(): Promise<Position | undefined>;
  /** Stops the service; `keepData` leaves the data dir for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts the whole service on a fresh data dir (or `dataDir`) and a free port. */
export async function startTestService(
  options: { dataDir?: string; env?: Record<string, string>; imageJobs?: ServiceOptions['imageJobs']; readModelSpace?: ServiceOptions['readModelSpace']; logger?: Logger } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'media-catalog-test-')));
  const config = loadConfig({ PORT: '1', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://omnitron.example.com', ...options.env });
  const service = await startService({
    config: { ...config, port: 0, host: '127.0.0.1' },
    users: TEST_USERS,
    logger: options.logger ?? silentLogger,
    clock: fixedStepClock(),
    ...(options.imageJobs ? { imageJobs: options.imageJobs } : {}),
    ...(options.readModelSpace ? { readModelSpace: options.readModelSpace } : {}),
  });
  await waitUntil(() => service.projections.isReady());

  return {
    service,
    dataDir,
    request: requester(service.url),
    ...eventLogReader(service.eventStore),
    async stop(stopOptions = {}) {
      await service.close();
      if (!stopOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `TestService.request` against any base URL (an instance, or a load balancer in front of several). */
export function requester(baseUrl: string): TestService['request'] {
  return async (method, path, requestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.auth !== null) headers.authorization ??= requestOptions.auth ?? TOKEN;
    let body: string | Buffer | undefined = requestOptions.rawBody;
    if (requestOptions.body !== undefined) {
      body = JSON.stringify(requestOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/** `TestService.mark` and `eventsSince` over an event store. */
export function eventLogReader(eventStore: Pick<RunningService['eventStore'], 'readAll'>): Pick<TestService, 'mark' | 'eventsSince'> {
  return {
    async eventsSince(mark) {
      const events = await eventStore.readAll({ ...(mark === undefined ? {} : { fromPosition: mark }) });
      return mark === undefined ? events : events.filter((event) => event.position > mark);
    },
    async mark() {
      const [last] = await eventStore.readAll({ direction: 'backwards', maxCount: 1 });
      return last?.position;
    },
  };
}
