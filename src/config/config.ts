import { DEFAULT_AGGREGATE_CACHE_BYTES } from '../app/aggregateCache.ts';
import { parseDeliveryConfig, type DeliveryConfig } from '../delivery/deliveryConfig.ts';
import { parseLimitsConfig, type LimitsConfig } from './limitsConfig.ts';
import { parseCorsOrigins } from '../http/cors.ts';
import { parseObservabilityConfig, type ObservabilityConfig } from '../observability/observabilityConfig.ts';
import { parseWebhooksConfig, type WebhooksConfig } from '../webhooks/webhooksConfig.ts';

/**
 * The service's configuration, read once from the environment by the composition root.
 * Every problem is collected and reported at once; a bad value names its variable.
 */
export interface Config {
  /** `PORT` (default 8000): TCP port of the HTTP server. */
  port: number;
  /** `HOST` (default all interfaces): address to listen on. */
  host: string | undefined;
  /** `DATA_DIR` (default `./data`): event store, read models, media files and generated keys. */
  dataDir: string;
  /** `PUBLIC_BASE_URL` (default `http://localhost:<PORT>`): base of every absolute link. */
  publicBaseUrl: string;
  /** `MEDIA_BASE_URL` (default `<PUBLIC_BASE_URL>/media`): base of every binary's URL. */
  mediaBaseUrl: string;
  /**
   * `API_USERS` (`name:key,name2:key2`); undefined → a generated `admin` user kept under DATA_DIR
   * (refused with `REQUIRE_API_USERS=1`, as the compose cluster profile sets it).
   */
  apiUsers: ApiUser[] | undefined;
  /** `EVENTSTORE_URL`: EventStoreDB connection string; undefined → embedded LMDB event store. */
  eventStoreUrl: string | undefined;
  /** `MINIO_*`: S3 object store; undefined → files under `DATA_DIR/media`. */
  minio: MinioConfig | undefined;
  /** `DOWNLOAD_ALLOWED_HOSTS`: hosts the ERP downloader may reach even on private addresses. */
  downloadAllowedHosts: string[];
  /**
   * `MAX_INPUT_PIXELS` (default 64 megapixels): uploads that would cost more to decode are
   * refused from their header: pixels of every frame, weighted by what their kind costs per
   * pixel (16-bit or interlaced PNG, progressive JPEG scans, GIF; see src/adapters/sharp/decodeCost.ts).
   */
  maxInputPixels: number;
  /**
   * `MAX_ANIMATION_PIXELS` (default 2,500,000): animated images whose frames × canvas exceed this
   * are refused from their header (re-encoding a GIF photo frame costs ~0.3 s per megapixel).
   */
  maxAnimationPixels: number;
  /**
   * `IMAGE_QUEUE_MAX` (default 64): image jobs that may wait for a slot; one more is answered 503
   * with Retry-After (REST) or fault 7 (JSON-RPC). Waiting jobs are served fairly between users.
   */
  imageQueueMax: number;
  /** `IMAGE_JOB_TIMEOUT_MS` (default 30000): an image job running longer is abandoned as an invalid image. */
  imageJobTimeoutMs: number;
  /** `MAX_IMAGE_BYTES` (default 25 MiB): largest image upload. */
  maxImageBytes: number;
  /** `MAX_VIDEO_BYTES` (default 512 MiB): largest video upload. */
  maxVideoBytes: number;
  /** `RPC_SESSION_TTL_SECONDS` (default 86400, ShipStream's 24 h): lifetime of a JSON-RPC session after its last use. */
  rpcSessionTtlSeconds: number;
  /** `FEED_HEARTBEAT_MS` (default 15000): comment lines on idle event streams (SSE). */
  feedHeartbeatMs: number;
  /**
   * `FEED_MAX_BUFFERED_BYTES` (default 1 MiB): bytes an SSE consumer may fall behind before it is
   * disconnected (it resumes with Last-Event-ID), so memory per consumer stays bounded.
   */
  feedMaxBufferedBytes: number;
  /**
   * `AGGREGATE_CACHE_BYTES` (default 32 MiB): memory (estimated) for the aggregate states the
   * command handler keeps, so that a write reads only the events after them; 0 turns it off.
   */
  aggregateCacheBytes: number;
  /** `LOG_LEVEL` (default `info`): debug, info, warn, error or silent. */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `RENDITION_*`, `MEDIA_*`: how binaries and their renditions are delivered (src/delivery/). */
  delivery: DeliveryConfig;
  /** Connections, bodies, logins, batches and sessions: what one client can cost (limitsConfig.ts). */
  limits: LimitsConfig;
  /**
   * `READ_GUARD_TIMEOUT_MS` (default 2000; 0 turns the guard off): how long a request waits for
   * this instance's read models to include everything stored before it arrived (src/app/readGuard.ts).
   */
  readGuardTimeoutMs: number;
  /** `METRICS`, `METRICS_TOKEN`, `OTEL_*`: Prometheus metrics and OpenTelemetry traces (src/observability/). */
  observability: ObservabilityConfig;
  /** `CORS_ORIGINS` (comma-separated origins, or `*`): browser origins allowed to call the API; unset = no CORS headers (src/http/cors.ts). */
  corsOrigins: readonly string[];
  /** `WEBHOOK_*`: push delivery of the gallery events (src/webhooks/). */
  webhooks: WebhooksConfig;
}

