import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Writable } from 'node:stream';

/**
 * A multipart file as the body parser leaves it, Django style: kept in memory up to a size
 * (`contents`), spooled to `filepath` beyond it. Small uploads (most images, every refused
 * pixel bomb) then cost no temp file, no write and no read back; large ones (videos) are never
 * held in memory.
 */
export interface SpooledFile {
  filepath: string;
  size: number;
  originalFilename?: string | null;
  /** The bytes, when the file stayed in memory. */
  contents?: Buffer;
}

/** Django's FILE_UPLOAD_MAX_MEMORY_SIZE: files up to 2.5 MB stay in memory. */
export const IN_MEMORY_FILE_BYTES = 2_621_440;

/**
 * Formidable's `fileWriteStreamHandler`: a writable that keeps a file's bytes in memory until
 * they pass `inMemoryBytes`, then creates the file's directory and path and writes everything
 * there (`onSpill` is told the path first). When it finishes in memory, the bytes are left on the file as
 * `contents`.
 */
export function spoolingWriter(inMemoryBytes: number, onSpill: (filepath: string) => void): (file: unknown) => Writable {
  return (formidableFile) => {
    const file = formidableFile as SpooledFile;
    let chunks: Buffer[] = [];
    let buffered = 0;
    let disk: WriteStream | undefined;

    const spill = async (): Promise<WriteStream> => {
      onSpill(file.filepath);
      await mkdir(dirname(file.filepath), { recursive: true });
      const stream = createWriteStream(file.filepath, { flags: 'wx' });
      for (const chunk of chunks) stream.write(chunk);
      chunks = [];
      return stream;
    };
    const writeToDisk = (stream: WriteStream, chunk: Buffer, callback: (error?: Error | null) => void) => {
      if (stream.write(chunk)) callback();
      else stream.once('drain', () => callback());
    };

    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (disk !== undefined) return writeToDisk(disk, chunk, callback);
        chunks.push(chunk);
        buffered += chunk.length;
        if (buffered <= inMemoryBytes) return callback();
        spill().then((stream) => {
          disk = stream;
          disk.once('error', (error) => this.destroy(error));
          callback();
        }, callback);
      },
      final(callback) {
        if (disk === undefined) {
          file.contents = Buffer.concat(chunks, buffered);
          chunks = [];
          return callback();
        }
        disk.end((error?: Error | null) => callback(error));
      },
      destroy(error, callback) {
        disk?.destroy();
        callback(error);
      },
    });
  };
}

/** The file's bytes, from memory or from its spool. */
export function spooledContents(file: SpooledFile): Promise<Buffer> {
  return file.contents !== undefined ? Promise.resolve(file.contents) : readFile(file.filepath);
}

/** The file's bytes as a stream, from memory or from its spool. */
export function spooledStream(file: SpooledFile): Readable {
  return file.contents !== undefined ? Readable.from([file.contents]) : createReadStream(file.filepath);
}
