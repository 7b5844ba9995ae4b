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

/** Cuts text to `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Cuts the middle out of text (paths, names) so both ends stay readable. */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return truncate(text, width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/** Pads or cuts text to exactly `width` columns. */
export function fit(text: string, width: number): string {
  return truncate(text, width).padEnd(Math.max(0, width));
}

/** Breaks text into lines of at most `width` columns, at spaces where it can; every result line is one terminal row. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph.replace(/\t/g, '  ');
    while (rest.length > w) {
      let cut = rest.lastIndexOf(' ', w);
      if (cut <= w / 3) cut = w;
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
