import { fold } from '../../domain/decider.ts';
import type { ProductFacts } from '../../domain/gallery/galleryVocabulary.ts';
import { productDecider } from '../../domain/product/productDecider.ts';
import type { ProductEvent } from '../../domain/product/productEvents.ts';
import { productStream } from '../../domain/product/productStreams.ts';
import { AppError } from '../../errors/appError.ts';
import type { EventStore } from '../../ports/eventStore.ts';

/** The product a media command names does not exist; each API words it its own way. */
export class UnknownProductError extends AppError {
  constructor(readonly productPk: number) {
    super('PRODUCT_NOT_FOUND', `Invalid pk "${productPk}" - object does not exist.`, {
      status: 400,
      details: { product: [`Invalid pk "${productPk}" - object does not exist.`] },
    });
    this.name = 'UnknownProductError';
  }
}

/**
 * What the gallery needs to know about a product, read from its stream (not a read model), so a
 * product registered or changed through another instance a moment ago is seen as it is.
 * @throws UnknownProductError
 */
export async function loadProductFacts(eventStore: EventStore, productPk: number): Promise<ProductFacts> {
  const events = await eventStore.readStream(productStream(productPk));
  const state = fold(productDecider, events.map((event) => ({ type: event.type, data: event.data }) as ProductEvent));
  if (state.status === 'absent') throw new UnknownProductError(productPk);
  return { pk: productPk, mediaEnabled: state.mediaEnabled };
}
