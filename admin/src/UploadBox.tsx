import { useState } from 'preact/hooks';
import { uploadImage } from './upload.ts';

interface UploadState {
  id: number;
  name: string;
  progress: number;
  outcome: { ok: true; pk: number } | { ok: false; message: string } | null;
}

/** Files uploaded at once (the rest wait): bounds what one page asks of the image pipeline. */
const PARALLEL_UPLOADS = 2;
let nextId = 1;

/** A file input and a drop zone; several files at once, each with its progress and outcome. */
export function UploadBox(props: { apiKey: string; productPk: number; nextOrder: number; onUploaded: () => void }) {
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [dragOver, setDragOver] = useState(false);
  const update = (id: number, change: Partial<UploadState>) =>
    setUploads((list) => list.map((upload) => (upload.id === id ? { ...upload, ...change } : upload)));

  const start = async (files: File[]) => {
    // In the order chosen, after the gallery's last image (orders taken when the upload starts).
    const jobs = files.map((file, index) => ({ file, order: props.nextOrder + index, state: { id: nextId++, name: file.name, progress: 0, outcome: null } as UploadState }));
    setUploads((list) => [...jobs.map((job) => job.state), ...list].slice(0, 50));
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { id } = job.state;
        try {
          const pk = await uploadImage({ key: props.apiKey, productPk: props.productPk, file: job.file, order: job.order, onProgress: (progress) => update(id, { progress }) });
          update(id, { outcome: { ok: true, pk } });
        } catch (failure) {
          update(id, { outcome: { ok: false, message: failure instanceof Error ? failure.message : String(failure) } });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, jobs.length) }, worker));
    props.onUploaded();
  };

  return (
    <div
      class={`drop-zone${dragOver ? ' over' : ''}`}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes('Files')) return;
        event.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(event) => {
        if (!event.dataTransfer?.files.length) return;
        event.preventDefault();
        setDragOver(false);
        void start([...event.dataTransfer.files]);
      }}
    >
      <label for="add-images">Add images</label>
      <input
        id="add-images"
        type="file"
        multiple
        accept="image/jpeg,image/png"
        onChange={(event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          if (files.length > 0) void start(files);
        }}
      />
      <p class="hint">or drop image files here (JPEG or PNG).</p>
      {uploads.length > 0 && (
        <ul class="uploads" aria-label="Uploads">
          {uploads.map((upload) => (
            <li key={upload.id}>
              <span class="name">{upload.name}</span>
              <progress max={1} value={upload.progress} aria-label={`Upload of ${upload.name}`} />
              {upload.outcome === null && <span>{Math.round(upload.progress * 100)} %</span>}
              {upload.outcome?.ok === true && <span>Uploaded as image {upload.outcome.pk}</span>}
              {upload.outcome?.ok === false && <span role="alert" class="error">{upload.name}: {upload.outcome.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
