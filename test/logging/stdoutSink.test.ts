import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const LOGGER = fileURLToPath(new URL('../../src/logging/logger.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a script that logs `lines` lines to standard output (a pipe read slowly), ending as `ending` says. */
function logInChild(lines: number, ending: 'flush' | 'exit' | 'return', readDelayMs: number): Promise<string[]> {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    process.stdout.write('');
    const logger = createLogger();
    for (let i = 0; i < ${lines}; i++) logger.child({ requestId: 'r' + i }).info('request', { i, pad: 'x'.repeat(200) });
    ${ending === 'flush' ? 'await logger.flush();' : ending === 'exit' ? 'process.exit(0);' : ''}
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), readDelayMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString().split('\n').filter(Boolean)) : reject(new Error(`exit ${code}`))));
  });
}

for (const ending of ['flush', 'exit', 'return'] as const) {
  test(`every line reaches standard output, in order, through a full pipe (${ending})`, async () => {
    const lines = await logInChild(20_000, ending, 300);
    assert.is(lines.length, 20_000);
    lines.forEach((line, index) => assert.is((JSON.parse(line) as { i: number }).i, index));
  });
}

test('a line reaches standard output within milliseconds while the process goes on', async () => {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    createLogger().info('ready', { at: Date.now() });
    setTimeout(() => {}, 10_000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.once('error', reject);
      child.once('exit', () => reject(new Error('the child exited before logging')));
    });
    const { msg, at } = JSON.parse(line) as { msg: string; at: number };
    assert.is(msg, 'ready');
    assert.ok(Date.now() - at < 1000, `the line came ${Date.now() - at} ms after it was logged`);
  } finally {
    child.kill('SIGKILL');
  }
});

test.run();
