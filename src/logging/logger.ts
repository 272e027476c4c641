import { writeSync } from 'node:fs';
/** Structured JSON logs, one object per line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger that adds `bindings` to every line (e.g. the request id). */
  child(bindings: Fields): Logger;
  /** Resolves once every line logged so far is written (before a graceful exit). */
  flush(): Promise<void>;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default: standard output, a few milliseconds of lines per write (see stdoutSink). */
  write?: (line: string) => void;
  bindings?: Fields;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * One class rather than closures: a child logger per request is then one small object, not
 * four new functions. Bindings are serialized once, when the logger is made, after those of its
 * parent (a child serializes only its own); a line is the fixed head, the bindings and the
 * line's own fields. A later member of the same name (a child's binding, a line's field) follows
 * the earlier one, so JSON readers take it.
 */
class JsonLogger implements Logger {
  private readonly bindingsJson: string;

  constructor(
    private readonly threshold: number,
    private readonly sink: LineSink,
    bindings: Fields,
    parentBindingsJson = '',
  ) {
    this.bindingsJson = parentBindingsJson + membersJson(bindings);
  }

  debug(message: string, fields?: Fields): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: Fields): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: Fields): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: Fields): void {
    this.log('error', message, fields);
  }

  child(bindings: Fields): Logger {
    return new JsonLogger(this.threshold, this.sink, bindings, this.bindingsJson);
  }

  flush(): Promise<void> {
    return this.sink.flush();
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields: Fields | undefined): void {
    if (SEVERITY[level] < this.threshold) return;
    const fieldsJson = fields === undefined ? '' : membersJson(fields);
    this.sink.write(`{"time":"${isoTimeNow()}","level":"${level}","msg":${JSON.stringify(message)}${this.bindingsJson}${fieldsJson}}\n`);
  }
}

/**
 * `,"a":1,"b":"x"` for `{a: 1, b: 'x'}` (empty for none), as `JSON.stringify` writes members:
 * undefined ones are left out. Flat members are written one by one, a quarter faster than
 * stringifying the object and cutting off its braces; nested values are stringified.
 */
function membersJson(fields: Fields): string {
  let json = '';
  for (const name in fields) {
    const value = fields[name];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const valueJson = typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
    json += `${memberPrefix(name)}${valueJson}`;
  }
  return json;
}

/** `,"name":` per field name: the names are the code's own, a few dozen at most. */
const memberPrefixes = new Map<string, string>();
function memberPrefix(name: string): string {
  let prefix = memberPrefixes.get(name);
  if (prefix === undefined) {
    prefix = `,${JSON.stringify(name)}:`;
    if (memberPrefixes.size < 1000) memberPrefixes.set(name, prefix);
  }
  return prefix;
}

let secondStartMs = Number.NaN;
/** `2024-05-25T10:00:00.` of the current second. */
let secondPrefix = '';

/** The time as ISO 8601 (`…T10:00:00.123Z`); the date and time of day are formatted once a second. */
function isoTimeNow(): string {
  const now = Date.now();
  const milliseconds = now % 1000;
  if (now - milliseconds !== secondStartMs) {
    secondStartMs = now - milliseconds;
    secondPrefix = new Date(secondStartMs).toISOString().slice(0, 20);
  }
  return `${secondPrefix}${milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : ''}${milliseconds}Z`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const sink: LineSink = options.write === undefined ? stdoutSink() : { write: options.write, flush: () => Promise.resolve() };
  return new JsonLogger(SEVERITY[options.level ?? 'info'], sink, options.bindings ?? {});
}

interface LineSink {
  write(line: string): void;
  flush(): Promise<void>;
}

const STDOUT = 1;

/**
 * Writes `text` to standard output now, waiting out a full non-blocking pipe for up to a few
 * seconds; if standard output is gone, the text is dropped and the service goes on.
 */
function writeNowOrDrop(text: string): void {
  const bytes = Buffer.from(text);
  const giveUpAt = Date.now() + 5000;
  let offset = 0;
  while (offset < bytes.length && Date.now() < giveUpAt) {
    try {
      offset += writeSync(STDOUT, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

/** Lines wait at most this long, or until this many characters have collected, for one write. */
const WRITE_AFTER_MS = 10;
const WRITE_AT_CHARS = 32 * 1024;

/**
 * Standard output, collecting lines for up to 10 ms into one synchronous write. A write system
 * call costs far more inside the busy service than its bytes suggest: measured as service CPU
 * per request at saturation, a write per line cost 10 us of a 210 us JSON-RPC call, a write per
 * event-loop turn nearly as much, one every 10 ms nothing measurable. Asynchronous writes
 * (pino's way) were measured too and gave a worse p99 at half load (the writing thread competes
 * for the cores with the requests). What waits is written on `flush()` (graceful shutdown) and at
 * exit; a SIGKILL loses at most the last 10 ms of lines.
 */
function stdoutSink(): LineSink {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const writePending = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    writeNowOrDrop(lines);
  };
  process.once('exit', writePending);
  return {
    write(line) {
      pending += line;
      if (pending.length >= WRITE_AT_CHARS) writePending();
      else if (timer === undefined) {
        // Unreferenced: pending lines never keep the process alive; exit writes them.
        timer = setTimeout(writePending, WRITE_AFTER_MS);
        timer.unref();
      }
    },
    flush() {
      writePending();
      return Promise.resolve();
    },
  };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
