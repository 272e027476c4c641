import { formatRatio } from './measure.ts';

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
  /** What `ratio` and the target are in when not a ratio (e.g. `ms`); a ratio (`×`) by default. */
  unit?: 'ms';
  /** How it was measured and anything odd, for the notes under the table. */
  details: string[];
}

export function meetsTarget({ ratio, target }: BenchmarkResult): boolean {
  return target.comparison === '>=' ? ratio >= target.value : ratio <= target.value;
}

export function formatTarget(result: BenchmarkResult): string {
  const { target } = result;
  return `${target.comparison === '>=' ? '≥' : '≤'} ${target.value}${unitSuffix(result)}`;
}

/** The ratio column: `0.91×`, or `4.20 ms` for a benchmark whose figure is not a ratio. */
export function formatFigure(result: BenchmarkResult): string {
  return result.unit === undefined ? formatRatio(result.ratio) : `${result.ratio.toFixed(2)}${unitSuffix(result)}`;
}

const unitSuffix = ({ unit }: BenchmarkResult) => (unit === undefined ? '×' : ` ${unit}`);
