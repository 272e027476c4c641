import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Progress } from '../progress.ts';
import { RemoteError, type CatalogClient } from './catalogClient.ts';
import { errorsFileOf, writeErrorsFile, type FailedRow } from './errorsFile.ts';
import { hashCacheFileOf, openHashCache } from './hashCache.ts';
import { ImageSourceError } from './imageSource.ts';
import { formatOfFile, parseImportText, type ImportRow } from './importRows.ts';
import { rowImporter } from './rowImporter.ts';

export interface ImportOptions {
  file: string;
  client: CatalogClient;
  concurrency: number;
  progress: Progress;
  /** Aborted: no new row starts; rows under way finish (a re-run resumes after them). */
  signal?: AbortSignal;
  maxImageBytes?: number;
  downloadTimeoutMs?: number;
}

export interface ImportSummary {
  total: number;
  created: number;
  /** Rows whose content the product already held. */
  skipped: number;
  failed: number;
  /** Rows not started because the run was interrupted or stopped. */
  notProcessed: number;
  interrupted: boolean;
  /** Why the whole run stopped (e.g. the service refused the token). */
  fatal?: string;
  errorsFile?: string;
  seconds: number;
}

/** Largest import file read (its rows are held in memory). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The name each product gets when it is created: the first name its rows give, in file order. */
export function productNamesOf(rows: readonly ImportRow[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const row of rows) if (row.name && !names.has(row.sku)) names.set(row.sku, row.name);
  return names;
}

/** Imports every row of a CSV/JSONL file; failed rows are reported, never stop the others. */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const text = await readImportFile(options.file);
  const parsed = parseImportText(text, formatOfFile(options.file));
  const failed: FailedRow[] = [];
  const rows: { row: ImportRow; raw: Record<string, unknown> }[] = [];
  for (const entry of parsed) {
    if (entry.ok) rows.push({ row: entry.row, raw: entry.raw });
    else failed.push(entry.problem);
  }
  const hashes = await openHashCache(hashCacheFileOf(options.file));
  const importRow = rowImporter({
    hashes,
    productNames: productNamesOf(rows.map((each) => each.row)),
    client: options.client,
    source: { baseDir: dirname(options.file), maxBytes: options.maxImageBytes ?? 25 * 1024 * 1024, timeoutMs: options.downloadTimeoutMs ?? 60_000 },
  });

  const counts = { created: 0, skipped: 0 };
  let fatal: string | undefined;
  let next = 0;
  const { progress } = options;
  progress.start(parsed.length);
  const report = () => progress.update(counts.created + counts.skipped + failed.length, failed.length);
  report();

  const worker = async () => {
    while (next < rows.length && fatal === undefined && !options.signal?.aborted) {
      const { row, raw } = rows[next++]!;
      try {
        counts[await importRow(row)]++;
      } catch (error) {
        if (error instanceof RemoteError && error.fatal) fatal ??= error.message;
        failed.push({ line: row.line, raw, reason: reasonOf(error) });
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, rows.length)) }, worker));
  progress.stop();

  await hashes.save();
  const errorsFile = errorsFileOf(options.file);
  await writeErrorsFile(errorsFile, failed);
  return {
    total: parsed.length,
    ...counts,
    failed: failed.length,
    notProcessed: rows.length - next,
    interrupted: options.signal?.aborted ?? false,
    ...(fatal === undefined ? {} : { fatal }),
    ...(failed.length > 0 ? { errorsFile } : {}),
    seconds: (Date.now() - started) / 1000,
  };
}

async function readImportFile(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  if (text.length > MAX_FILE_BYTES) throw new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes; split it.`);
  return text;
}

function reasonOf(error: unknown): string {
  if (error instanceof ImageSourceError || error instanceof RemoteError) return error.message;
  return `Unexpected error: ${(error as Error).message ?? String(error)}`;
}
