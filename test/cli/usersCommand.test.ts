import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadOrCreateApiUsers } from '../../src/auth/apiUsersFile.ts';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';

const test = suite<{ dir: string }>('catalog users');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'catalog-users-'));
});
test.after.each(async ({ dir }) => rm(dir, { recursive: true, force: true }));

const run = async (dir: string, ...args: string[]) => {
  const io = captureIo({ DATA_DIR: dir });
  const code = await runCatalog(['users', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
};

test('add, rotate and remove change the file the service reads at start; keys are printed once', async ({ dir }) => {
  const added = await run(dir, 'add', 'erp');
  assert.is(added.code, 0, added.err);
  const [, key] = added.out.trim().split(' ');
  assert.match(key!, /^[0-9a-f]{40}$/);
  assert.equal((await loadOrCreateApiUsers(dir)).users, [{ name: 'erp', key }]);
  assert.is((await stat(join(dir, 'api-users.json'))).mode & 0o777, 0o600);

  assert.is((await run(dir, 'add', 'backoffice')).code, 0);
  const rotated = await run(dir, 'rotate', 'erp');
  const [, newKey] = rotated.out.trim().split(' ');
  assert.is.not(newKey, key);
  assert.equal((await loadOrCreateApiUsers(dir)).users.map((user) => user.key === newKey || user.name), [true, 'backoffice']);

  assert.equal(await run(dir, 'remove', 'erp'), { code: 0, out: 'removed erp\n', err: `Restart the service to apply (${join(dir, 'api-users.json')}).\n` });
  assert.equal(await run(dir, 'list'), { code: 0, out: 'backoffice\n', err: '' });
  assert.not.match(await readFile(join(dir, 'api-users.json'), 'utf8'), newKey!);
});

test('refusals exit 2 with the reason and leave the file as it was', async ({ dir }) => {
  await run(dir, 'add', 'erp');
  const before = await readFile(join(dir, 'api-users.json'), 'utf8');
  assert.equal(await run(dir, 'add', 'erp'), { code: 2, out: '', err: 'catalog: User "erp" already exists (use "catalog users rotate erp" for a new key).\n' });
  assert.equal(await run(dir, 'add', 'bad name'), { code: 2, out: '', err: 'catalog: "bad name" is not a valid user name: 1-150 letters, digits and @ . + - _ only.\n' });
  assert.equal(await run(dir, 'rotate', 'nobody'), { code: 2, out: '', err: 'catalog: There is no user "nobody".\n' });
  assert.equal(await run(dir, 'remove', 'erp'), { code: 2, out: '', err: 'catalog: User "erp" is the only user; add another before removing it.\n' });
  assert.is(await readFile(join(dir, 'api-users.json'), 'utf8'), before);
  assert.is((await run(dir, 'add')).code, 2);
});

test.run();
