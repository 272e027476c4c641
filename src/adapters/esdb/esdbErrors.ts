import {
  ErrorType,
  isCommandError,
  type AppendExpectedRevision,
  type CurrentRevision,
} from '@eventstore/db-client';
import { AppError, ConcurrencyError, UnavailableError } from '../../errors/appError.ts';

/** Raw gRPC status codes that mean "try again later" (some calls of the client do not convert them). */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const TRANSIENT_GRPC_CODES = new Set([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE]);

/** Driver errors after which the same request may succeed: the node is down, busy, or not the leader. */
const TRANSIENT_ERROR_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

export const UNAVAILABLE_MESSAGE = 'EventStoreDB is unavailable.';

/**
 * Turns what `@eventstore/db-client` throws into the service's errors; the driver's error stays
 * the `cause` (logged, never shown). AppErrors pass through.
 * - wrong expected version → {@link ConcurrencyError} (revisions as `no_stream`, `any`, `stream_exists` or digits);
 * - unavailable, deadline exceeded, timeout, not leader, cancelled by the server, and raw gRPC
 *   errors with those codes (the client leaves the ServerFeatures call's errors unconverted)
 *   → {@link UnavailableError}: the same request may be sent again;
 * - anything else → a hidden 500 naming the driver's error type.
 */
export function translateDriverError(error: unknown, streamName?: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof Error)) return new AppError('EVENT_STORE_FAILED', 'EventStoreDB failed.', { cause: error });
  if (isCommandError(error)) {
    switch (error.type) {
      case ErrorType.WRONG_EXPECTED_VERSION:
        return new ConcurrencyError(
          error.streamName || (streamName ?? ''),
          describeRevision(error.expectedVersion),
          describeRevision(error.actualVersion),
          error,
        );
      case ErrorType.STREAM_DELETED:
        return new AppError('STREAM_DELETED', `Stream ${error.streamName || streamName} is deleted.`, { cause: error });
      case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
        return new AppError('APPEND_TOO_LARGE', `The append exceeds EventStoreDB's limit of ${error.maxAppendSize} bytes.`, {
          status: 413,
          cause: error,
        });
      default:
        if (TRANSIENT_ERROR_TYPES.has(error.type)) return new UnavailableError(UNAVAILABLE_MESSAGE, error);
        return new AppError('EVENT_STORE_FAILED', `EventStoreDB failed: ${error.type}.`, { cause: error });
    }
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return new UnavailableError(UNAVAILABLE_MESSAGE, error);
  return new AppError('EVENT_STORE_FAILED', `EventStoreDB failed: ${error.message}`, { cause: error });
}

/** Whether reading `error` means the stream does not exist (read as `[]`). */
export function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND;
}

/** A caller broke the port's contract (a bug, not client input): a hidden 500. */
export function invalidArgument(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message);
}

function describeRevision(revision: AppendExpectedRevision | CurrentRevision): string {
  return typeof revision === 'bigint' ? revision.toString() : revision;
}
