import { randomBytes } from 'node:crypto';

/** A `multipart/form-data` body, built as bytes. */
export interface MultipartForm {
  contentType: string;
  body: Buffer;
}

/**
 * Text fields and one file as `multipart/form-data` (RFC 7578), the file's bytes put in as they
 * are: no base64, no copy into a FormData. A random boundary of 24 bytes never occurs in a field
 * by chance; `name`s and the file name are ours (ASCII, no quotes).
 */
export function multipartForm(fields: Readonly<Record<string, string>>, file: { field: string; fileName: string; type: string; content: Buffer }): MultipartForm {
  const boundary = `catalog-import-${randomBytes(24).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head + fileHead, 'utf8'), file.content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
