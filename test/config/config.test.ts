import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const test = suite('configuration');

test('defaults apply when the environment is empty', () => {
  const config = loadConfig({});
  assert.is(config.port, 8000);
  assert.is(config.host, undefined);
  assert.is(config.dataDir, './data');
  assert.is(config.publicBaseUrl, 'http://localhost:8000');
  assert.is(config.mediaBaseUrl, 'http://localhost:8000/media');
  assert.is(config.apiUsers, undefined);
  assert.is(config.eventStoreUrl, undefined);
  assert.is(config.minio, undefined);
  assert.equal(config.downloadAllowedHosts, []);
  assert.is(config.rpcSessionTtlSeconds, 86400);
});

test('values are read and derived links follow PORT and PUBLIC_BASE_URL', () => {
  const config = loadConfig({
    PORT: '9000',
    HOST: '127.0.0.1',
    DATA_DIR: '/var/lib/media',
    PUBLIC_BASE_URL: 'https://pim.example.com/',
    API_USERS: 'erp:erp-key-0123456789abcdef, wms:wms-key-0123456789abcdef',
    DOWNLOAD_ALLOWED_HOSTS: 'ERP.local,10.0.0.5',
    EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false',
    MINIO_ENDPOINT: 'http://127.0.0.1:9000',
    MINIO_ACCESS_KEY: 'minio',
    MINIO_SECRET_KEY: 'minio-secret',
  });
  assert.is(config.port, 9000);
  assert.is(config.publicBaseUrl, 'https://pim.example.com');
  assert.is(config.mediaBaseUrl, 'https://pim.example.com/media');
  assert.equal(config.apiUsers, [
    { name: 'erp', key: 'erp-key-0123456789abcdef' },
    { name: 'wms', key: 'wms-key-0123456789abcdef' },
  ]);
  assert.equal(config.downloadAllowedHosts, ['erp.local', '10.0.0.5']);
  assert.equal(config.minio, { endpoint: 'http://127.0.0.1:9000', accessKey: 'minio', secretKey: 'minio-secret', bucket: 'product-media', region: 'us-east-1' });
  assert.is(loadConfig({ PORT: '9000' }).publicBaseUrl, 'http://localhost:9000');
});

test('every problem is reported at once, each naming its variable', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      PUBLIC_BASE_URL: 'ftp://x',
      API_USERS: 'nokey',
      EVENTSTORE_URL: 'http://wrong',
      MINIO_ENDPOINT: 'http://127.0.0.1:9000',
      LOG_LEVEL: 'loud',
    });
    assert.unreachable('must throw');
  } catch (error) {
    assert.instance(error, ConfigError);
    const problems = (error as ConfigError).problems;
    for (const variable of ['PORT', 'PUBLIC_BASE_URL', 'API_USERS', 'EVENTSTORE_URL', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'LOG_LEVEL']) {
      assert.ok(problems.some((problem) => problem.startsWith(variable)), `a problem names ${variable}: ${problems.join(' | ')}`);
    }
    assert.is(problems.length, 7);
    assert.not.match((error as Error).message, /nokey/, 'never echo what may be a secret');
  }
});

test('API_USERS refuses short keys, duplicate names and duplicate keys', () => {
  for (const value of ['erp:short', 'erp:erp-key-0123456789abcdef,erp:other-key-0123456789ab', 'a:same-key-0123456789abc,b:same-key-0123456789abc']) {
    assert.throws(() => loadConfig({ API_USERS: value }), (error: ConfigError) => error.problems.some((problem) => problem.startsWith('API_USERS')));
  }
});

test('the bounds on image work have defaults, are read, and must be positive whole numbers', () => {
  const defaults = loadConfig({});
  assert.equal(
    [defaults.maxInputPixels, defaults.maxAnimationPixels, defaults.imageQueueMax, defaults.imageJobTimeoutMs],
    [64_000_000, 2_500_000, 64, 30_000],
  );
  const read = loadConfig({ MAX_ANIMATION_PIXELS: '1000000', IMAGE_QUEUE_MAX: '8', IMAGE_JOB_TIMEOUT_MS: '5000' });
  assert.equal([read.maxAnimationPixels, read.imageQueueMax, read.imageJobTimeoutMs], [1_000_000, 8, 5000]);
  assert.throws(
    () => loadConfig({ MAX_ANIMATION_PIXELS: '0', IMAGE_QUEUE_MAX: 'many', IMAGE_JOB_TIMEOUT_MS: '-1' }),
    (error: ConfigError) =>
      error.problems.join(' | ') ===
      'MAX_ANIMATION_PIXELS must be a positive whole number, got "0" | IMAGE_QUEUE_MAX must be a positive whole number, got "many" | IMAGE_JOB_TIMEOUT_MS must be a positive whole number, got "-1"',
  );
});

test('AGGREGATE_CACHE_BYTES bounds the command handler\'s remembered states; 0 turns them off', () => {
  assert.is(loadConfig({}).aggregateCacheBytes, 32 * 1024 * 1024);
  assert.is(loadConfig({ AGGREGATE_CACHE_BYTES: '0' }).aggregateCacheBytes, 0);
  assert.is(loadConfig({ AGGREGATE_CACHE_BYTES: '268435456' }).aggregateCacheBytes, 268_435_456);
  try {
    loadConfig({ AGGREGATE_CACHE_BYTES: '64MB' });
    assert.unreachable('must throw');
  } catch (error) {
    assert.equal((error as ConfigError).problems, ['AGGREGATE_CACHE_BYTES must be a whole number (0 turns it off), got "64MB"']);
  }
});

test('webhook settings are whole numbers within their bounds, read like every other setting', () => {
  assert.is(loadConfig({ WEBHOOK_LEASE_MS: '4000' }).webhooks.leaseMs, 4000);
  try {
    loadConfig({ WEBHOOK_LEASE_MS: '100', WEBHOOK_CONCURRENCY: '8x' });
    assert.unreachable('must throw');
  } catch (error) {
    assert.equal((error as ConfigError).problems, [
      'WEBHOOK_CONCURRENCY must be a whole number from 1 to 256, got "8x"',
      'WEBHOOK_LEASE_MS must be a whole number from 300 to 3600000, got "100"',
    ]);
  }
});

test.run();
