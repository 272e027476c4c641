import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiUser } from '../config/config.ts';

/**
 * The users to serve when `API_USERS` is unset: an `admin` user with a random key, created on
 * the first start and kept (mode 0600) in `DATA_DIR/api-users.json` so it survives restarts.
 * `created` tells the caller to print the key, which happens that one time only.
 */
export async function loadOrCreateApiUsers(dataDir: string): Promise<{ users: ApiUser[]; created: boolean }> {
  const file = join(dataDir, 'api-users.json');
  try {
    return { users: JSON.parse(await readFile(file, 'utf8')) as ApiUser[], created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const users: ApiUser[] = [{ name: 'admin', key: randomBytes(20).toString('hex') }];
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600, flush: true });
  await rename(temporary, file);
  return { users, created: true };
}
