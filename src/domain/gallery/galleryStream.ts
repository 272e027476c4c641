/** Stream category of the gallery aggregate (EventStoreDB: the part before the first dash). */
export const PRODUCT_MEDIA_CATEGORY = 'productMedia';

/** The stream holding every image and video event of one product. */
export const productMediaStream = (productPk: number): string => `${PRODUCT_MEDIA_CATEGORY}-${productPk}`;