export interface ApiUser {
  name: string;
  key: string;
}

export interface MinioConfig {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Parses the environment. @throws ConfigError listing every problem found. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = parsePort(read('PORT'), problems);
  const publicBaseUrl = parseUrl('PUBLIC_BASE_URL', read('PUBLIC_BASE_URL'), problems, ['http:', 'https:']) ?? `http://localhost:${port}`;
  const mediaBaseUrl = parseUrl('MEDIA_BASE_URL', read('MEDIA_BASE_URL'), problems, ['http:', 'https:']) ?? `${publicBaseUrl}/media`;
  const eventStoreUrl = read('EVENTSTORE_URL');
  if (eventStoreUrl !== undefined && !/^esdb(\+discover)?:\/\/[^/?#]+/.test(eventStoreUrl)) {
    problems.push('EVENTSTORE_URL must be an EventStoreDB connection string such as esdb://127.0.0.1:2113?tls=false');
  }
  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const minio = parseMinio(read, problems);
  const config: Config = {
    port,
    host: read('HOST'),
    dataDir: read('DATA_DIR') ?? './data',
    publicBaseUrl,
    mediaBaseUrl,
    apiUsers: parseApiUsers(read('API_USERS'), problems, read('REQUIRE_API_USERS') === '1'),
    eventStoreUrl,
    minio,
    downloadAllowedHosts: parseHostList(read('DOWNLOAD_ALLOWED_HOSTS'), problems),
    logLevel: logLevel as Config['logLevel'],
    maxInputPixels: parsePositiveInteger('MAX_INPUT_PIXELS', read('MAX_INPUT_PIXELS'), 64_000_000, problems),
    maxAnimationPixels: parsePositiveInteger('MAX_ANIMATION_PIXELS', read('MAX_ANIMATION_PIXELS'), 2_500_000, problems),
    imageQueueMax: parsePositiveInteger('IMAGE_QUEUE_MAX', read('IMAGE_QUEUE_MAX'), 64, problems),
    imageJobTimeoutMs: parsePositiveInteger('IMAGE_JOB_TIMEOUT_MS', read('IMAGE_JOB_TIMEOUT_MS'), 30_000, problems),
    maxImageBytes: parsePositiveInteger('MAX_IMAGE_BYTES', read('MAX_IMAGE_BYTES'), 25 * 1024 * 1024, problems),
    maxVideoBytes: parsePositiveInteger('MAX_VIDEO_BYTES', read('MAX_VIDEO_BYTES'), 512 * 1024 * 1024, problems),
    rpcSessionTtlSeconds: parsePositiveInteger('RPC_SESSION_TTL_SECONDS', read('RPC_SESSION_TTL_SECONDS'), 24 * 60 * 60, problems),
    feedHeartbeatMs: parsePositiveInteger('FEED_HEARTBEAT_MS', read('FEED_HEARTBEAT_MS'), 15_000, problems),
    feedMaxBufferedBytes: parsePositiveInteger('FEED_MAX_BUFFERED_BYTES', read('FEED_MAX_BUFFERED_BYTES'), 1024 * 1024, problems),
    aggregateCacheBytes: parseNonNegativeInteger('AGGREGATE_CACHE_BYTES', read('AGGREGATE_CACHE_BYTES'), DEFAULT_AGGREGATE_CACHE_BYTES, problems),
    delivery: parseDeliveryConfig(read, problems, minio ? 's3' : 'files'),
    limits: parseLimitsConfig(read, problems),
    readGuardTimeoutMs: parseNonNegativeInteger('READ_GUARD_TIMEOUT_MS', read('READ_GUARD_TIMEOUT_MS'), 2000, problems),
    observability: parseObservabilityConfig(read, problems),
    corsOrigins: parseCorsOrigins(read('CORS_ORIGINS'), problems),
    webhooks: parseWebhooksConfig(read, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined) return 8000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    problems.push(`PORT must be an integer between 1 and 65535, got "${value}"`);
    return 8000;
  }
  return port;
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) {
    problems.push(`${name} must be a positive whole number, got "${value}"`);
    return fallback;
  }
  return Number(value);
}

