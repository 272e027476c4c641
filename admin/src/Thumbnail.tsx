import { useEffect, useState } from 'preact/hooks';

/** Widths the service renders (`RENDITION_SIZES`, from /admin/config.json), read once. */
let widths: Promise<number[]> | undefined;
function renditionWidths(): Promise<number[]> {
  widths ??= fetch('/admin/config.json')
    .then((response) => response.json() as Promise<{ rendition_widths: number[] }>)
    .then((config) => config.rendition_widths)
    .catch(() => []);
  return widths;
}

/** Thumbnails need no more than this (a 2× screen at the largest thumbnail size). */
const MAX_THUMBNAIL_WIDTH = 640;

export function renditionUrl(url: string, width: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}w=${width}&format=auto`;
}

/** An image from its renditions: `srcset` over the allowed widths, the best format for the browser. */
export function Thumbnail(props: { url: string; alt: string }) {
  const [allowed, setAllowed] = useState<number[] | null>(null);
  useEffect(() => {
    void renditionWidths().then(setAllowed);
  }, []);
  if (allowed === null) return <span class="thumb placeholder" />;
  const usable = allowed.filter((width) => width <= MAX_THUMBNAIL_WIDTH);
  if (usable.length === 0) return <img class="thumb" src={props.url} alt={props.alt} loading="lazy" />;
  const smallest = usable.find((width) => width >= 160) ?? usable.at(-1)!;
  return (
    <img
      class="thumb"
      src={renditionUrl(props.url, smallest)}
      srcset={usable.map((width) => `${renditionUrl(props.url, width)} ${width}w`).join(', ')}
      sizes="96px"
      alt={props.alt}
      loading="lazy"
    />
  );
}
