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
  /** Where lines go; default: standard output, a turn's lines in one write (see stdoutLines). */
  write?: (line: string) => void;
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
    private readonly write: (line: string) => void,
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
    this.write(`{"time":"${new Date().toISOString()}","level":"${level}","msg":${JSON.stringify(message)}${this.bindingsJson}${fieldsJson}}\n`);
  }
}

/** `,"a":1,"b":2` for `{a: 1, b: 2}`; empty for an object without members. */
function membersJson(fields: Fields): string {
  const json = JSON.stringify(fields);
  return json === '{}' ? '' : `,${json.slice(1, -1)}`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return new JsonLogger(SEVERITY[options.level ?? 'info'], options.write ?? stdoutLines(), options.bindings ?? {});
}

/**
 * Writes lines to standard output, those of one event-loop turn together: one write call per
 * turn instead of one per line (a synchronous system call each when standard output is a file
 * or a pipe). Lines still waiting are written when the process exits.
 */
function stdoutLines(): (line: string) => void {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const lines = pending;
    pending = '';
    process.stdout.write(lines);
  };
  process.once('exit', flush);
  return (line) => {
    if (pending === '') setImmediate(flush);
    pending += line;
  };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
