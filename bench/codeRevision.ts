import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the benchmarks run: this suite in-process, and the service in child processes. */
const ENTRY_POINTS = ['bench/run.ts', 'src/main.ts'];
/** Relative imports of our own modules, static or dynamic, with their `.ts` extension. */
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g;

/**
 * Which code a run measured: the git commit, plus a SHA-256 over every source file the benchmarks
 * and the service load (followed through relative imports), as they are on disk. Uncommitted work
 * is measured too, and others may edit while a run is going, so `bench/run.ts` compares the
 * fingerprint at its start and at its end.
 */
export function describeCodeRevision(): string {
  const files = [...moduleGraph(ENTRY_POINTS.map((entry) => resolve(REPO_ROOT, entry)))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${relative(REPO_ROOT, file)}\n`);
    hash.update(readFileSync(file));
  }
  const fingerprint = hash.digest('hex').slice(0, 16);
  // The suite itself is hashed too, but it is not what the figures are about.
  const measured = files.map((file) => relative(REPO_ROOT, file)).filter((file) => !file.startsWith('bench/'));
  const commit = git(['rev-parse', '--short', 'HEAD']) ?? 'unknown commit';
  const changed = git(['status', '--porcelain', '--', ...measured])?.split('\n').filter(Boolean).length ?? 0;
  const tree = changed === 0 ? 'the measured code as committed' : `${changed} measured file(s) outside bench/ with uncommitted changes`;
  return `git ${commit} (${tree}); sha256 of the ${files.length} source files loaded: ${fingerprint}`;
}

function moduleGraph(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      pending.push(resolve(dirname(file), specifier!));
    }
  }
  return seen;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
