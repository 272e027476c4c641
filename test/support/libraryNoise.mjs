// Preloaded into a service child (NODE_OPTIONS=--import=...): on SIGUSR2 it makes libraries
// write to standard output and error the ways they do, for the test that every line stays JSON.
import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';

process.on('SIGUSR2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'library-noise-'));
  // lmdb-js warns with console.warn about an option it no longer supports.
  const db = open({ path: dir, syncBatchThreshold: 1 });
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  console.error(new Error('a library failure\nwith a second line'));
  console.log('a library note on stdout');
  process.emitWarning('a library warning');
  process.stderr.write('text without a newline at the end');
  // As native code prints (lmdb-js's fprintf): straight to descriptor 2, past Node's streams.
  writeSync(2, 'native text without a newline');
});
