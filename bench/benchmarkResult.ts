/** What one benchmark reports: both figures, their ratio, and the target it is held to. */
export interface BenchmarkResult {
  /** Row label, e.g. `Durable appends, 100 concurrent writers`. */
  name: string;
  /** What the baseline is, in a few words. */
  baselineLabel: string;
  subjectLabel: string;
  /** The measured figures, formatted (medians over the rounds). */
  baseline: string;
  subject: string;
  /** The median of the per-round ratios (subject ÷ baseline, or as `ratioMeaning` says). */
  ratio: number;
  ratioMeaning: string;
  target: { comparison: '>=' | '<='; value: number };
  /** How it was measured and anything odd, for the notes under the table. */
  details: string[];
}

export function meetsTarget({ ratio, target }: BenchmarkResult): boolean {
  return target.comparison === '>=' ? ratio >= target.value : ratio <= target.value;
}

export function formatTarget({ target }: BenchmarkResult): string {
  return `${target.comparison === '>=' ? '≥' : '≤'} ${target.value}×`;
}
