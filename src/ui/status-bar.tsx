import { Text } from 'ink';
import { statusHints, type Context, type Flag } from './keys/keymap.js';

/** The keys that matter now, generated from the keymap for the screen's live contexts. */
export function StatusBar({ contexts, flags }: { contexts: Context[]; flags: ReadonlySet<Flag> }) {
  const hints = statusHints(contexts, flags);
  return (
    <Text wrap="truncate-end">
      {hints.map((h, i) => (
        <Text key={`${h.keys}-${h.label}`}>
          {i > 0 ? '  ' : ''}
          <Text bold inverse>{` ${h.keys} `}</Text>
          {` ${h.label}`}
        </Text>
      ))}
    </Text>
  );
}
