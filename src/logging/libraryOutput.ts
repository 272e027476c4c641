import type { Logger } from './logger.ts';

/** A write that does not end a line waits this long for the rest before it is logged as it is. */
const PARTIAL_LINE_MS = 100;

type Write = NodeJS.WriteStream['write'];

/**
 * Keeps standard output and standard error one JSON object per line: whatever a library writes
 * through Node's streams (lmdb-js's `console.warn`/`console.error`, Node's own warnings,
 * `process.stderr.write`) becomes a log line `{"time", "level": "warn", "msg": "library output",
 * "stream": "stderr", "text": ...}`. One write is one line, so a stack trace printed by
 * `console.error(error)` stays together; a write without a final newline waits briefly for the
 * rest. Our own lines never pass here: the logger writes to file descriptor 1 itself.
 *
 * What native code prints with `fprintf(stderr, ...)` goes to file descriptor 2 without passing
 * through JavaScript and cannot be caught here (lmdb-js's C code does so on a failed page write,
 * without a newline; the read-model store refuses writes on a full disk before that happens).
 * Keep standard error apart from standard output, as container runtimes do, so such text never
 * lands inside one of our lines.
 * @returns a function that puts the original writers back (tests).
 */
export function captureLibraryOutput(logger: Logger, streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process): () => void {
  const restores = (['stdout', 'stderr'] as const).map((name) => capture(streams[name], name, logger));
  return () => restores.forEach((restore) => restore());
}

function capture(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr', logger: Logger): () => void {
  const original = stream.write;
  let partial = '';
  let timer: NodeJS.Timeout | undefined;
  const emit = () => {
    clearTimeout(timer);
    timer = undefined;
    if (partial.trim() !== '') logger.warn('library output', { stream: name, text: partial.replace(/\n$/, '') });
    partial = '';
  };
  const write = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    partial += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (partial.endsWith('\n')) emit();
    else if (timer === undefined) {
      timer = setTimeout(emit, PARTIAL_LINE_MS);
      timer.unref();
    }
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  };
  // At exit the logger may have written its last lines already: a partial line is flushed itself.
  const atExit = () => {
    emit();
    void logger.flush();
  };
  stream.write = write as Write;
  process.once('exit', atExit);
  return () => {
    emit();
    process.off('exit', atExit);
    stream.write = original;
  };
}
