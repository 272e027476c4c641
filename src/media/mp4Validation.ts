import { AppError } from '../errors/appError.ts';
import { checkBrands, fourCc, invalidVideo, TOP_LEVEL_BOXES, type Mp4Brands } from './mp4Vocabulary.ts';

/**
 * Checks that bytes are an MP4 file by their ISO-BMFF structure (ISO/IEC 14496-12 and -14), not by
 * name or declared type. The check reads only top-level box headers and the `ftyp` box, so it runs
 * on the stream as it passes to the object store: nothing is buffered, the whole file is checked,
 * and a file that does not start like an MP4 fails on its first chunk.
 *
 * Rules: `ftyp` first, with an MP4 brand (`MP4_BRANDS` in `mp4Vocabulary.ts`); every top-level box
 * of a known type (`TOP_LEVEL_BOXES`) with a sane size (≥ 8, 64-bit `largesize` read, size 0 = "to
 * the end of the file", which makes it the last box), none past the end; one `moov` (before or
 * after the media data) and at least one `mdat`. Not checked: the boxes inside `moov` (tracks, codecs,
 * whether there is a video track at all).
 */

/** An `ftyp` lists brands four bytes each; more than this is not a real file. */
const MAX_FTYP_SIZE = 4096;

/** What a valid file turned out to be. */
export interface Mp4Summary extends Mp4Brands {
  /** Bytes read. */
  size: number;
  /** `moov` comes before the first `mdat`: playback can start before the download ends. */
  fastStart: boolean;
  /** Movie fragments (`moof`) follow the `moov`. */
  fragmented: boolean;
}

export interface Mp4Validator {
  /** Feeds the next bytes. @throws AppError `INVALID_VIDEO` on the first rule they break. */
  push(chunk: Uint8Array): void;
  /** Declares the input complete. @throws AppError `INVALID_VIDEO` when truncated or incomplete. */
  end(): Mp4Summary;
}

export interface Mp4ValidatorOptions {
  /** The file's length when known (Content-Length, multipart part size): boxes past it fail early. */
  totalSize?: number;
}

interface OpenBox {
  type: string;
  start: number;
  /** Offset of its first byte after it; `Infinity` for a size-0 box of a stream of unknown length. */
  end: number;
}

const HEADER = 8;
const LARGE_HEADER = 16;
const TWO_POW_32 = 2 ** 32;

const isPrintable = (type: string): boolean => /^[\x20-\x7e]{4}$/.test(type);
const readUint32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;

const readBigUint64 = (bytes: Uint8Array, at: number): string =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(at).toString();

/**
 * An incremental MP4 check: feed it the upload's chunks as they stream by, then call `end()`.
 * It keeps a few counters and at most one `ftyp` box (≤ 4 KiB) in memory.
 *
 * @example
 * // Inside a stream.pipeline (which owns the error handling): see src/app/media/videoCommands.ts.
 * // A Transform handed to someone else with `.pipe()` can error before they listen and crash
 * // the process with an unhandled 'error' event.
 * const validator = createMp4Validator({ totalSize: size });
 * for await (const chunk of createReadStream(path)) validator.push(chunk);
 * validator.end();
 */
