import { useEffect, useState } from 'react';

/** The time, updated every `everyMs` (relative times like "3 min ago" need no finer clock). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
