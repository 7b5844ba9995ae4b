// Kept apart from format.ts (string-width): the headless CLI prints durations too, and `status` loads this.

/**
 * A duration in words, the one formatter of the TUI and the CLI, in three styles: `eta` rounds as a time left is read
 * ("45 s", "12 min", "2.5 h"), `elapsed` counts whole units up ("12 s", "4 min 05 s", "1 h 02 min"), `precise`
 * says how long something took ("12 ms", "4.0 s").
 */
export function durationText(ms: number, style: 'eta' | 'elapsed' | 'precise'): string {
  if (style === 'precise') return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  if (style === 'eta') {
    const seconds = Math.round(ms / 1000);
    if (seconds < 90) return `${seconds} s`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
    return `${(seconds / 3600).toFixed(1)} h`;
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
