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
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (`urgent` for warnings and errors); default: standard output in chunks (see stdoutLines). */
  write?: (line: string, urgent: boolean) => void;
  bindings?: Fields;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * One class rather than closures: a child logger per request is then one small object, not
 * four new functions. Bindings are serialized once, when the logger is made; a line is the
 * fixed head, the bindings and the line's own fields (which a binding of the same name precedes,
 * so JSON readers take the field).
 */
class JsonLogger implements Logger {
  private readonly bindingsJson: string;

  constructor(
    private readonly threshold: number,
    private readonly write: (line: string, urgent: boolean) => void,
    private readonly bindings: Fields,
  ) {
    this.bindingsJson = membersJson(bindings);
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
    return new JsonLogger(this.threshold, this.write, { ...this.bindings, ...bindings });
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields: Fields | undefined): void {
    if (SEVERITY[level] < this.threshold) return;
    const fieldsJson = fields === undefined ? '' : membersJson(fields);
    const line = `{"time":"${isoTimeNow()}","level":"${level}","msg":${JSON.stringify(message)}${this.bindingsJson}${fieldsJson}}\n`;
    this.write(line, SEVERITY[level] >= SEVERITY.warn);
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
    json += `,${JSON.stringify(name)}:${valueJson}`;
  }
  return json;
}

let lastTimeMs = Number.NaN;
let lastIsoTime = '';

/** The time as ISO 8601, formatted once per millisecond however many lines share it. */
function isoTimeNow(): string {
  const now = Date.now();
  if (now !== lastTimeMs) {
    lastTimeMs = now;
    lastIsoTime = new Date(now).toISOString();
  }
  return lastIsoTime;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return new JsonLogger(SEVERITY[options.level ?? 'info'], options.write ?? stdoutLines(), options.bindings ?? {});
}

/** Lines wait at most this long before they are written... */
const FLUSH_AFTER_MS = 20;
/** ...or until this many characters are waiting. */
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Writes lines to standard output in chunks: at most every 20 ms or 64 KiB, instead of one write
 * per line (a synchronous system call each when standard output is a file or a pipe, and about
 * a sixth of the cost of a cached list request). Warnings and errors are written at once, with
 * whatever waits before them, and nothing waiting is lost when the process exits; a SIGKILL can
 * lose the last 20 ms of lines.
 */
function stdoutLines(): (line: string, urgent: boolean) => void {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    process.stdout.write(lines);
  };
  process.once('exit', flush);
  return (line, urgent) => {
    pending += line;
    if (urgent || pending.length >= FLUSH_AT_CHARS) flush();
    else timer ??= setTimeout(flush, FLUSH_AFTER_MS).unref();
  };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
