import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient, type HistoryEntry, type Image, type Video } from './api.ts';
import { labelsOf, mainImageOf } from './galleryFacts.ts';
import { describeEntry, formatMoment } from './historyWords.ts';
import { ImageList } from './ImageList.tsx';
import { VideoList } from './VideoList.tsx';

/**
 * A slider over the history: at step `i` the gallery as it was right after entry `i` (read
 * from the API with `as_of`, read-only). The last step is now.
 */
export function TimeTravel(props: { api: ApiClient; productPk: number; history: HistoryEntry[] }) {
  const { history } = props;
  const last = history.length - 1;
  const [step, setStep] = useState<number | null>(null); // null: now
  const [past, setPast] = useState<{ step: number; images: Image[]; videos: Video[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (step === null) return setPast(null);
    const moment = history[step]?.occurred_at;
    if (!moment) return;
    let current = true;
    const timer = setTimeout(() => {
      Promise.all([props.api.images(props.productPk, moment), props.api.videos(props.productPk, moment)]).then(
        ([images, videos]) => current && (setPast({ step, images, videos }), setError(null)),
        (failure) => current && setError(failure instanceof ApiError ? failure.message : 'Loading the past gallery failed.'),
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [step, history, props.api, props.productPk]);

  if (history.length === 0) return null;
  const shown = step ?? last;
  const entry = history[shown]!;
  const upTo = history.slice(0, shown + 1);
  return (
    <div class="time-travel">
      <label for="as-of">Gallery as of</label>
      <input
        id="as-of"
        type="range"
        min={0}
        max={last}
        step={1}
        value={shown}
        aria-valuetext={`${formatMoment(entry.occurred_at)}: ${describeEntry(entry)}`}
        onInput={(event) => {
          const value = Number(event.currentTarget.value);
          setStep(value === last ? null : value);
        }}
      />
      <p class="moment" aria-live="polite">
        {step === null ? 'Now' : `${formatMoment(entry.occurred_at)}, after: ${describeEntry(entry)}`}
      </p>
      {step !== null && (
        <div class="past" role="region" aria-label="Past gallery">
          <button type="button" onClick={() => setStep(null)}>Back to now</button>
          {error && <p role="alert" class="error">{error}</p>}
          {past && past.step === step ? (
            <>
              <ImageList images={past.images} main={mainImageOf(upTo)} labels={labelsOf(upTo)} label="Images then" />
              {past.videos.length > 0 && <VideoList videos={past.videos} />}
            </>
          ) : (
            !error && <p class="hint">Loading…</p>
          )}
        </div>
      )}
    </div>
  );
}
