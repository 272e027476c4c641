import type { Video } from './api.ts';

/** The videos, each with a plain player (no poster). */
export function VideoList(props: { videos: Video[] }) {
  if (props.videos.length === 0) return <p class="hint">No videos.</p>;
  return (
    <ul class="videos" aria-label="Videos list">
      {props.videos.map((video) => (
        <li key={video.pk} aria-label={`Video ${video.pk}`}>
          <video src={video.video} controls preload="metadata" aria-label={`Video ${video.pk}, order ${video.order}`} />
          <span>Video {video.pk} · order {video.order}</span>
        </li>
      ))}
    </ul>
  );
}
