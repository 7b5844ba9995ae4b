import { createContext, createElement, useCallback, useLayoutEffect, useState, type ReactElement } from 'react';
import { useInput, type Key } from 'ink';
import { keypresses } from './key-chunk.js';
import type { Keypress } from './key-name.js';
import { KeyRouter } from './key-router.js';

/** The app's key router, for the screens below it. */
export const KeyRouterContext = createContext<KeyRouter | null>(null);

/**
 * Presses keys one at a time, each only after what the key before it changed is committed: keys that arrive in one
 * read (a paste, SSH, a busy moment) must reach the context the keys before them opened (`/data` is a filter, not a
 * downgrade). React renders an update later than the handler that asked for it, so after each key the queue asks
 * for a commit of its own (<KeysSettle>), which React renders together with the key's own updates.
 */
class KeyQueue {
  private readonly waiting: Keypress[] = [];
  private settling = false;
  /** Asks for a commit; set by <KeysSettle> once it is mounted (before that, the next turn of the event loop will do). */
  requestCommit: () => void = () => setImmediate(() => this.committed());

  constructor(private readonly press: (key: Keypress) => void) {}

  feed(keys: Keypress[]): void {
    this.waiting.push(...keys);
    if (!this.settling) this.next();
  }

  /** The commit asked for after the last key happened: its layout effects ran, so the next key sees its contexts. */
  committed(): void {
    // Let the rest of the commit (layout effects after ours) finish before the next key.
    setImmediate(() => {
      this.settling = false;
      this.next();
    });
  }

  private next(): void {
    const key = this.waiting.shift();
    if (!key) return;
    this.settling = true;
    try {
      this.press(key);
    } finally {
      this.requestCommit();
    }
  }
}

/** Renders nothing; each of its commits tells the key queue that the last key's updates are committed. */
function KeysSettle({ queue }: { queue: KeyQueue }): null {
  const [commit, setCommit] = useState(0);
  useLayoutEffect(() => {
    queue.requestCommit = () => setCommit((n) => n + 1);
    // Mounting is a commit too: a key that asked the instance before this one (another layout) is not kept waiting.
    queue.committed();
  }, [queue]);
  useLayoutEffect(() => {
    if (commit > 0) queue.committed();
  }, [queue, commit]);
  return null;
}

/**
 * Creates the app's key router and its single stdin listener; call once, at the top, and render `settle` anywhere in
 * the app's tree.
 */
export function useKeyRouter(beforeCommand: () => void): { router: KeyRouter; settle: ReactElement } {
  const [router] = useState(() => new KeyRouter());
  const [queue] = useState(() => new KeyQueue((key) => router.press(key)));
  useLayoutEffect(() => {
    router.beforeCommand = beforeCommand;
  }, [router, beforeCommand]);
  // Keys typed faster than they are read arrive together ("kk\r"): each counts.
  useInput(useCallback((input: string, key: Key) => queue.feed(keypresses(input, key)), [queue]));
  return { router, settle: createElement(KeysSettle, { queue }) };
}
