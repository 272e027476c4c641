import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../support/childService.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const RECORDER = fileURLToPath(new URL('../support/recordImports.mjs', import.meta.url));
const KEY = 'lazy-key-0123456789abcdef';

/**
 * Runs the service as `npm start` does, serves one write, stops it, and answers the
 * `@opentelemetry/*` modules the process imported.
 */
async function openTelemetryImports(env: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'media-catalog-lazy-'));
  const record = join(dir, 'imports.txt');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(dir, 'data'),
      API_USERS: `erp:${KEY}`,
      RECORD_IMPORTS_FILE: record,
      RECORD_IMPORTS_MATCH: '@opentelemetry',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 30_000;
    while (!output.includes('"msg":"listening"')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`service did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/products/`, {
      method: 'POST',
      headers: { authorization: `Token ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'LAZY-1' }),
    });
    assert.is(response.status, 201);
    child.kill('SIGTERM');
    assert.is(await exited, 0);
    return (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

const test = suite('OpenTelemetry is loaded only when configured');

test('without OTEL_EXPORTER_OTLP_ENDPOINT no @opentelemetry module is imported', async () => {
  assert.equal(await openTelemetryImports({}), []);
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT the SDK and the OTLP exporter are imported', async () => {
  const imported = await openTelemetryImports({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
  assert.ok(imported.includes('@opentelemetry/sdk-trace-base'), imported.join(', '));
  assert.ok(imported.includes('@opentelemetry/exporter-trace-otlp-http'), imported.join(', '));
});

test.run();
