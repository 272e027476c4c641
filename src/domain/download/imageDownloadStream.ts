/** Stream category of ERP image download jobs. */
export const IMAGE_DOWNLOAD_CATEGORY = 'imageDownload';

/** The stream of one download job; `downloadId` is a UUID chosen by the API that started it. */
export const imageDownloadStream = (downloadId: string): string => `${IMAGE_DOWNLOAD_CATEGORY}-${downloadId}`;
