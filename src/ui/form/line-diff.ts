/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  mark: ' ' | '-' | '+';
  text: string;
}

/**
 * The lines that differ between two texts, with `context` kept lines around each change (a longest-common-subsequence
 * diff of the part between the common head and tail; entity files are small).
 */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = lcsDiff(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const all: DiffLine[] = [
    ...a.slice(0, head).map((text) => ({ mark: ' ' as const, text })),
    ...middle,
    ...a.slice(a.length - tail).map((text) => ({ mark: ' ' as const, text })),
  ];
  const near = (i: number) => all.slice(Math.max(0, i - context), i + context + 1).some((l) => l.mark !== ' ');
  const shown: DiffLine[] = [];
  all.forEach((line, i) => {
    if (line.mark !== ' ' || near(i)) shown.push(line);
    else if (shown.at(-1)?.text !== '…' || shown.at(-1)?.mark !== ' ') shown.push({ mark: ' ', text: '…' });
  });
  while (shown[0]?.text === '…') shown.shift();
  while (shown.at(-1)?.text === '…') shown.pop();
  return shown;
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  if (a.length * b.length > 250_000) return [...a.map((text) => ({ mark: '-' as const, text })), ...b.map((text) => ({ mark: '+' as const, text }))];
  // lengths[i][j]: the longest common subsequence of a[i…] and b[j…].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ mark: ' ', text: a[i] });
      i++;
      j++;
      // Removed lines before added ones where either keeps the common lines, as diff prints them.
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) out.push({ mark: '-', text: a[i++] });
    else out.push({ mark: '+', text: b[j++] });
  }
  return out;
}
