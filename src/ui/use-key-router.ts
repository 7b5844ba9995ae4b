import { useCallback, useLayoutEffect, useState } from 'react';
import { useInput, type Key } from 'ink';
import { keypresses } from './key-chunk.js';
import type { Keypress } from './key-name.js';
import { KeyRouter } from './key-router.js';

/** Presses keys in order: the first at once, each next one after the screen caught up with the one before. */
function keyQueue(press: (key: Keypress) => void): (keys: Keypress[]) => void {
  const waiting: Keypress[] = [];
  const next = () => {
    try {
      const key = waiting.shift();
      if (key) press(key);
    } finally {
      if (waiting.length > 0) setImmediate(next);
    }
  };
  return (keys) => {
    const idle = waiting.length === 0;
    waiting.push(...keys);
    if (idle) next();
  };
}

/** Creates the app's key router and its single stdin listener; call once, at the top. */
export function useKeyRouter(beforeCommand: () => void): KeyRouter {
  const [router] = useState(() => new KeyRouter());
  const [feed] = useState(() => keyQueue((key) => router.press(key)));
  useLayoutEffect(() => {
    router.beforeCommand = beforeCommand;
  }, [router, beforeCommand]);
  // Keys typed faster than they are read arrive together ("kk\r"): each counts.
  useInput(useCallback((input: string, key: Key) => feed(keypresses(input, key)), [feed]));
  return router;
}
