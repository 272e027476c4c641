import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join, relative } from 'node:path';
import type { Context, Next } from 'koa';
import { multipart } from 'formidable';
import { koaBody, type KoaBodyMiddlewareOptions } from 'koa-body';
import { AppError } from '../../errors/appError.ts';
import { IN_MEMORY_FILE_BYTES, spoolingWriter } from './spooledFile.ts';

export interface BodyLimits {
  /** Where multipart files are spooled: one directory per request, removed when it ends. */
  uploadRoot: string;
  /** Largest JSON or form body. */
  jsonBytes: number;
  /** Largest uploaded file, where `fileBytesFor` does not say otherwise. */
  fileBytes: number;
  /**
   * The largest file a request to `path` may carry, when it is not `fileBytes`: the parser stops
   * reading a body at the route's own limit (an image upload at MAX_IMAGE_BYTES, not at the
   * video limit).
   */
  fileBytesFor?: (path: string) => number;
  /** Most form fields in one multipart request. */
  fields: number;
  /** Most files in one multipart request. */
  files: number;
  /** Files up to this size stay in memory; larger ones are spooled under `uploadRoot`. */
  inMemoryFileBytes: number;
}

export const DEFAULT_BODY_LIMITS: Omit<BodyLimits, 'uploadRoot'> = {
  jsonBytes: 1024 * 1024,
  fileBytes: 512 * 1024 * 1024,
  fields: 32,
  files: 1,
  inMemoryFileBytes: IN_MEMORY_FILE_BYTES,
};

const PARSED_TYPES = ['json', 'urlencoded', 'multipart'];
/** Where the files of a form that has already failed would be spooled (see `filename` below). */
const FAILED_FORM_DIRECTORY = 'failed-form';
/** The methods whose requests carry a body to parse. */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** formidable's codes for the limits (`FormidableError.js`). */
const TOO_MANY_FIELDS = 1007;
const TOO_MANY_FILES = 1015;
const FILE_TOO_LARGE = new Set([1009, 1016]);

/** A 413 names the limit that was reached: a count of parts, or a file's size. */
function tooLargeMessage(code: unknown, limits: BodyLimits, fileBytes: number): string {
  if (code === TOO_MANY_FILES) return `Too many files: a request may carry at most ${limits.files}.`;
  if (code === TOO_MANY_FIELDS) return `Too many form fields: a request may carry at most ${limits.fields}.`;
  if (FILE_TOO_LARGE.has(code as number)) return fileBytes === 0 ? 'Files are not accepted here.' : `Files are limited to ${fileBytes} bytes here.`;
  return 'Request body is too large.';
}

function toAppError(error: Error & { status?: number; httpCode?: number; code?: unknown }, limits: BodyLimits, multipart: boolean, fileBytes = limits.fileBytes): AppError {
  const status = error.httpCode ?? error.status;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', tooLargeMessage(error.code, limits, fileBytes), { status: 413, cause: error });
  if (status === 415) return new AppError('UNSUPPORTED_ENCODING', 'Unsupported request encoding.', { status: 415, cause: error });
  const kind = multipart ? 'Multipart form parse error' : 'JSON parse error';
  return new AppError('PARSE_ERROR', `${kind} - ${error.message}`, { status: 400, cause: error });
}

/**
 * DRF's parsers: JSON, form and multipart bodies; any other media type is a 415 with DRF's text.
 * Multipart files stay in memory up to `inMemoryFileBytes` (see spooledFile.ts); larger ones are
 * spooled to a directory of the request's own, removed when the request ends whatever happened,
 * so no temp file outlives its request (limits → 413).
 */
