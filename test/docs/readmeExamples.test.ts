import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnService, type ChildService } from '../support/childService.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOCUMENTS = ['README.md', 'docs/events.md', 'docs/jsonrpc.md', 'docs/testing.md'];

/**
 * The README's shell examples that talk to the quick-start service, in order, as one script.
 * A block that needs a server of the reader's own (a webhook receiver on the internet) names it
 * `*.example.com`, which resolves nowhere: it is left out, and said so by that name.
 */
export function quickStartExamples(readme: string): string[] {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => block.includes('localhost:8000') && !/https?:\/\/[\w.-]+\.example\.com/.test(block));
}

const test = suite<{ folder: string; service: ChildService }>('the README examples, as pasted');
test.before(async (context) => {
  // A fresh start as the quick start describes it: `npm start` in a folder, data under ./data.
  context.folder = await mkdtemp(join(tmpdir(), 'readme-'));
  context.service = await spawnService({ DATA_DIR: join(context.folder, 'data') });
});
test.after(async ({ folder, service }) => {
  service.child.kill('SIGTERM');
  await service.exited;
  await rm(folder, { recursive: true, force: true });
});

test('every shell example against the quick-start service runs, in order, without an error answer', async ({ folder, service }) => {
  const blocks = quickStartExamples(await readFile(join(REPO, 'README.md'), 'utf8'));
  assert.ok(blocks.length >= 4, `${blocks.length} blocks`);
  // Only the port differs (the test's service listens on a free one); every curl also reports
  // its status on standard error, where the examples' own output is not.
  // `npx catalog` resolves in a checkout; the test's folder is not one, so the same bin is named by its path.
  const script = [`curl() { command curl -w '%{stderr}%{http_code} %{url_effective}\\n' "$@"; }`, ...blocks]
    .join('\n')
    .replaceAll('localhost:8000', `localhost:${service.port}`)
    .replaceAll('npx catalog ', `node ${join(REPO, 'bin', 'catalog.mjs')} `);
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) => {
    execFile('bash', ['-c', script], { cwd: folder, timeout: 90_000, env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO, 'node_modules') } }, (error, out, err) =>
      error && error.killed ? fail(error) : done({ stdout: out, stderr: err }),
    );
  });
  const statuses = stderr.split('\n').filter((line) => /^\d{3} /.test(line));
  assert.ok(statuses.length >= 10, `every curl ran: ${stderr}`);
  assert.equal(statuses.filter((line) => !/^2\d\d /.test(line)), [], `no error answer\n${stdout}`);
  assert.match(stdout, /"pk":16201,"sku":"LAMP-1"/);
  assert.match(stdout, /"result":\[?"\/l\/a\/lamp\.jpg"/, 'the JSON-RPC create');
  assert.match(stdout, /"file":"\/l\/a\/lamp\.jpg"/, 'the JSON-RPC list');
  assert.match(stdout, /"event":"ImageUploaded".*"main_image":\[null,\d+\]/, 'the audit example finds the main image');
  assert.match(stdout, /\nid: \w+\ndata: \{"position"/, 'the event stream sends frames');
  assert.match(stdout, /rebuild [0-9a-f-]{36}: 1 instance\(s\) switched, 0 failed, in \d+\.\d s\n[\s\S]*rebuild [0-9a-f-]{36}: 1 instance\(s\) switched, 0 failed/, 'the two rebuilds of the running service');
});

test('the documents link only to files inside the repository, and those exist', async () => {
  for (const document of DOCUMENTS) {
    const text = await readFile(join(REPO, document), 'utf8');
    assert.not.match(text, /\.\.\/shared|\/work\//, `${document} names a path outside the repository`);
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^https?:/.test(target!)) continue;
      const path = resolve(dirname(join(REPO, document)), target!);
      assert.ok(path.startsWith(REPO), `${document} links outside the repository: ${target}`);
      assert.ok(existsSync(path), `${document} links to a missing file: ${target}`);
    }
  }
});

test.run();
