/** A file fetched from a URL an ERP gave us. */
export interface DownloadedFile {
  bytes: Buffer;
  /** The URL the bytes came from, after redirects. */
  finalUrl: string;
  contentType: string | null;
}

/**
 * Fetches ERP files server-side. Implementations refuse what must not be reached (private
 * addresses, other schemes) and bound size and time.
 * @throws AppError `DOWNLOAD_FAILED` (400) whose message is the short human reason.
 */
export interface Downloader {
  download(url: string): Promise<DownloadedFile>;
}
