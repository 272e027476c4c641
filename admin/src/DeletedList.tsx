import { formatMoment } from './historyWords.ts';

/** Deleted images, each with a way back. */
export function DeletedList(props: { deleted: Array<{ pk: number; at: string; actor: string }>; busy: boolean; onRestore: (pk: number) => void }) {
  if (props.deleted.length === 0) return <p class="hint">No deleted images.</p>;
  return (
    <ul class="deleted" aria-label="Deleted images">
      {props.deleted.map((image) => (
        <li key={image.pk} aria-label={`Image ${image.pk}`}>
          <span>Image {image.pk}, deleted {formatMoment(image.at)} by {image.actor}</span>
          <button type="button" disabled={props.busy} onClick={() => props.onRestore(image.pk)}>Restore</button>
        </li>
      ))}
    </ul>
  );
}
