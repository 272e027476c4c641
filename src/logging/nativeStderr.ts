import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './logger.ts';

const STDERR = 2;
/** How often the file is read; a partial line waits one more read for its end. */
const POLL_MS = 100;
/** Read per poll at most, and the longest text one log line carries. */
const CHUNK_BYTES = 64 * 1024;
/** Once this much has been read and logged, the file starts again from empty. */
const ROTATE_AT_BYTES = 1024 * 1024;

/**
 * Native code (lmdb-js's C code, libvips, Node's own fatal errors) writes to file descriptor 2
 * with `fprintf`, past JavaScript: where standard error and standard output are one stream
 * (`2>&1`, some log collectors), its text — often without a final newline — would land inside
 * one of our JSON lines. So descriptor 2 is pointed at a file of the data directory (POSIX hands
 * the lowest free descriptor to the next `open`), and what lands there is read back every 100 ms
 * and logged as `{"level": "warn", "msg": "native output", "stream": "stderr", "text": ...}`.
 * What a previous run left there (the text of a fatal error that killed it) is logged first, with
 * `"previousRun": true`. The file is emptied after each megabyte read, so it stays small (text
 * written in the instant between the last read and the emptying is lost).
 *
 * Only the composition root calls this, before anything opens a file concurrently (an `open` on
 * another thread in between would take descriptor 2); tests that start services in-process never do.
 * @returns a function that reads what is left and stops reading (descriptor 2 stays on the file).
 */
export function routeNativeStderr(logger: Logger, path: string): () => void {
  let previous = '';
  try {
    mkdirSync(dirname(path), { recursive: true });
    previous = lastBytes(path, CHUNK_BYTES);
  } catch {
    // no previous run here
  }
  if (previous.trim() !== '') logger.warn('native output', { stream: 'stderr', previousRun: true, text: previous.replace(/\n$/, '') });

  // Opened (and emptied) first, so that descriptor 2 is never left closed if the open fails.
  let holder: number;
  try {
    holder = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND, 0o600);
  } catch (error) {
    logger.warn('native standard error stays where it is', { path, error: String(error) });
    return () => {};
  }
  closeSync(STDERR);
  const writer = openSync(path, constants.O_WRONLY | constants.O_APPEND);
  closeSync(holder);
  if (writer !== STDERR) logger.error('native standard error could not be redirected', { path, descriptor: writer });
  const reader = openSync(path, 'r');

  let position = 0;
  let partial = '';
  let partialSeen = false;
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const emit = (text: string) => {
    if (text.trim() !== '') logger.warn('native output', { stream: 'stderr', text: text.replace(/\n$/, '') });
  };
  const poll = () => {
    const size = fstatSync(reader).size;
    if (size < position) position = 0;
    if (size > position) {
      const read = readSync(reader, buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
      position += read;
      partial += buffer.toString('utf8', 0, read);
      partialSeen = false;
      const end = partial.lastIndexOf('\n');
      if (end >= 0) {
        emit(partial.slice(0, end + 1));
        partial = partial.slice(end + 1);
      }
      if (partial.length >= CHUNK_BYTES) {
        emit(partial);
        partial = '';
      }
    } else if (partial !== '') {
      // A write without a final newline: its end had one poll to arrive.
      if (partialSeen) {
        emit(partial);
        partial = '';
      } else partialSeen = true;
    }
    if (position >= ROTATE_AT_BYTES && partial === '' && fstatSync(reader).size === position) {
      ftruncateSync(writer, 0);
      position = 0;
    }
  };
  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  const finish = () => {
    clearInterval(timer);
    poll();
    emit(partial);
    partial = '';
  };
  const atExit = () => {
    finish();
    void logger.flush();
  };
  process.once('exit', atExit);
  return () => {
    process.off('exit', atExit);
    finish();
  };
}

/** The last `count` bytes of a file, as text: a previous run's text is read with bounded memory. */
function lastBytes(path: string, count: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, count);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
