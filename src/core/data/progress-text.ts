/** Progress in words, the same in the headless printer, `watch` and the TUI. */

/** "12,000": thousands separated by commas (en-US), written out for whole numbers. */
export function count(n: number): string {
  // The first Intl formatter of a process costs 15-60 ms of the main thread, which a run's first progress line would
  // pay between two batches; counts are whole numbers, whose grouping needs no locale data.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
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
