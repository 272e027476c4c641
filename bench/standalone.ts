import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { renderConsoleTable } from './benchmarksReport.ts';

/** Whether the module at `moduleUrl` is the script node was started with (`npx tsx bench/x.ts`). */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Runs one benchmark on its own and prints its rows and notes (BENCHMARKS.md is left alone). */
export function runStandalone(benchmark: () => Promise<BenchmarkResult | BenchmarkResult[]>): void {
  benchmark().then(
    (outcome) => {
      const results = Array.isArray(outcome) ? outcome : [outcome];
      const notes = results.flatMap((result) => result.details.map((line) => `- ${line}`));
      process.stdout.write(`${renderConsoleTable(results)}\n\n${notes.join('\n')}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
