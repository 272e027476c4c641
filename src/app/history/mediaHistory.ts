import type { EventMetadata } from '../../domain/eventMetadata.ts';
import type { GalleryEvent } from '../../domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../../domain/gallery/galleryStream.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';
import { concernsImage, concernsVideo, describeChanges, type Changes } from './eventChanges.ts';

/** One change of a gallery, as an auditor reads it. */
export interface HistoryEntry {
  position: Position;
  revision: number;
  type: GalleryEvent['type'];
  occurredAt: string;
  actor: string;
  api: EventMetadata['api'];
  correlationId: string;
  imagePk: number | null;
  videoPk: number | null;
  changes: Changes;
}

export interface HistoryFilter {
  /** Only these event types. */
  types?: readonly string[];
  /** Inclusive bounds on `occurredAt` (ISO-8601 UTC with microseconds). */
  occurredAfter?: string;
  occurredBefore?: string;
  /** Only entries whose `changes` name this (e.g. `main_image`). */
  changed?: string;
  /** Default oldest first. */
  newestFirst?: boolean;
}

export type HistorySubject = { productPk: number } | { productPk: number; imagePk: number } | { productPk: number; videoPk: number };

/**
 * The history of a product's gallery, of one image or of one video, read from the product's own
 * stream (deleted media keep their history: the events stay). Time comes from the envelope's
 * `occurredAt` (the injected clock), identity from its `actor` and `api`.
 */
export function mediaHistory(eventStore: EventStore) {
  return async function historyOf(subject: HistorySubject, filter: HistoryFilter = {}): Promise<HistoryEntry[]> {
    const recorded = await eventStore.readStream(productMediaStream(subject.productPk));
    const entries: HistoryEntry[] = [];
    for (const event of recorded) {
      const gallery = { type: event.type, data: event.data } as GalleryEvent;
      if ('imagePk' in subject && !concernsImage(gallery, subject.imagePk)) continue;
      if ('videoPk' in subject && !concernsVideo(gallery, subject.videoPk)) continue;
      const entry = historyEntry(event, gallery);
      if (matches(entry, filter)) entries.push(entry);
    }
    return filter.newestFirst ? entries.reverse() : entries;
  };
}

export type MediaHistory = ReturnType<typeof mediaHistory>;

function historyEntry(recorded: RecordedEvent, event: GalleryEvent): HistoryEntry {
  const metadata = recorded.metadata as EventMetadata;
  const data = event.data as { imagePk?: number; videoPk?: number };
  return {
    position: recorded.position,
    revision: recorded.revision,
    type: event.type,
    occurredAt: metadata.occurredAt,
    actor: metadata.actor,
    api: metadata.api,
    correlationId: metadata.correlationId,
    imagePk: data.imagePk ?? null,
    videoPk: data.videoPk ?? null,
    changes: describeChanges(event),
  };
}

function matches(entry: HistoryEntry, filter: HistoryFilter): boolean {
  if (filter.types !== undefined && !filter.types.includes(entry.type)) return false;
  if (filter.occurredAfter !== undefined && entry.occurredAt < filter.occurredAfter) return false;
  if (filter.occurredBefore !== undefined && entry.occurredAt > filter.occurredBefore) return false;
  return filter.changed === undefined || Object.hasOwn(entry.changes, filter.changed);
}
