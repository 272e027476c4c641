import { EVENT_CATALOG } from './events.ts';
import { PRODUCT_MEDIA_CATEGORY } from './gallery/galleryStream.ts';

/** What an upcaster may look at: the stored payload and the stream it was read from. */
export interface StoredPayload {
  streamName: string;
  data: unknown;
}

/** Turns the payload of `type` at version `from` into version `from + 1`. Pure. */
export type Upcaster = (stored: StoredPayload) => unknown;

/**
 * Every schema change of a published event, keyed by type and the version it upgrades from.
 * Readers never see an old version: {@link upcast} applies the steps in turn up to the catalog's
 * current `schemaVersion`. Add a step here whenever an entry of EVENT_CATALOG is bumped.
 */
export const UPCASTERS: { readonly [type: string]: { readonly [fromVersion: number]: Upcaster } } = {
  ImageRestored: {
    // v2 added the product pk, which v1 readers took from the stream name `productMedia-<pk>`.
    1: ({ streamName, data }) => ({
      ...(data as object),
      productPk: Number(streamName.slice(PRODUCT_MEDIA_CATEGORY.length + 1)),
    }),
  },
};

const CURRENT_VERSIONS: ReadonlyMap<string, number> = new Map(EVENT_CATALOG.map((entry) => [entry.type, entry.schemaVersion]));

/** Whether any stored version of `type` may need upcasting (a cheap test for the hot read paths). */
export const hasUpcasters = (type: string): boolean => Object.hasOwn(UPCASTERS, type);

/**
 * The payload of `type` at the catalog's current schema version, given the version it was
 * stored with (events written before versions were stamped count as 1). Types outside the
 * catalog and payloads already current are returned as they are (same object).
 * @throws Error when a step between the stored and the current version is missing (a bug).
 */
export function upcast(type: string, storedVersion: number | undefined, stored: StoredPayload): { data: unknown; schemaVersion: number } {
  const current = CURRENT_VERSIONS.get(type);
  let version = storedVersion ?? 1;
  if (current === undefined || version >= current) return { data: stored.data, schemaVersion: version };
  let data = stored.data;
  for (; version < current; version++) {
    const step = UPCASTERS[type]?.[version];
    if (step === undefined) throw new Error(`No upcaster for ${type} v${version}`);
    data = step({ streamName: stored.streamName, data });
  }
  return { data, schemaVersion: current };
}
