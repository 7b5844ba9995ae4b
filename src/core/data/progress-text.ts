/** Progress in words, the same in the headless printer, `watch` and the TUI. */

/**
 * One formatter for every count: toLocaleString builds a new one on each call (a tenth of a bar line's cost). Made at
 * the first count, not on import: the first Intl formatter of a process costs ~14 ms, which `status` would pay at start.
 */
let formatter: Intl.NumberFormat | undefined;

/** "12,000". */
export function count(n: number): string {
  formatter ??= new Intl.NumberFormat('en-US');
  return formatter.format(n);
}

/** The share done, 0 to 1; null while the total is unknown. */
export function doneShare(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(1, done / total);
}

/** "12,000 / 50,000 rows (24%)", the total left out while unknown. */
export function rowsText(done: number, total: number | null): string {
  const share = doneShare(done, total);
  if (share === null) return `${count(done)} rows`;
  return `${count(done)} / ${count(total!)} rows (${Math.floor(share * 100)}%)`;
}

/** "45 s", "12 min", "2.5 h". */
export function etaText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
