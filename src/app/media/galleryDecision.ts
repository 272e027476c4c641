import type { GalleryCommand } from '../../domain/gallery/galleryCommands.ts';
import { galleryDecider } from '../../domain/gallery/galleryDecider.ts';
import { productMediaStream } from '../../domain/gallery/galleryStream.ts';
import type { Position } from '../../ports/eventStore.ts';
import type { HandleCommand, RequestContext, WithoutMetadata } from '../commandHandler.ts';

/** Where a gallery write landed, for read-your-writes and the response. */
export interface GalleryWrite {
  productPk: number;
  streamName: string;
  position: Position | undefined;
  /** The gallery's revision after the write (ETag). */
  revision: number;
}

/** Runs one gallery command on `productMedia-<productPk>` through the command handler. */
export function galleryDecision(handle: HandleCommand) {
  return async function decide(
    productPk: number,
    command: WithoutMetadata<GalleryCommand>,
    context: RequestContext,
    expectedRevision?: number,
  ): Promise<GalleryWrite> {
    const streamName = productMediaStream(productPk);
    const result = await handle(streamName, galleryDecider, command, context, expectedRevision === undefined ? {} : { expectedRevision });
    return { productPk, streamName, position: result.position, revision: result.revision };
  };
}
