import type { HistoryEntry } from './api.ts';

/**
 * What the history says that the image list does not: which image held the main image, and
 * which images are deleted, at the end of `entries` (the whole history, or its part up to a
 * moment). Pure.
 */
export function mainImageOf(entries: readonly HistoryEntry[]): number | null {
  let main: number | null = null;
  for (const entry of entries) {
    const change = entry.changes.main_image;
    if (change) main = (change[1] as number | null) ?? null;
  }
  return main;
}

/** Images deleted and not restored since, most recently deleted first, with when and by whom. */
export function deletedImagesOf(entries: readonly HistoryEntry[]): Array<{ pk: number; at: string; actor: string }> {
  const deleted = new Map<number, { pk: number; at: string; actor: string }>();
  for (const entry of entries) {
    if (entry.image === null) continue;
    if (entry.event === 'ImageDeleted') deleted.set(entry.image, { pk: entry.image, at: entry.occurred_at, actor: entry.actor });
    if (entry.event === 'ImageRestored' || entry.event === 'ImageUploaded') deleted.delete(entry.image);
  }
  return [...deleted.values()].reverse();
}

/** Labels set through the JSON-RPC API (`ImageLabelChanged`), by image. */
export function labelsOf(entries: readonly HistoryEntry[]): Map<number, string> {
  const labels = new Map<number, string>();
  for (const entry of entries) {
    const change = entry.changes.label;
    if (change && entry.image !== null) labels.set(entry.image, String(change[1] ?? ''));
  }
  return labels;
}

/** The gallery revision the history reaches (what `If-Match` pins), or null before any event. */
export function revisionOf(entries: readonly HistoryEntry[]): number | null {
  return entries.length === 0 ? null : Math.max(...entries.map((entry) => entry.revision));
}
