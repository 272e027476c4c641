/**
 * The one error family of the service. Every error that crosses a layer is an AppError;
 * each API renders it in its own convention (DRF bodies on REST, ShipStream faults on JSON-RPC).
 *
 * - `code`: stable machine-readable identifier (e.g. `SKU_TAKEN`), asserted by tests.
 * - `status`: the HTTP status the REST surface answers with.
 * - `expose`: whether `message`/`details` may be shown to the client (4xx yes, 5xx never).
 * - `details`: field errors in DRF shape (`{ field: [message] }`) or extra facts.
 */
/** DRF error bodies: messages per field, nested for nested serializers (`{"value": {"WIDTH": [..]}}`) and lists of them. */
export type FieldErrors = { [field: string]: string[] | FieldErrors | FieldErrors[] };

/** Every message under one field of {@link FieldErrors}, nested ones prefixed with their path. */
export function fieldMessages(errors: FieldErrors[string]): string[] {
  if (Array.isArray(errors)) {
    return errors.flatMap((item, index) => (typeof item === 'string' ? [item] : fieldMessages(item).map((text) => `${index}: ${text}`)));
  }
  return Object.entries(errors).flatMap(([field, nested]) => fieldMessages(nested).map((text) => `${field}: ${text}`));
}

export interface AppErrorOptions {
  status?: number;
  expose?: boolean;
  details?: FieldErrors;
  cause?: unknown;
  /** HTTP headers the answer carries (`Retry-After` of a 429 or 503). */
  headers?: Readonly<Record<string, string>>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details: FieldErrors | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    const status = options.status ?? 500;
    // A client's error (4xx) is an answer, not a fault of ours: its stack would say nothing, and
    // capturing one took tens of microseconds (a tenth of refusing a pixel-bomb upload). Errors
    // of ours (5xx) keep theirs for the log.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? this.status < 500;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** Input that breaks a rule of a field: rendered as `{ field: [message] }` with 400. */
export class ValidationError extends AppError {
  constructor(details: FieldErrors, code = 'VALIDATION_FAILED') {
    super(code, 'Invalid input.', { status: 400, details });
    this.name = 'ValidationError';
  }

  /** Convenience for the common single-field case. */
  static field(field: string, message: string, code?: string): ValidationError {
    return new ValidationError({ [field]: [message] }, code);
  }
}

/** A resource that does not exist (or is deleted and hidden). */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.', code = 'NOT_FOUND') {
    super(code, message, { status: 404 });
    this.name = 'NotFoundError';
  }
}

/** A business rule refused the command (deleted image touched, media not allowed, ...). */
export class DomainRuleError extends AppError {
  constructor(code: string, message: string, details?: FieldErrors) {
    super(code, message, { status: 400, details });
    this.name = 'DomainRuleError';
  }
}

/**
 * The stream moved on since it was read (optimistic concurrency). The command handler retries
 * these; when a client pinned the revision with If-Match the REST surface answers 412.
 */
export class ConcurrencyError extends AppError {
  readonly streamName: string;
  readonly expected: string;
  readonly actual: string;

  constructor(streamName: string, expected: string, actual: string, cause?: unknown) {
    super('WRONG_EXPECTED_REVISION', `Stream ${streamName} is at ${actual}, expected ${expected}.`, {
      status: 412,
      expose: true,
      cause,
    });
    this.name = 'ConcurrencyError';
    this.streamName = streamName;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A dependency (store, engine) is unreachable or failing; never exposed to clients. */
export class UnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('UNAVAILABLE', message, { status: 503, expose: false, cause });
    this.name = 'UnavailableError';
  }
}

/**
 * A store could not write (disk full, I/O error): nothing of the write landed, and the same write
 * may succeed later. `reason` is the system's code when known (`ENOSPC`, `EIO`), for logs and
 * readiness; never shown to API clients.
 */
export class StoreWriteError extends AppError {
  readonly reason: string;

  constructor(message: string, reason: string, cause?: unknown) {
    super('STORE_WRITE_FAILED', message, { status: 503, expose: false, cause });
    this.name = 'StoreWriteError';
    this.reason = reason;
  }
}

/**
 * Too much work waiting right now; not a fault of the request, which may be retried after
 * `retryAfterSeconds` (each API says so in its own way: 503 with `Retry-After` on REST).
 */
export class BusyError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message, { status: 503, expose: true, headers: { 'Retry-After': String(retryAfterSeconds) } });
    this.name = 'BusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
