import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ValidationError } from '../../errors/appError.ts';
import { objectSha256Mismatch, objectSizeMismatch } from '../../ports/objectStore.ts';

/** What the caller declared about a body (from `checkPutInput`). */
export interface BodyExpectations {
  size: number | undefined;
  sha256: string | undefined;
}

/** What the body turned out to be. */
export interface BodyFacts {
  size: number;
  sha256: string;
}

/**
 * Counts and hashes a body chunk by chunk and checks it against what the caller declared, with
 * the same errors and messages as the fs adapter.
 */
export class BodyVerifier {
  readonly #hash = createHash('sha256');
  #received = 0;

  constructor(private readonly expected: BodyExpectations) {}

  /**
   * @returns the chunk as a Buffer.
   * @throws ValidationError `INVALID_OBJECT_BODY` for a chunk that is not bytes;
   * AppError `OBJECT_SIZE_MISMATCH` as soon as the body runs past its declared size.
   */
  update(chunk: unknown): Buffer {
    const bytes = toBuffer(chunk);
    this.#received += bytes.length;
    if (this.expected.size !== undefined && this.#received > this.expected.size) {
      throw objectSizeMismatch(this.expected.size, undefined);
    }
    this.#hash.update(bytes);
    return bytes;
  }

  /** @throws AppError `OBJECT_SIZE_MISMATCH` or `OBJECT_SHA256_MISMATCH`. */
  finish(): BodyFacts {
    const { size, sha256 } = this.expected;
    if (size !== undefined && this.#received !== size) throw objectSizeMismatch(size, this.#received);
    const actual = this.#hash.digest('hex');
    if (sha256 !== undefined && actual !== sha256) throw objectSha256Mismatch(sha256, actual);
    return { size: this.#received, sha256: actual };
  }
}

/** How a verified stream ended; both stay unset while it runs or when its reader gave up. */
export interface VerifiedOutcome {
  facts?: BodyFacts;
  /** The body's own failure: the caller's stream failed, or the body is not what was declared. */
  error?: unknown;
}

/**
 * `source` passed through a {@link BodyVerifier}. The last chunk is held back until the whole body
 * passed the checks, so a mismatch (known only at the end) fails the stream before its last bytes
 * are handed over: an HTTP request with a Content-Length then never completes, and a conforming
 * S3 server stores nothing.
 */
export function verifiedStream(
  source: Readable,
  expected: BodyExpectations,
): { body: Readable; outcome: VerifiedOutcome } {
  const outcome: VerifiedOutcome = {};
  const verifier = new BodyVerifier(expected);
  async function* verify(): AsyncGenerator<Buffer> {
    try {
      let held: Buffer | undefined;
      for await (const chunk of source) {
        const bytes = verifier.update(chunk);
        if (bytes.length === 0) continue; // holding an empty chunk back would hold nothing back
        if (held !== undefined) yield held;
        held = bytes;
      }
      outcome.facts = verifier.finish();
      if (held !== undefined) yield held;
    } catch (error) {
      outcome.error = error;
      throw error;
    }
  }
  return { body: Readable.from(verify(), { objectMode: false }), outcome };
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw ValidationError.field('body', 'Streams must yield bytes (Buffer or Uint8Array).', 'INVALID_OBJECT_BODY');
}
