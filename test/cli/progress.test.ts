import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { progressFor } from '../../src/cli/progress.ts';

const test = suite('Progress off a terminal is plain periodic lines');

function lines(total: number | undefined) {
  let text = '';
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
  let now = 0;
  const progress = progressFor({ unit: 'rows', label: 'import', stream, lineIntervalMs: 5000, now: () => now });
  progress.start(total);
  return { progress, at: (ms: number) => (now = ms), text: () => text };
}

test('a line every interval with done/total, rate, failures and ETA, and one at the end', async () => {
  const run = lines(100);
  run.at(1000);
  run.progress.update(10, 0);
  run.at(5000);
  run.progress.update(50, 2);
  run.at(6000);
  run.progress.update(60, 2);
  run.at(8000);
  run.progress.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(run.text(), 'import: 50/100 rows, 10.0/s, 2 failed, ETA 5s\nimport: 60/100 rows, 7.5/s, 2 failed, ETA 6s\n');
});

test('without a total: the count and rate only', async () => {
  const run = lines(undefined);
  run.at(2000);
  run.progress.update(40, 0);
  run.progress.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(run.text(), 'import: 40 rows, 20.0/s, 0 failed\n');
});

test.run();
