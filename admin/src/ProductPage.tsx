import type { ApiClient, Image } from './api.ts';
import { etagOf } from './api.ts';
import { DeletedList } from './DeletedList.tsx';
import { deletedImagesOf, labelsOf, mainImageOf, revisionOf } from './galleryFacts.ts';
import { ImageList } from './ImageList.tsx';
import { reorderWrites } from './reorder.ts';
import { Timeline } from './Timeline.tsx';
import { TimeTravel } from './TimeTravel.tsx';
import { UploadBox } from './UploadBox.tsx';
import { useAction } from './useAction.ts';
import { useProductGallery } from './useProductGallery.ts';
import { VideoList } from './VideoList.tsx';

/** One product's gallery: edit it, see its history, travel back in it; live. */
export function ProductPage(props: { api: ApiClient; productPk: number }) {
  const { api, productPk } = props;
  const { data, loadError, live, reload } = useProductGallery(api, productPk);
  const action = useAction(reload);

  if (!data) {
    return loadError ? <p role="alert" class="error">{loadError}</p> : <p class="hint">Loading…</p>;
  }
  const { product, history, images, videos } = data;
  const revision = revisionOf(history);
  // Every write pins the gallery as the page shows it: a change made meanwhile is a 412.
  const pinned = revision === null ? '' : etagOf(revision);

  const moveImage = (from: number, to: number) =>
    action.run(async () => {
      let etag = pinned;
      for (const write of reorderWrites(images, from, to)) {
        etag = (await api.setOrder(write.pk, write.order, etag)).etag ?? '';
      }
    });

  return (
    <article class="product" aria-labelledby="product-title">
      <h1 id="product-title">{product.sku}{product.name ? ` — ${product.name}` : ''}</h1>
      <p class="status">
        Product {product.pk} · {live ? 'Live: changes by others appear here.' : 'Connecting to live updates…'}
      </p>
      {action.error && (
        <div role="alert" class="error">
          {action.error}{' '}
          <button type="button" class="secondary" onClick={() => { action.clearError(); void reload(); }}>Reload</button>
        </div>
      )}
      {loadError && <p role="alert" class="error">{loadError}</p>}

      <section aria-labelledby="images-title">
        <h2 id="images-title">Images</h2>
        <ImageList
          images={images}
          main={mainImageOf(history)}
          labels={labelsOf(history)}
          busy={action.busy}
          label="Images"
          actions={{
            makeMain: (image: Image) => action.run(() => api.makeMain(image.pk, pinned)),
            move: moveImage,
            remove: (image: Image) => action.run(() => api.remove(image.pk, pinned)),
          }}
        />
        <UploadBox apiKey={api.key} productPk={productPk} nextOrder={images.reduce((max, image) => Math.max(max, image.order + 1), 0)} onUploaded={() => void reload()} />
      </section>

      <section aria-labelledby="videos-title">
        <h2 id="videos-title">Videos</h2>
        <VideoList videos={videos} />
      </section>

      <section aria-labelledby="deleted-title">
        <h2 id="deleted-title">Deleted</h2>
        <DeletedList deleted={deletedImagesOf(history)} busy={action.busy} onRestore={(pk) => action.run(() => api.restore(pk, pinned))} />
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <TimeTravel api={api} productPk={productPk} history={history} />
        <Timeline history={history} />
      </section>
    </article>
  );
}
