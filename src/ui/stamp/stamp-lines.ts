import type { Plan } from '../../core/index.js';
import { plural } from '../format.js';

/** The title of a stamp's question: which records it writes or forgets, and that nothing runs. */
export function stampTitle(plan: Plan, target: string): string {
  const n = plural(plan.revisions.length, 'revision');
  if (plan.direction === 'up') return `Stamp up to ${target}: ${n} recorded as applied without running them, in MikroORM's table and migrate-ui's`;
  const after = target === 'base' ? 'every record' : `the records after ${target}`;
  return `Unstamp down to ${target}: ${after} forgotten (${n}), nothing reverted, in MikroORM's table and migrate-ui's`;
}

/** Each record the stamp writes (+) or deletes (-), in the order it does so. */
export function stampRecordLines(plan: Plan): string[] {
  const mark = plan.direction === 'up' ? '+' : '-';
  return plan.revisions.map((r) => `  ${mark} ${r.name}`);
}

/** The question under the records. */
export function stampPrompt(plan: Plan): string {
  const n = plural(plan.revisions.length, 'revision');
  return `${plan.direction === 'up' ? `Record ${n} as applied` : `Forget the records of ${n}`}?  y yes · n no · enter = no`;
}

/** What the message bar says once the records are written. */
export function stampDone(plan: Plan, stamped: string[]): string {
  const n = plural(stamped.length, 'revision');
  return plan.direction === 'up' ? `stamped ${n} as applied: nothing ran` : `forgot the records of ${n}: nothing was reverted`;
}
