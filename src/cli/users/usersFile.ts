import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApiUser } from '../../config/config.ts';
import { CommandError } from '../exitCodes.ts';

/** The file-based user directory the service reads at start when `API_USERS` is unset. */
export function usersFilePath(dataDir: string): string {
  return join(dataDir, 'api-users.json');
}

export async function readUsersFile(path: string): Promise<ApiUser[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CommandError(`${path} cannot be read: ${(error as Error).message}`);
  }
  const users = JSON.parse(text) as unknown;
  if (!Array.isArray(users) || !users.every((user) => typeof user?.name === 'string' && typeof user?.key === 'string')) {
    throw new CommandError(`${path} is not a list of {"name", "key"} users.`);
  }
  return users as ApiUser[];
}

/** Replaces the file atomically (a reader sees the old list or the new one), readable by its owner only. */
export async function writeUsersFile(path: string, users: readonly ApiUser[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600, flush: true });
  await rename(temporary, path);
}

/** A new API key: 40 hex digits, as the service makes on its first start. */
export function newApiKey(): string {
  return randomBytes(20).toString('hex');
}
