import type { StreamChunk } from './persistedStreamIndex.ts';

/** The newest events of one stream: contiguous revisions from `firstRevision`, in log order. */
export interface StreamRun {
  firstRevision: number;
  sequences: number[];
}

/**
 * Stream index entries not yet persisted, per stream. Like EventStoreDB's memtable: appends add
 * here instead of writing one random B-tree page per stream per commit, and a flush persists the
 * whole table at once (see streamIndex.ts).
 */
export interface StreamMemtable {
  /** Number of entries held. */
  readonly size: number;
  run(streamName: string): StreamRun | undefined;
  add(streamName: string, revision: number, sequence: number): void;
  /** Each stream's entries up to `sequence` (inclusive), as one chunk per stream. */
  chunksThrough(sequence: number): Iterable<StreamChunk>;
  /** Drops the entries up to `sequence` (inclusive), once they are persisted. */
  dropThrough(sequence: number): void;
  clear(): void;
}

export function createStreamMemtable(): StreamMemtable {
  const runs = new Map<string, StreamRun>();
  let size = 0;

  return {
    get size() {
      return size;
    },

    run(streamName) {
      return runs.get(streamName);
    },

    add(streamName, revision, sequence) {
      const run = runs.get(streamName);
      if (run === undefined) runs.set(streamName, { firstRevision: revision, sequences: [sequence] });
      else run.sequences.push(sequence);
      size += 1;
    },

    *chunksThrough(lastSequence) {
      for (const [streamName, { firstRevision, sequences }] of runs) {
        const through = sequences.filter((sequence) => sequence <= lastSequence);
        if (through.length > 0) yield [streamName, firstRevision, through];
      }
    },

    dropThrough(sequence) {
      for (const [streamName, run] of runs) {
        const kept = run.sequences.findIndex((candidate) => candidate > sequence);
        if (kept === -1) {
          runs.delete(streamName);
          size -= run.sequences.length;
        } else if (kept > 0) {
          run.sequences.splice(0, kept);
          run.firstRevision += kept;
          size -= kept;
        }
      }
    },

    clear() {
      runs.clear();
      size = 0;
    },
  };
}
