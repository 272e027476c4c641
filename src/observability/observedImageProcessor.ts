import type { ImageJobKind } from '../adapters/sharp/sharpImageProcessor.ts';
import type { ImageProcessor, RenditionRenderer } from '../ports/imageProcessor.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/**
 * The image pipeline with each job measured (duration by kind and outcome, waiting for a slot
 * included) and traced (a span per job around sharp's work). The pipeline itself when neither is on.
 */
export function observedImageProcessor<Pipeline extends ImageProcessor & RenditionRenderer>(
  pipeline: Pipeline,
  metrics: Metrics | undefined,
  tracing: Tracing,
): ImageProcessor & RenditionRenderer {
  if (metrics === undefined && !tracing.enabled) return pipeline;
  const observed = <T>(kind: ImageJobKind, work: () => Promise<T>): Promise<T> =>
    tracing.inSpan(`image.${kind}`, { 'image.job.kind': kind }, async () => {
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await work();
      } catch (error) {
        outcome = 'error';
        throw error;
      } finally {
        metrics?.imageJobDuration.observe({ kind, outcome }, (performance.now() - started) / 1000);
      }
    });
  return {
    process: (input, options, job) => observed('upload', () => pipeline.process(input, options, job)),
    render: (input, instruction, job) => observed('rendition', () => pipeline.render(input, instruction, job)),
  };
}

/** The job limiter's observers that keep the queued and running gauges and count started jobs by kind. */
export function imageJobObservers(metrics: Metrics) {
  return {
    onLoad: ({ running, queued }: { running: number; queued: number }) => {
      metrics.imageJobsRunning.set(running);
      metrics.imageJobsQueued.set(queued);
    },
    onJobStart: (kind: ImageJobKind) => metrics.imageJobsStarted.inc({ kind }),
  };
}

/** The observers a test (or another caller) gave the image pipeline, called besides the metrics' own. */
export function withImageJobMetrics<Observers extends { onLoad?: (load: { running: number; queued: number }) => void; onJobStart?: (kind: ImageJobKind, owner: string) => void }>(
  observers: Observers | undefined,
  metrics: Metrics | undefined,
): Observers | undefined {
  if (metrics === undefined) return observers;
  const own = imageJobObservers(metrics);
  return {
    ...observers,
    onLoad: (load: { running: number; queued: number }) => {
      own.onLoad(load);
      observers?.onLoad?.(load);
    },
    onJobStart: (kind: ImageJobKind, owner: string) => {
      own.onJobStart(kind);
      observers?.onJobStart?.(kind, owner);
    },
  } as Observers;
}