export async function createBodyParser(limits: BodyLimits) {
  await rm(limits.uploadRoot, { recursive: true, force: true }); // spools of a previous crash
  await mkdir(limits.uploadRoot, { recursive: true });
  const common: Partial<KoaBodyMiddlewareOptions> = {
    json: true,
    urlencoded: true,
    text: false,
    jsonLimit: limits.jsonBytes,
    formLimit: limits.jsonBytes,
    jsonStrict: false,
  };
  const parseSimple = koaBody({
    ...common,
    multipart: false,
    onError: (error) => {
      throw toAppError(error as Error, limits, false);
    },
  });

  // Multipart parsers are made once per file limit, not per request: koa-body validates its
  // options on every construction (33 us a request). Each request still spools into a directory
  // of its own, named from its Node request, which formidable holds while it parses; the
  // directory only comes into being when a file outgrows memory, and is then removed when the
  // request ends.
  const spoolDirectories = new WeakMap<IncomingMessage, string>();
  const spilled = new Set<string>();
  const multipartParser = (fileBytes: number) => koaBody({
    ...common,
    multipart: true,
    formidable: {
      // Only requests of type multipart come here. With its default four plugins, formidable
      // kept nearly everything it allocated alive until the next full GC (parsing alone in a
      // loop: 9 ms per young-generation collection, 0.45 ms with this one plugin; in the service
      // refusing pixel bombs, about 8 ms before and 5 ms after, at a quarter less CPU a request).
      enabledPlugins: [multipart],
      uploadDir: limits.uploadRoot,
      // formidable's own names hash random bytes with SHA-3 (cuid2): 43 us a file.
      // Once a form has failed (a limit), formidable drops its request but still names the files
      // in the rest of the chunk it is parsing, and an exception here would be unhandled: those
      // files get a name in a directory of failed forms. It feeds them no later chunk, so they
      // hold less than a chunk (64 KiB) and rarely spill; whatever does is removed below.
      filename: (_name, _extension, _part, form) => {
        const request = (form as unknown as { req: IncomingMessage | null }).req;
        const directory = (request && spoolDirectories.get(request)) ?? FAILED_FORM_DIRECTORY;
        return join(directory, randomUUID());
      },
      fileWriteStreamHandler: spoolingWriter(limits.inMemoryFileBytes, (filepath) => spilled.add(dirname(relative(limits.uploadRoot, filepath)))),
      maxFileSize: fileBytes,
      maxTotalFileSize: fileBytes,
      maxFiles: limits.files,
      maxFields: limits.fields,
      maxFieldsSize: limits.jsonBytes,
      allowEmptyFiles: true,
      minFileSize: 0,
    },
    onError: (error) => {
      throw toAppError(error as Error, limits, true, fileBytes);
    },
  });
  /** One parser per file limit in use (few: one per kind of upload route). */
  const multipartParsers = new Map<number, ReturnType<typeof koaBody>>();
  const parserFor = (fileBytes: number) => {
    let parser = multipartParsers.get(fileBytes);
    if (parser === undefined) multipartParsers.set(fileBytes, (parser = multipartParser(fileBytes)));
    return parser;
  };

  // Mounted for the BODY_METHODS only (app.ts skips it, with idempotency, for the rest).
  return async function bodyParser(ctx: Context, next: Next): Promise<void> {
    const hasBody = ctx.request.length !== undefined || ctx.get('transfer-encoding') !== '';
    const empty = !hasBody || ctx.request.length === 0;
    if (!empty && !ctx.is(PARSED_TYPES)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported media type "${ctx.get('content-type')}" in request.`, { status: 415 });
    }
    const withRequestData = () => {
      ctx.request.body = requestData(ctx.request.body, empty, ctx.is('multipart', 'urlencoded') !== false) as typeof ctx.request.body;
      return next();
    };
    if (!ctx.is('multipart')) return parseSimple(ctx, withRequestData);
    const spool = `request-${randomUUID()}`;
    spoolDirectories.set(ctx.req, spool);
    try {
      await parserFor(limits.fileBytesFor?.(ctx.path) ?? limits.fileBytes)(ctx, withRequestData);
    } finally {
      if (spilled.delete(spool)) await rm(join(limits.uploadRoot, spool), { recursive: true, force: true });
      if (spilled.delete(FAILED_FORM_DIRECTORY)) await rm(join(limits.uploadRoot, FAILED_FORM_DIRECTORY), { recursive: true, force: true });
    }
  };
}

/**
 * The parsed body as DRF's `request.data` holds it: an empty body is empty data (`{}`) whatever
 * its type; a form field sent more than once has its last value, as a serializer reads a
 * QueryDict (`.get()`). JSON stays as sent (`null` included: the serializer says "No data provided").
 */
function requestData(body: unknown, empty: boolean, form: boolean): unknown {
  if (empty) return {};
  if (!form) requireShallow(body);
  if (!form || typeof body !== 'object' || body === null) return body;
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) data[name] = Array.isArray(value) ? value.at(-1) : value;
  return data;
}

/**
 * JSON nested deeper than this is refused as Python's json module refuses it (DRF answers its
 * RecursionError as a parse error): nothing downstream (fingerprints, messages) then recurses
 * on a client's structure of any depth.
 */
export const MAX_JSON_DEPTH = 512;

/** @throws AppError `PARSE_ERROR` (400) for a JSON value nested deeper than {@link MAX_JSON_DEPTH}. */
function requireShallow(value: unknown): void {
  // Walked with a stack of its own: recursion is what must not happen here.
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new AppError('PARSE_ERROR', 'JSON parse error - maximum recursion depth exceeded while decoding a JSON value', { status: 400 });
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
}
