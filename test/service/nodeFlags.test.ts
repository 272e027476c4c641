import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVICE_NODE_FLAGS } from '../../src/nodeFlags.ts';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

test('npm start runs the service with the Node flags of src/nodeFlags.ts', () => {
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.is(scripts.start, `tsx ${SERVICE_NODE_FLAGS.join(' ')} src/main.ts`);
});

test('the Docker image runs the service with the same Node flags', () => {
  const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
  assert.ok(cmd, 'the Dockerfile has an exec-form CMD');
  assert.equal(JSON.parse(cmd[1]!), ['node', ...SERVICE_NODE_FLAGS, '--import', 'tsx', 'src/main.ts']);
});

test('the service process runs with them', async () => {
  const { spawnSync } = await import('node:child_process');
  const { stdout } = spawnSync('npx', ['tsx', ...SERVICE_NODE_FLAGS, '-e', 'console.log(JSON.stringify(process.execArgv))'], { encoding: 'utf8' });
  const execArgv = JSON.parse(stdout.trim().split('\n').pop()!) as string[];
  for (const flag of SERVICE_NODE_FLAGS) assert.ok(execArgv.includes(flag), `${flag} in ${execArgv.join(' ')}`);
});

test.run();
