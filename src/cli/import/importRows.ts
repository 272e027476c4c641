import { parse } from 'csv-parse/sync';

/** ShipStream image roles a row may give (`base` is Omnitron's name for the main image, `image`). */
export const ROW_TYPES = ['base', 'image', 'thumbnail', 'small_image'] as const;
type RowType = (typeof ROW_TYPES)[number];
export type ImageRoleName = 'image' | 'thumbnail' | 'small_image';

/** One row of an import file, checked. */
export interface ImportRow {
  /** 1-based line (CSV: data line after the header is 2; JSONL: the line number). */
  line: number;
  sku: string;
  name?: string;
  /** An http(s) URL or a local path (relative to the import file's folder). */
  image: string;
  order?: number;
  types: ImageRoleName[];
  label?: string;
  exclude?: boolean;
}

/** A row that could not be read: reported, never fatal. */
export interface RowProblem {
  line: number;
  /** What the row held, as far as it could be read (for the errors file). */
  raw: Record<string, unknown>;
  reason: string;
}

export type ParsedRow = { ok: true; row: ImportRow; raw: Record<string, unknown> } | { ok: false; problem: RowProblem };

/**
 * Reads an import file's text into rows, one result per row: a malformed row is a problem of that
 * row only. `format` comes from the file name (`.jsonl`/`.ndjson`, else CSV with a header line).
 */
export function parseImportText(text: string, format: 'csv' | 'jsonl'): ParsedRow[] {
  return format === 'jsonl' ? parseJsonLines(text) : parseCsv(text);
}

export function formatOfFile(path: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

function parseJsonLines(text: string): ParsedRow[] {
  const results: ParsedRow[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      results.push({ ok: false, problem: { line, raw: { text: content.slice(0, 200) }, reason: 'Not a JSON object: the line does not parse as JSON.' } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      results.push({ ok: false, problem: { line, raw: { text: content.slice(0, 200) }, reason: 'Not a JSON object.' } });
      return;
    }
    results.push(checkRow(line, value as Record<string, unknown>));
  });
  return results;
}

function parseCsv(text: string): ParsedRow[] {
  // `relax_column_count`: a short or long row is that row's problem, found by the checks below.
  const records = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, relax_column_count: true, bom: true, info: true, trim: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  return records.map(({ record, info }) => {
    // Empty cells count as not given, as in a spreadsheet.
    const raw = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== '' && value !== undefined));
    return checkRow(info.lines, raw);
  });
}

/** Checks one row's fields; the first problem found is the row's reason. */
export function checkRow(line: number, raw: Record<string, unknown>): ParsedRow {
  const fail = (reason: string): ParsedRow => ({ ok: false, problem: { line, raw, reason } });
  const sku = raw.sku;
  if (sku === undefined || sku === null || sku === '') return fail('sku: This field is required.');
  if (typeof sku !== 'string' && typeof sku !== 'number') return fail('sku: Must be a string.');
  const image = raw.image;
  if (image === undefined || image === null || image === '') return fail('image: This field is required.');
  if (typeof image !== 'string') return fail('image: Must be a URL or a file path.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(image) && !/^https?:\/\//i.test(image)) return fail(`image: Only http(s) URLs and file paths are accepted, not "${image}".`);
  if (/^https?:\/\//i.test(image) && !URL.canParse(image)) return fail(`image: "${image}" is not a valid URL.`);
  const row: ImportRow = { line, sku: String(sku).trim(), image, types: [] };
  if (raw.name !== undefined && raw.name !== null) {
    if (typeof raw.name !== 'string') return fail('name: Must be a string.');
    row.name = raw.name;
  }
  if (raw.order !== undefined && raw.order !== null) {
    const order = typeof raw.order === 'number' ? raw.order : /^\d+$/.test(String(raw.order)) ? Number(raw.order) : NaN;
    if (!Number.isSafeInteger(order) || order < 0) return fail('order: A valid non-negative integer is required.');
    row.order = order;
  }
  if (raw.types !== undefined && raw.types !== null) {
    const types = readTypes(raw.types);
    if (typeof types === 'string') return fail(types);
    row.types = types;
  }
  if (raw.label !== undefined && raw.label !== null) {
    if (typeof raw.label !== 'string' && typeof raw.label !== 'number') return fail('label: Must be a string.');
    row.label = String(raw.label);
  }
  if (raw.exclude !== undefined && raw.exclude !== null) {
    const exclude = readBoolean(raw.exclude);
    if (exclude === undefined) return fail('exclude: Must be true/false, 1/0 or yes/no.');
    row.exclude = exclude;
  }
  return { ok: true, row, raw };
}

/** `types` as a list (JSON) or a `|`/`,`/space separated text (CSV). @returns the roles, or the reason. */
function readTypes(value: unknown): ImageRoleName[] | string {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[|,\s]+/).filter(Boolean) : undefined;
  if (names === undefined) return 'types: Must be a list of roles.';
  const roles = new Set<ImageRoleName>();
  for (const name of names) {
    if (typeof name !== 'string' || !(ROW_TYPES as readonly string[]).includes(name)) {
      return `types: "${String(name)}" is not one of ${ROW_TYPES.join(', ')}.`;
    }
    roles.add((name as RowType) === 'base' ? 'image' : (name as ImageRoleName));
  }
  return [...roles];
}

function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  const text = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'y'].includes(text)) return true;
  if (['0', 'false', 'no', 'n'].includes(text)) return false;
  return undefined;
}
