import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/config.ts';
import { skipFile } from '../support/skipFile.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

const staticChecks = suite('docker-compose.yml');

staticChecks('interpolates no variable as required: Compose interpolates every service, profiles or not', () => {
  assert.not.match(compose, /\$\{[A-Z_]+:\?/);
});

staticChecks('publishes the insecure development EventStoreDB and MinIO on 127.0.0.1 only', () => {
  for (const port of ['2113', '9000', '9001']) {
    assert.match(compose, new RegExp(`- "127\\.0\\.0\\.1:${port}:${port}"`), port);
    assert.not.match(compose, new RegExp(`- "${port}:${port}"`), port);
  }
});

staticChecks('the cluster instances refuse to start without shared users, naming the variable', () => {
  assert.match(compose, /REQUIRE_API_USERS: "1"/);
  let message = '';
  try {
    loadConfig({ REQUIRE_API_USERS: '1' });
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /API_USERS must be set \(REQUIRE_API_USERS=1\)/);
  assert.is(loadConfig({ REQUIRE_API_USERS: '1', API_USERS: 'erp:erp-key-0123456789abcdef' }).apiUsers?.[0]?.name, 'erp');
});

staticChecks.run();

const available = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
if (!available) {
  skipFile('docker-compose config', 'docker-compose is not installed (apt-get install docker-compose)');
} else {
  const cli = suite('docker-compose config (Debian\'s Compose v1)');
  const config = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('docker-compose', [...args, 'config', '--quiet'], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  cli('the default stack is valid with no variables set', () => {
    const result = config([]);
    assert.is(result.status, 0, result.stderr);
  });
  cli('the cluster profile is valid with and without API_USERS (the instances check it themselves)', () => {
    for (const env of [{}, { API_USERS: 'erp:erp-key-0123456789abcdef' }] as Record<string, string>[]) {
      const result = config(['--profile', 'cluster'], env);
      assert.is(result.status, 0, result.stderr);
    }
  });
  cli.run();
}
