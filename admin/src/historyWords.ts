import type { HistoryEntry } from './api.ts';

const API_NAMES: Record<string, string> = { rest: 'REST API', rpc: 'JSON-RPC API', download: 'ERP download', cli: 'command line' };

/** Through which API, in words. */
export const apiName = (api: string) => API_NAMES[api] ?? api;

/** What one history entry changed, in words. Pure. */
export function describeEntry(entry: HistoryEntry): string {
  const image = `image ${entry.image ?? '?'}`;
  const video = `video ${entry.video ?? '?'}`;
  const change = (key: string) => entry.changes[key];
  switch (entry.event) {
    case 'ImageUploaded':
      return `Added ${image} at position ${String(change('order')?.[1] ?? '?')}${change('main_image') ? ' as the main image' : ''}`;
    case 'ImageReordered':
      return `Moved ${image} from position ${String(change('order')?.[0])} to ${String(change('order')?.[1])}`;
    case 'MainImageSet':
      return `Made ${image} the main image${change('main_image')?.[0] != null ? ` (was image ${String(change('main_image')?.[0])})` : ''}`;
    case 'SpecialImageSet':
      return `Made ${image} a special image (${Object.keys(entry.changes).join(', ')})`;
    case 'ImageRolesChanged':
      return `Changed the roles of ${image} to ${formatList(change('roles')?.[1])}`;
    case 'ImageLabelChanged':
      return `Labelled ${image} "${String(change('label')?.[1] ?? '')}"`;
    case 'ImageExclusionChanged':
      return `${change('exclude')?.[1] ? 'Excluded' : 'Included'} ${image}`;
    case 'ImageFocalPointSet':
      return `Set the focal point of ${image}`;
    case 'ImageContentReplaced':
      return `Replaced the picture of ${image}`;
    case 'ImageDeleted':
      return `Deleted ${image}`;
    case 'ImageRestored':
      return `Restored ${image}`;
    case 'VideoUploaded':
      return `Added ${video}`;
    case 'VideoReordered':
      return `Moved ${video} from position ${String(change('order')?.[0])} to ${String(change('order')?.[1])}`;
    case 'VideoDeleted':
      return `Deleted ${video}`;
    default:
      return entry.event;
  }
}

function formatList(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.join(', ') : 'none';
}

/** A moment as people read it, to the millisecond (changes come fast), in UTC so that every reader sees the same text. */
export function formatMoment(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}
