import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The read models' directory when no rebuild ever switched (and the one older versions used). */
export const DEFAULT_READ_MODELS = 'readmodels';
/** Names the directory the instance serves from: written last, atomically, by a switch. */
const POINTER = 'readmodels.current';
/** What a read-model directory is called: `readmodels` or `readmodels-<suffix>` (no dot: LMDB takes a path with an extension for a file). */
const READ_MODEL_DIRECTORY = /^readmodels(-[A-Za-z0-9_-]{1,64})?$/;

/** The directory of the read models to serve from: the one the last switch named, else `readmodels`. */
export async function currentReadModels(dataDir: string): Promise<string> {
  let name: string;
  try {
    name = (await readFile(join(dataDir, POINTER), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return join(dataDir, DEFAULT_READ_MODELS);
    throw error;
  }
  // A pointer that names nothing valid (edited by hand) falls back to the default, which is then rebuilt if need be.
  return join(dataDir, READ_MODEL_DIRECTORY.test(name) ? name : DEFAULT_READ_MODELS);
}

/** A fresh directory beside the current one for a rebuild (`readmodels-<suffix>`). */
export function besideReadModels(dataDir: string, suffix: string): string {
  const name = `${DEFAULT_READ_MODELS}-${suffix.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64)}`;
  return join(dataDir, name);
}

/**
 * Makes `directory` (a child of `dataDir`) the one served from after a restart: the pointer is
 * written to a temporary file, flushed, renamed over the old pointer and the directory flushed,
 * so a crash leaves either the old pointer or the new one, never a torn one.
 */
export async function pointReadModelsAt(dataDir: string, directory: string): Promise<void> {
  const name = directory.slice(dataDir.length).replace(/^[/\\]+/, '');
  if (!READ_MODEL_DIRECTORY.test(name)) throw new Error(`not a read-model directory of ${dataDir}: ${directory}`);
  const temporary = join(dataDir, `${POINTER}.tmp`);
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(`${name}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, join(dataDir, POINTER));
  const parent = await open(dataDir, 'r');
  try {
    await parent.sync();
  } finally {
    await parent.close();
  }
}

/**
 * Removes every read-model directory of `dataDir` but the current one: what a rebuild left beside
 * when the process died before its switch, or the old directory when it died before removing it.
 * Only while no rebuild runs (at start). @returns the removed directories' names.
 */
export async function removeStaleReadModels(dataDir: string, current: string): Promise<string[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  const stale = entries.filter((entry) => entry.isDirectory() && READ_MODEL_DIRECTORY.test(entry.name) && join(dataDir, entry.name) !== current);
  await Promise.all(stale.map((entry) => rm(join(dataDir, entry.name), { recursive: true, force: true })));
  await rm(join(dataDir, `${POINTER}.tmp`), { force: true });
  return stale.map((entry) => entry.name);
}
