/** Stream category of gallery file name reservations. */
export const GALLERY_FILE_CATEGORY = 'galleryFile';

/**
 * The stream that guards one gallery file name (`/i/m/image.png`), URI-encoded like a SKU's so
 * that any name yields a valid, unambiguous stream name: `galleryFile-%2Fi%2Fm%2Fimage.png`.
 */
export const galleryFileStream = (file: string): string => `${GALLERY_FILE_CATEGORY}-${encodeURIComponent(file)}`;
