import { hostname } from 'node:os';
import { processAlive } from '../lock.js';

/** A holder name for this process: who runs a step, in a form another process can test for life. */
export function holderName(token: string): string {
  return `${process.pid}@${hostname().slice(0, 180)}#${token.slice(0, 12)}`;
}

/** The holders of this process whose run is still going (a finished run of this process holds nothing). */
export const activeHolders = new Set<string>();

/** Whether the run named by a holder is known to be gone: its process on this machine has exited, or is this one and finished it. */
export function holderGone(holder: string | null): boolean {
  const match = holder ? /^(\d+)@(.*)#/.exec(holder) : null;
  if (!match || match[2] !== hostname().slice(0, 180)) return false;
  if (Number(match[1]) === process.pid) return !activeHolders.has(holder!);
  return !processAlive(Number(match[1]));
}
