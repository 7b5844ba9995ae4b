import { Text } from 'ink';
import { columns } from './format.js';
import { statusHints, type Command, type Context, type Flag, type Hint } from './keys/keymap.js';

/** Shown whatever the width: how to learn every key, and how to leave. */
const PINNED: ReadonlySet<Command> = new Set(['help', 'quit']);
/** ` u ` (the key, inverse) and ` upgrade`. */
const hintWidth = (hint: Hint) => columns(hint.keys) + 3 + columns(hint.label);

/** Columns between two hints: two while every hint fits so, else one (the inverse key still sets each apart). */
export function hintGap(hints: Hint[], width: number): number {
  return hints.reduce((sum, h) => sum + hintWidth(h) + 2, -2) <= width ? 2 : 1;
}

/** The hints that fit in `width` columns: `? help` and `q quit` always, then the others in the keymap's order while they fit. */
export function fitHints(hints: Hint[], width: number): Hint[] {
  const gap = hintGap(hints, width);
  const kept = new Set(hints.filter((h) => PINNED.has(h.command)));
  let used = [...kept].reduce((sum, h) => sum + hintWidth(h) + gap, -gap);
  for (const hint of hints) {
    if (kept.has(hint) || used + gap + hintWidth(hint) > width) continue;
    kept.add(hint);
    used += gap + hintWidth(hint);
  }
  return hints.filter((h) => kept.has(h));
}

/** The keys that matter now, generated from the keymap for the screen's live contexts, as many as fit. */
export function StatusBar({ contexts, flags, width }: { contexts: Context[]; flags: ReadonlySet<Flag>; width: number }) {
  const all = statusHints(contexts, flags);
  const hints = fitHints(all, width);
  const gap = ' '.repeat(hintGap(all, width));
  return (
    <Text wrap="truncate-end">
      {hints.map((h, i) => (
        <Text key={`${h.keys}-${h.label}`}>
          {i > 0 ? gap : ''}
          <Text bold inverse>{` ${h.keys} `}</Text>
          {` ${h.label}`}
        </Text>
      ))}
    </Text>
  );
}
