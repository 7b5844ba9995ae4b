import stringWidth from 'string-width';

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function relativeTime(date: Date | null, now: number): string {
  if (!date) return '';
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days} d ago`;
  return date.toISOString().slice(0, 10);
}

/** Local wall-clock time, HH:MM:SS. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Columns of plain ASCII are its characters; the rest (CJK, emoji, combining marks) is measured. */
const ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** How many terminal columns text takes: CJK and most emoji take two, combining marks none. */
export function columns(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

/** The longest start (or end) of text that fits in `width` columns, never splitting a character or emoji. */
function fitting(text: string, width: number, from: 'start' | 'end'): string {
  if (ASCII.test(text)) return from === 'start' ? text.slice(0, width) : text.slice(text.length - width);
  const parts = [...segmenter.segment(text)].map((s) => s.segment);
  if (from === 'end') parts.reverse();
  let used = 0;
  let taken = 0;
  for (const part of parts) {
    used += stringWidth(part);
    if (used > width) break;
    taken++;
  }
  const kept = parts.slice(0, taken);
  return (from === 'end' ? kept.reverse() : kept).join('');
}

/** Cuts text to `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return columns(text) <= width ? text : `${fitting(text, Math.max(0, width - 1), 'start')}…`;
}

/** Cuts the middle out of text (paths, names) so both ends stay readable. */
export function truncateMiddle(text: string, width: number): string {
  if (columns(text) <= width) return text;
  if (width <= 1) return truncate(text, width);
  const first = Math.ceil((width - 1) / 2);
  const start = fitting(text, first, 'start');
  return `${start}…${fitting(text, width - 1 - columns(start), 'end')}`;
}

/** Pads or cuts text to exactly `width` columns. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - columns(cut)));
}

/** Breaks text into lines of at most `width` columns, at spaces where it can; every result line is one terminal row. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph.replace(/\t/g, '  ');
    while (columns(rest) > w) {
      const fits = fitting(rest, w, 'start');
      // A character wider than the whole row still takes a row of its own.
      const room = fits.length > 0 ? fits : [...segmenter.segment(rest)][0].segment;
      let cut = rest.length > room.length && rest[room.length] === ' ' ? room.length : room.lastIndexOf(' ');
      if (cut <= room.length / 3) cut = room.length;
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).replace(/^ /, '');
    }
    lines.push(rest);
  }
  return lines;
}

/** The first of `height` rows to show from `total` so that `index` sits in the middle where it can. */
export function centredStart(index: number, height: number, total: number): number {
  return Math.max(0, Math.min(index - Math.floor(height / 2), total - height));
}

/** "1 revision", "3 revisions". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
