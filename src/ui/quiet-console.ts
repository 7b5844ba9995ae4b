type Method = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: Method[] = ['log', 'info', 'warn', 'error', 'debug'];

/**
 * Holds back what libraries print to the console (a driver's "Connection ended unexpectedly") while the
 * app owns the screen; the app reports such failures in its message bar. Returns the lines, to print after.
 */
export function quietConsole(limit = 200): { restore: () => string[] } {
  const held: string[] = [];
  const originals = new Map(METHODS.map((m) => [m, console[m]]));
  for (const m of METHODS) {
    console[m] = (...args: unknown[]) => {
      if (held.length < limit) held.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    };
  }
  return {
    restore() {
      for (const [m, original] of originals) console[m] = original;
      return held;
    },
  };
}