export function createMp4Validator(options: Mp4ValidatorOptions = {}): Mp4Validator {
  const { totalSize } = options;
  if (totalSize !== undefined && !(Number.isSafeInteger(totalSize) && totalSize >= 0)) {
    throw new AppError('INVALID_ARGUMENT', `Expected totalSize to be a non-negative integer but received ${totalSize}.`);
  }
  const header = new Uint8Array(LARGE_HEADER);
  let headerLength = 0;
  let offset = 0;
  let box: OpenBox | undefined;
  let ftyp: Uint8Array | undefined;
  let ftypLength = 0;
  let brands: Mp4Brands | undefined;
  let boxes = 0;
  let moovAt: number | undefined;
  let firstMdatAt: number | undefined;
  let fragmented = false;
  let failure: AppError | undefined;
  let ended = false;

  const fileEnd = (): string => (totalSize === undefined ? `${offset}` : `${totalSize}`);

  /** `exactSize`: the size as written, for a 64-bit one past 2^53 that `size` only approximates. */
  function openBox(start: number, size: number, type: string, headerSize: number, exactSize = `${size}`): OpenBox {
    if (boxes === 0 && type !== 'ftyp') throw invalidVideo('the file does not start with an ftyp box');
    if (!isPrintable(type)) throw invalidVideo(`unreadable box type at offset ${start}`);
    if (!TOP_LEVEL_BOXES.has(type)) throw invalidVideo(`unknown top-level box "${type}" at offset ${start}`);
    if (type === 'ftyp' && boxes > 0) throw invalidVideo(`a second ftyp box at offset ${start}`);
    if (type === 'moov' && moovAt !== undefined) throw invalidVideo(`a second moov box at offset ${start}`);
    const minimum = type === 'uuid' ? headerSize + 16 : type === 'ftyp' ? headerSize + 8 : headerSize;
    const toEnd = size === 0;
    if (toEnd && type === 'ftyp') throw invalidVideo('the ftyp box has size 0');
    if (!toEnd && (size < minimum || !Number.isSafeInteger(size) || (type === 'ftyp' && size > MAX_FTYP_SIZE))) {
      throw invalidVideo(`box "${type}" at offset ${start} has an invalid size ${exactSize}`);
    }
    const end = toEnd ? (totalSize ?? Infinity) : start + size;
    if (totalSize !== undefined && end > totalSize) {
      throw invalidVideo(`truncated: box "${type}" at offset ${start} declares ${size} bytes but the file ends at ${totalSize}`);
    }
    boxes += 1;
    if (type === 'moov') moovAt = start;
    if (type === 'mdat') firstMdatAt ??= start;
    if (type === 'moof') fragmented = true;
    if (type === 'ftyp') ftyp = new Uint8Array(end - start - headerSize);
    return { type, start, end };
  }

  function closeBoxAtItsEnd(open: OpenBox): void {
    if (offset < open.end) return;
    if (ftyp !== undefined && brands === undefined) brands = checkBrands(ftyp);
    box = undefined;
  }

  /** Consumes header bytes from `chunk` at `at`; returns how many it took. */
  function readHeader(chunk: Uint8Array, at: number): number {
    const start = offset - headerLength;
    const wanted = headerLength >= HEADER && readUint32(header, 0) === 1 ? LARGE_HEADER : HEADER;
    const taken = Math.min(wanted - headerLength, chunk.length - at);
    header.set(chunk.subarray(at, at + taken), headerLength);
    headerLength += taken;
    offset += taken;
    if (headerLength < wanted || (headerLength === HEADER && readUint32(header, 0) === 1)) return taken;
    const type = fourCc(header, 4);
    const size32 = readUint32(header, 0);
    const opened =
      size32 === 1
        ? openBox(start, readUint32(header, 8) * TWO_POW_32 + readUint32(header, 12), type, LARGE_HEADER, readBigUint64(header, 8))
        : openBox(start, size32, type, HEADER);
    headerLength = 0;
    box = opened;
    closeBoxAtItsEnd(opened);
    return taken;
  }

  /** Consumes body bytes of the open box (skipped, except the ftyp's); returns how many it took. */
  function readBody(open: OpenBox, chunk: Uint8Array, at: number): number {
    const taken = Math.min(open.end - offset, chunk.length - at);
    if (ftyp !== undefined && brands === undefined) {
      ftyp.set(chunk.subarray(at, at + taken), ftypLength);
      ftypLength += taken;
    }
    offset += taken;
    closeBoxAtItsEnd(open);
    return taken;
  }

  function consume(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) at += box === undefined ? readHeader(chunk, at) : readBody(box, chunk, at);
  }

  function finish(): Mp4Summary {
    if (totalSize !== undefined && offset < totalSize) throw invalidVideo(`truncated: ${offset} of ${totalSize} bytes received`);
    if (boxes === 0 && headerLength === 0) throw invalidVideo('empty file');
    if (headerLength > 0) throw invalidVideo(`truncated: the box header at offset ${offset - headerLength} is cut off`);
    if (box !== undefined && box.end !== Infinity) {
      const size = box.end - box.start;
      throw invalidVideo(`truncated: box "${box.type}" at offset ${box.start} declares ${size} bytes but the file ends at ${fileEnd()}`);
    }
    if (brands === undefined) throw invalidVideo('the file does not start with an ftyp box');
    if (moovAt === undefined) throw invalidVideo('no moov box (movie header)');
    if (firstMdatAt === undefined) throw invalidVideo('no mdat box (media data)');
    return { ...brands, size: offset, fastStart: moovAt < firstMdatAt, fragmented };
  }

  /** Runs `step`, remembering its failure: once refused, the validator stays refused. */
  function guarded<T>(step: () => T): T {
    if (failure !== undefined) throw failure;
    try {
      return step();
    } catch (error) {
      if (error instanceof AppError) failure = error;
      throw error;
    }
  }

  return {
    push(chunk) {
      if (ended) throw new AppError('INVALID_ARGUMENT', 'push() after end().');
      guarded(() => {
        if (totalSize !== undefined && offset + chunk.length > totalSize) {
          throw invalidVideo(`more than the declared ${totalSize} bytes`);
        }
        consume(chunk);
      });
    },
    end() {
      ended = true;
      return guarded(finish);
    },
  };
}

/** Checks a whole file held in memory. @throws AppError `INVALID_VIDEO`. */
export function validateMp4(bytes: Uint8Array): Mp4Summary {
  const validator = createMp4Validator({ totalSize: bytes.length });
  validator.push(bytes);
  return validator.end();
}
