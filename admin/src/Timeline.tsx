import type { HistoryEntry } from './api.ts';
import { apiName, describeEntry, formatMoment } from './historyWords.ts';

/** Entries shown at most (newest first); the slider still reaches every one. */
const SHOWN = 200;

/** The product's media history, newest first: who, when, through which API, what changed. */
export function Timeline(props: { history: HistoryEntry[] }) {
  const newest = props.history.slice(-SHOWN).reverse();
  if (newest.length === 0) return <p class="hint">Nothing has happened to this gallery yet.</p>;
  return (
    <ol class="timeline" aria-label="Timeline">
      {newest.map((entry) => (
        <li key={entry.position}>
          <time dateTime={entry.occurred_at}>{formatMoment(entry.occurred_at)}</time>
          <span class="what">{describeEntry(entry)}</span>
          <span class="who">by {entry.actor} through the {apiName(entry.api)}</span>
        </li>
      ))}
      {props.history.length > SHOWN && <li>… and {props.history.length - SHOWN} earlier changes.</li>}
    </ol>
  );
}
