import { StoreWriteError } from '../errors/appError.ts';
import type { Logger } from '../logging/logger.ts';
import type { Position } from '../ports/eventStore.ts';

/** A failed commit is tried again after this, doubling per failure up to the cap (each delay jittered). */
export const COMMIT_RETRY_DELAYS = { firstMs: 100, maxMs: 5_000 };

export interface CommitRetryDelays {
  firstMs: number;
  maxMs: number;
}

/** The current failure streak of a read model's commits, as `/ready` reports it. */
export interface FailureStreak {
  /** The system's code of the last failed write (`ENOSPC`, `EIO`). */
  reason: string;
  /** When the streak began (ISO 8601). */
  since: string;
  failedCommits: number;
}

/**
 * The bookkeeping of a read model's failed commits: the delay before each next try (exponential,
 * jittered by up to half, so instances sharing a disk do not retry in step), one warning per
 * failure streak rather than one per retry, and one line when commits succeed again.
 */
export function commitRetries(logger: Logger, delays: CommitRetryDelays = COMMIT_RETRY_DELAYS) {
  let streak: { since: number; failures: number; reason: string } | undefined;
  return {
    /** True while commits fail. */
    failing: () => streak !== undefined,

    /** Counts a failed commit; answers how long to wait before the next try. */
    failed(error: unknown, position: Position | undefined): number {
      const reason = error instanceof StoreWriteError ? error.reason : (errorCode(error) ?? 'ERROR');
      if (streak === undefined) {
        streak = { since: Date.now(), failures: 0, reason };
        logger.warn('read model commit failed, retrying until it succeeds', { error: String(error), reason, position: position ?? null });
      }
      streak.failures += 1;
      streak.reason = reason;
      const ceiling = Math.min(delays.maxMs, delays.firstMs * 2 ** (streak.failures - 1));
      return ceiling / 2 + Math.random() * (ceiling / 2);
    },

    /** A commit landed: ends the streak, if any. */
    succeeded(): void {
      if (streak === undefined) return;
      logger.info('read model commits resumed', { failedForMs: Date.now() - streak.since, failedCommits: streak.failures });
      streak = undefined;
    },

    streak(): FailureStreak | undefined {
      return streak && { reason: streak.reason, since: new Date(streak.since).toISOString(), failedCommits: streak.failures };
    },
  };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
