import type { DomainEvent } from '../decider.ts';

/**
 * A ShipStream gallery file name (`/i/m/image.png`) was taken for good by a `create` of
 * `productPk`: no other image of any product is given it again, even once that image is removed
 * (OpenMage's names are unique in its one media folder and never reused). The first event of
 * stream `galleryFile-<file>`, appended with expected revision `no_stream`: of two instances
 * reserving one name at once, exactly one succeeds.
 */
export type GalleryFileReserved = DomainEvent<'GalleryFileReserved', { file: string; productPk: number }>;

export type GalleryFileEvent = GalleryFileReserved;
