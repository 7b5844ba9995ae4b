import { useEffect, useState } from 'react';

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** A spinner frame that turns ten times a second while `active`. */
export function useSpinner(active: boolean): string {
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 100);
    return () => clearInterval(timer);
  }, [active]);
  return FRAMES[i];
}
