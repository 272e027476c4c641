import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient, type HistoryEntry, type Image, type Product, type Video } from './api.ts';
import { followProduct } from './liveFeed.ts';

export interface GalleryNow {
  product: Product;
  history: HistoryEntry[];
  images: Image[];
  videos: Video[];
}

/**
 * One product's gallery now, its history, and the live feed that reloads both when anything
 * changes them (this page's actions, other people, either API).
 */
export function useProductGallery(api: ApiClient, productPk: number) {
  const [data, setData] = useState<GalleryNow | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const loading = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++loading.current;
    try {
      // History first: its revision may then be older than the lists, never newer, so a write
      // pinned to it fails (412) rather than overwriting a change the page has not shown.
      const product = await api.product(productPk);
      const history = await api.history(productPk);
      const [images, videos] = await Promise.all([api.images(productPk), api.videos(productPk)]);
      if (ticket === loading.current) {
        setData({ product, history, images, videos });
        setLoadError(null);
      }
    } catch (failure) {
      if (ticket === loading.current) setLoadError(failure instanceof ApiError ? failure.message : 'Loading failed.');
    }
  }, [api, productPk]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // The feed starts once the first history is read, after its last position.
  const started = data !== null;
  const lastPosition = data?.history.at(-1)?.position ?? null;
  const after = useRef<string | null>(null);
  if (!started) after.current = null;
  else if (after.current === null) after.current = lastPosition ?? '';
  useEffect(() => {
    if (!started) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = followProduct({
      productPk,
      headers: api.headers(),
      after: after.current || null,
      onEvent: () => {
        clearTimeout(timer);
        timer = setTimeout(() => void reload(), 100);
      },
      onState: setLive,
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [started, api, productPk, reload]);

  return { data, loadError, live, reload };
}