/** A whole number, 0 allowed (it turns a guard or a cache off). */
function parseNonNegativeInteger(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value)) {
    problems.push(`${name} must be a whole number (0 turns it off), got "${value}"`);
    return fallback;
  }
  return Number(value);
}

function parseUrl(name: string, value: string | undefined, problems: string[], protocols: string[]): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (!protocols.includes(url.protocol)) throw new Error('protocol');
    if (url.search || url.hash) throw new Error('query');
    return value.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} must be an absolute ${protocols.join(' or ')} URL without query or fragment, got "${value}"`);
    return undefined;
  }
}

function parseApiUsers(value: string | undefined, problems: string[], required: boolean): ApiUser[] | undefined {
  if (value === undefined) {
    // Several instances on one event store must share their users: a key generated per instance would not.
    if (required) problems.push('API_USERS must be set (REQUIRE_API_USERS=1): every instance must know the same users, as name:key,name2:key2');
    return undefined;
  }
  const users: ApiUser[] = [];
  const entries = value.split(',').map((part) => part.trim()).filter(Boolean);
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const name = entry.slice(0, separator);
    const key = entry.slice(separator + 1);
    if (separator <= 0 || !/^[\w.@+-]+$/.test(name) || !/^[\x21-\x7e]{16,}$/.test(key)) {
      // Never echo the entry: it may hold a key.
      problems.push(`API_USERS entry ${index + 1} must be name:key with a key of at least 16 visible characters and no spaces`);
    } else if (users.some((user) => user.name === name)) {
      problems.push(`API_USERS names user "${name}" twice`);
    } else if (users.some((user) => user.key === key)) {
      problems.push(`API_USERS gives two users the same key`);
    } else users.push({ name, key });
  });
  if (users.length === 0 && !problems.some((problem) => problem.startsWith('API_USERS'))) {
    problems.push('API_USERS must list at least one name:key');
  }
  return users;
}

function parseMinio(read: (name: string) => string | undefined, problems: string[]): MinioConfig | undefined {
  const endpoint = parseUrl('MINIO_ENDPOINT', read('MINIO_ENDPOINT'), problems, ['http:', 'https:']);
  if (endpoint === undefined) return undefined;
  const required = (name: string) => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required when MINIO_ENDPOINT is set`);
    return value ?? '';
  };
  const bucket = read('MINIO_BUCKET') ?? 'product-media';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`MINIO_BUCKET must be a valid S3 bucket name, got "${bucket}"`);
  return {
    endpoint,
    accessKey: required('MINIO_ACCESS_KEY'),
    secretKey: required('MINIO_SECRET_KEY'),
    bucket,
    region: read('MINIO_REGION') ?? 'us-east-1',
  };
}

function parseHostList(value: string | undefined, problems: string[]): string[] {
  if (value === undefined) return [];
  const hosts = value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  for (const host of hosts) {
    if (!/^[a-z0-9.:[\]-]+$/.test(host)) problems.push(`DOWNLOAD_ALLOWED_HOSTS has an invalid host "${host}"`);
  }
  return hosts;
}
