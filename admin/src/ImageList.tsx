import { useEffect, useRef, useState } from 'preact/hooks';
import type { Image } from './api.ts';
import { Thumbnail } from './Thumbnail.tsx';

export interface ImageActions {
  makeMain(image: Image): void;
  move(from: number, to: number): void;
  remove(image: Image): void;
}

/**
 * The images in gallery order. With `actions` each has its buttons and the list can be
 * reordered by dragging (the buttons do the same from the keyboard); without, it is read-only.
 */
export function ImageList(props: { images: Image[]; main: number | null; labels: Map<number, string>; actions?: ImageActions; busy?: boolean; label: string }) {
  const { images, actions } = props;
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  // A moved item is re-inserted in the DOM, which takes the focus away: give it back to the
  // same button of the same image (or its opposite, at an end) once the gallery shows the move.
  const list = useRef<HTMLOListElement>(null);
  const refocus = useRef<{ pk: number; action: 'earlier' | 'later' } | null>(null);
  useEffect(() => {
    const wanted = refocus.current;
    if (!wanted || !list.current) return;
    const item = list.current.querySelector(`[data-image="${wanted.pk}"]`);
    const opposite = wanted.action === 'earlier' ? 'later' : 'earlier';
    const button = [wanted.action, opposite]
      .map((action) => item?.querySelector<HTMLButtonElement>(`[data-action="${action}"]`))
      .find((candidate) => candidate && !candidate.disabled);
    refocus.current = null;
    button?.focus();
  }, [images]);
  const moveWithFocus = (from: number, to: number) => {
    refocus.current = { pk: images[from]!.pk, action: to < from ? 'earlier' : 'later' };
    actions?.move(from, to);
  };
  if (images.length === 0) return <p class="hint">No images.</p>;

  return (
    <ol class="images" aria-label={props.label} ref={list}>
      {images.map((image, index) => {
        const label = props.labels.get(image.pk) ?? '';
        const isMain = image.pk === props.main;
        const drag = actions && {
          draggable: true,
          onDragStart: (event: DragEvent) => {
            setDragging(index);
            event.dataTransfer?.setData('text/plain', String(image.pk));
            if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
          },
          onDragOver: (event: DragEvent) => {
            event.preventDefault();
            setOver(index);
          },
          onDragLeave: () => setOver(null),
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            setOver(null);
            if (dragging !== null && dragging !== index) actions.move(dragging, index);
            setDragging(null);
          },
          onDragEnd: () => {
            setDragging(null);
            setOver(null);
          },
        };
        return (
          <li key={image.pk} data-image={image.pk} aria-label={`Image ${image.pk}`} class={`image${isMain ? ' main' : ''}${over === index ? ' drop-target' : ''}`} {...drag}>
            <Thumbnail url={image.image} alt={label || `Image ${image.pk}`} />
            <div class="facts">
              <span class="title">Image {image.pk}</span>
              {isMain && <strong class="badge">Main image</strong>}
              <span>Order {image.order}</span>
              {label && <span>Label: {label}</span>}
            </div>
            {actions && (
              <div class="buttons">
                <button type="button" disabled={props.busy || isMain} onClick={() => actions.makeMain(image)}>Make main</button>
                <button type="button" data-action="earlier" disabled={props.busy || index === 0} onClick={() => moveWithFocus(index, index - 1)}>Move earlier</button>
                <button type="button" data-action="later" disabled={props.busy || index === images.length - 1} onClick={() => moveWithFocus(index, index + 1)}>Move later</button>
                <button type="button" class="danger" disabled={props.busy} onClick={() => actions.remove(image)}>Delete</button>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
