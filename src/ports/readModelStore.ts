import type { Position, RecordedEvent } from './eventStore.ts';

/** Keys of read-model tables: ordered (numbers numerically, strings by code point, arrays element-wise). */
export type ReadModelKey = string | number | ReadonlyArray<string | number>;

/** What a projection may do to its read model while applying one event. Reads see earlier writes of the same batch. */
export interface ReadModelTx {
  get<T>(table: string, key: ReadModelKey): T | undefined;
  put(table: string, key: ReadModelKey, value: unknown): void;
  remove(table: string, key: ReadModelKey): void;
}

/**
 * A read model: a pure, deterministic fold of events into tables (modules in `projections/`).
 * It must be idempotent: applying an event it has already applied changes nothing.
 */
export interface Projection {
  name: string;
  /** Bump when the read model's shape or meaning changes: the runner rebuilds it from scratch. */
  version: number;
  /** Tables this projection owns (names are global across projections). */
  tables: readonly string[];
  /** Only events from streams with these prefixes reach `apply`. */
  streamNamePrefixes: readonly string[];
  apply(tx: ReadModelTx, event: RecordedEvent): void;
}

export interface Checkpoint {
  version: number;
  position: Position;
}

export interface RangeOptions {
  /** Inclusive lower key bound. */
  start?: ReadModelKey;
  /** Exclusive upper key bound. */
  end?: ReadModelKey;
  reverse?: boolean;
  offset?: number;
  limit?: number;
}

/**
 * The local store of read models and their checkpoints (one per instance). A batch of changes
 * and the checkpoint that covers it commit together or not at all.
 */
export interface ReadModelStore {
  checkpoint(projectionName: string): Checkpoint | undefined;
  /** Runs `apply` in one transaction that also moves the projection's checkpoint to `position`. */
  commit(projection: Projection, apply: (tx: ReadModelTx) => void, position: Position): void;
  /** The projection has caught up and is live: the store may release what it kept to speed up catching up. */
  catchUpFinished(projectionName: string): void;
  /** Empties the projection's tables and forgets its checkpoint (a rebuild from scratch follows). */
  reset(projection: Projection): void;
  get<T>(table: string, key: ReadModelKey): T | undefined;
  range<T>(table: string, options?: RangeOptions): Array<{ key: ReadModelKey; value: T }>;
  count(table: string, options?: Pick<RangeOptions, 'start' | 'end'>): number;
  /**
   * A number that moves whenever what reads see may have changed (a commit, a reset): while it
   * stands still, whatever was read is still current, and caches need not ask again.
   */
  changes(): number;
  /** SHA-256 over the stored bytes of the tables, in key order: equal hashes mean byte-identical models. */
  hash(tables: readonly string[]): string;
  close(): Promise<void>;
}
