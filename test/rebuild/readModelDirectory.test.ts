import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { besideReadModels, currentReadModels, pointReadModelsAt, removeStaleReadModels } from '../../src/rebuild/readModelDirectory.ts';

const test = suite<{ dir: string }>('read-model directory pointer');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'readmodel-dir-'));
});
test.after.each(async ({ dir }) => rm(dir, { recursive: true, force: true }));

test('without a pointer the read models are DATA_DIR/readmodels; a switch names the new directory for the next start', async ({ dir }) => {
  assert.is(await currentReadModels(dir), join(dir, 'readmodels'));
  const beside = besideReadModels(dir, '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b');
  assert.is(beside, join(dir, 'readmodels-6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b'));
  await pointReadModelsAt(dir, beside);
  assert.is(await currentReadModels(dir), beside);
  assert.equal(readdirSync(dir), ['readmodels.current']);
});

test('a pointer that names no read-model directory falls back to readmodels; switching outside DATA_DIR is refused', async ({ dir }) => {
  writeFileSync(join(dir, 'readmodels.current'), '../../etc\n');
  assert.is(await currentReadModels(dir), join(dir, 'readmodels'));
  await pointReadModelsAt(join(dir, 'x'), join(dir, 'readmodels')).then(
    () => assert.unreachable('switched outside DATA_DIR'),
    (error: Error) => assert.is(error.message, `not a read-model directory of ${join(dir, 'x')}: ${join(dir, 'readmodels')}`),
  );
});

test('at start every read-model directory but the current one goes, other files stay', async ({ dir }) => {
  for (const name of ['readmodels', 'readmodels-a', 'readmodels-rebuild', 'media']) mkdirSync(join(dir, name));
  writeFileSync(join(dir, 'readmodels.current.tmp'), 'readmodels-b');
  writeFileSync(join(dir, 'events.mdb'), '');
  assert.equal((await removeStaleReadModels(dir, join(dir, 'readmodels-a'))).sort(), ['readmodels', 'readmodels-rebuild']);
  assert.equal(readdirSync(dir).sort(), ['events.mdb', 'media', 'readmodels-a']);
  assert.not.ok(existsSync(join(dir, 'readmodels.current.tmp')));
});

test.run();
