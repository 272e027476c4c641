import cliProgress from 'cli-progress';

/** Where a long command shows how far it is. */
export interface Progress {
  /** `total` undefined: the count is not known in advance (events of a log): no bar, no ETA. */
  start(total?: number): void;
  /** `done` counts every finished item, failed ones included. */
  update(done: number, failed: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What is counted (`rows`, `events`, `objects`). */
  unit: string;
  label: string;
  stream: NodeJS.WriteStream;
  /** Plain lines: one every this many ms (default 5 s). */
  lineIntervalMs?: number;
  now?: () => number;
}

/** A bar with rate, ETA and failures on a terminal; periodic plain lines otherwise (logs, CI, pipes). */
export function progressFor(options: ProgressOptions): Progress {
  const bar = options.stream.isTTY ? progressBar(options) : undefined;
  const lines = progressLines(options);
  let counting = false;
  return {
    start(total) {
      counting = total === undefined || bar === undefined;
      (counting ? lines : bar!).start(total);
    },
    update: (done, failed) => (counting ? lines : bar!).update(done, failed),
    stop: () => (counting ? lines : bar!).stop(),
  };
}

function progressBar({ unit, label, stream }: ProgressOptions): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted} | failed {failed}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  return {
    start: (total) => bar.start(total ?? 0, 0, { failed: 0, rate: '0.0' }),
    update: (done, failed) => bar.update(done, { failed, rate: rateOf(done, Date.now() - started) }),
    stop: () => bar.stop(),
  };
}

function progressLines({ unit, label, stream, lineIntervalMs = 5000, now = Date.now }: ProgressOptions): Progress {
  let total: number | undefined;
  let started = 0;
  let lastLine = 0;
  let state = { done: 0, failed: 0 };
  const line = () => {
    const elapsed = now() - started;
    const rate = state.done / Math.max(elapsed / 1000, 0.001);
    const eta = rate > 0 && total !== undefined ? Math.ceil((total - state.done) / rate) : undefined;
    const count = total === undefined ? `${state.done}` : `${state.done}/${total}`;
    stream.write(`${label}: ${count} ${unit}, ${rateOf(state.done, elapsed)}/s, ${state.failed} failed${eta === undefined ? '' : `, ETA ${eta}s`}\n`);
    lastLine = now();
  };
  return {
    start(count) {
      total = count;
      started = lastLine = now();
    },
    update(done, failed) {
      state = { done, failed };
      if (now() - lastLine >= lineIntervalMs) line();
    },
    stop: line,
  };
}

function rateOf(done: number, elapsedMs: number): string {
  return (done / Math.max(elapsedMs / 1000, 0.001)).toFixed(1);
}
