/** Bars and sparklines drawn with block characters: an eighth of a cell is the smallest step, so a bar grows smoothly. */

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const LEVELS = '▁▂▃▄▅▆▇█';

/** A bar `width` cells wide, filled to `share` (0 to 1) in eighths of a cell; the unfilled rest is blank. */
export function bar(share: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const eighths = Math.round(Math.min(1, Math.max(0, share)) * w * 8);
  const filled = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
  return filled.padEnd(w, ' ');
}

/**
 * The values as a sparkline of at most `width` cells, the largest value the tallest block. Values are averaged in
 * groups when there are more than cells (the newest group on the right); a zero is a blank, so a pause shows as a gap.
 */
export function sparkline(values: number[], width: number): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0 || values.length === 0) return '';
  const groups: number[] = [];
  const size = Math.ceil(values.length / w);
  // Grouped from the newest end, so the right-most cell is always the latest values.
  for (let end = values.length; end > 0; end -= size) {
    const group = values.slice(Math.max(0, end - size), end);
    groups.unshift(group.reduce((sum, v) => sum + v, 0) / group.length);
  }
  const top = Math.max(...groups);
  return groups.map((v) => (v <= 0 || top <= 0 ? ' ' : LEVELS[Math.min(7, Math.ceil((v / top) * 8) - 1)])).join('');
}
