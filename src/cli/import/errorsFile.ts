import { rm, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';

/** The columns of `<file>.errors.csv`: the import's own columns (so the file can be imported again), then where and why. */
export const ERROR_COLUMNS = ['sku', 'name', 'image', 'order', 'types', 'label', 'exclude', 'line', 'error'] as const;

export interface FailedRow {
  line: number;
  raw: Record<string, unknown>;
  reason: string;
}

export function errorsFileOf(importFile: string): string {
  return `${importFile}.errors.csv`;
}

/** The failed rows as CSV text, in line order. */
export function errorsCsv(failed: readonly FailedRow[]): string {
  const rows = [...failed]
    .sort((a, b) => a.line - b.line)
    .map(({ line, raw, reason }) =>
      ERROR_COLUMNS.map((column) => {
        if (column === 'line') return String(line);
        if (column === 'error') return reason;
        const value = raw[column] ?? (column === 'sku' && raw.text !== undefined ? '' : undefined);
        if (value === undefined || value === null) return '';
        return Array.isArray(value) ? value.join('|') : typeof value === 'object' ? JSON.stringify(value) : String(value);
      }),
    );
  return stringify([[...ERROR_COLUMNS], ...rows]);
}

/** Writes the errors file, or removes a stale one when no row failed. */
export async function writeErrorsFile(path: string, failed: readonly FailedRow[]): Promise<void> {
  if (failed.length === 0) await rm(path, { force: true });
  else await writeFile(path, errorsCsv(failed));
}
