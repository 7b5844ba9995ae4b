import { useCallback, useMemo, useRef, useState } from 'react';
import type { Notice } from './message-bar.js';

/** Sets the message line now; `later()` gives one for an answer that comes after an await. */
export type Notify = ((notice: Notice) => void) & {
  /**
   * A notify for the action under way: its answer shows unless a message set by a later key has replaced the message
   * line meanwhile (a late "refreshed" must not cover what the person's next key said).
   */
  later(): (notice: Notice) => void;
};

/** The app's message line: the last answer, which every key clears, and the keys counted so a late answer knows its age. */
export function useNotices() {
  const [shown, setShown] = useState<{ notice: Notice; key: number } | null>(null);
  const keys = useRef(0);
  const clear = useCallback(() => {
    keys.current++;
    setShown(null);
  }, []);
  const notify = useMemo(() => {
    const set = (notice: Notice, key: number) => setShown((was) => (was && was.key > key ? was : { notice, key }));
    const now = (notice: Notice) => set(notice, keys.current);
    return Object.assign(now, {
      later: () => {
        const key = keys.current;
        return (notice: Notice) => set(notice, key);
      },
    }) as Notify;
  }, []);
  return { notice: shown?.notice ?? null, notify, clear };
}
