import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { captureLibraryOutput } from '../../src/logging/libraryOutput.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { spawnService } from '../support/childService.ts';
import { waitUntil } from '../support/testService.ts';

const NOISE = fileURLToPath(new URL('../support/libraryNoise.mjs', import.meta.url));

/** A stream that records what reaches its own `write`. */
function fakeStream() {
  const written: string[] = [];
  const stream = { write: (chunk: string) => (written.push(chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

test('what libraries write to stdout and stderr becomes JSON log lines, one per write', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  const stdout = fakeStream();
  const stderr = fakeStream();
  const restore = captureLibraryOutput(logger, { stdout: stdout.stream, stderr: stderr.stream });
  let calledBack = false;
  stderr.stream.write('Error: boom\n    at somewhere\n', () => (calledBack = true));
  stdout.stream.write(Buffer.from('a note\n'));
  stderr.stream.write('half a ');
  stderr.stream.write('line\n');
  stderr.stream.write('\n');
  stderr.stream.write('no newline yet');
  await waitUntil(() => lines.length === 4, 1000);
  assert.ok(calledBack, 'the write callback is called');
  assert.equal(
    lines.map(({ level, msg, stream, text }) => ({ level, msg, stream, text })),
    [
      { level: 'warn', msg: 'library output', stream: 'stderr', text: 'Error: boom\n    at somewhere' },
      { level: 'warn', msg: 'library output', stream: 'stdout', text: 'a note' },
      { level: 'warn', msg: 'library output', stream: 'stderr', text: 'half a line' },
      { level: 'warn', msg: 'library output', stream: 'stderr', text: 'no newline yet' },
    ],
  );
  restore();
  stderr.stream.write('after\n');
  assert.equal(stderr.written, ['after\n'], 'restored: the original writer again');
  assert.equal(stdout.written, []);
});

test('a running service keeps every line on stdout and stderr JSON while libraries write text', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'library-output-'));
  // What a run killed by a fatal error left on descriptor 2.
  await writeFile(join(dataDir, 'native-stderr.log'), 'FATAL ERROR: Reached heap limit\n');
  const service = await spawnService({ DATA_DIR: dataDir, API_USERS: 'erp:erp-key-0123456789abcdef', NODE_OPTIONS: `--import=${NOISE}` });
  try {
    service.child.kill('SIGUSR2');
    await waitUntil(() => service.stdout().includes('native text without a newline'), 10_000);
    service.child.kill('SIGTERM');
    assert.is(await service.exited, 0);
    const stdout = service.stdout().split('\n').filter((line) => line !== '');
    const parsed = stdout.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.unreachable(`not a JSON line on stdout: ${line}`);
        return {};
      }
    });
    assert.is(service.stderr(), '', 'nothing is left on stderr');
    const library = parsed.filter((line) => line.msg === 'library output').map((line) => String(line.text));
    for (const text of ['syncBatchThreshold is no longer supported', 'a library failure\nwith a second line', 'a library note on stdout', 'a library warning', 'text without a newline at the end']) {
      assert.ok(library.some((line) => line.includes(text)), `"${text}" is in a library output line`);
    }
    const native = parsed.filter((line) => line.msg === 'native output').map((line) => [line.level, line.stream, line.text]);
    assert.equal(native, [['warn', 'stderr', 'FATAL ERROR: Reached heap limit'], ['warn', 'stderr', 'native text without a newline']], 'text written to descriptor 2 by native code is a JSON line');
    assert.equal(parsed.filter((line) => line.msg === 'native output').map((line) => line.previousRun), [true, undefined], 'the previous run\'s text first');
    assert.ok(parsed.some((line) => line.msg === 'stopped'), 'our own lines are there too');
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
