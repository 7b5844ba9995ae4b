import type { Step } from './plan.js';
import { callSource } from './print.js';
import type { Spec } from './spec.js';

const SPEC_MARKER = '@migrate-ui spec ';

/** The migration file of a spec: MikroORM's Migration with migrate-ui's operations, down() the exact inverse in reverse order. */
export function renderMigrationFile(input: { className: string; title: string; spec: Spec; steps: Step[] }): string {
  const { className, title, spec, steps } = input;
  const body = (lines: string[]) => (lines.length ? ['    const op = ops(this);', ...lines] : ['    // Nothing to undo.']).join('\n');
  const up = steps.flatMap((s) => s.up.map((c) => callSource(c, '    ')));
  const down = [...steps].reverse().flatMap((s) => s.down.map((c) => callSource(c, '    ')));
  const backfills = steps.some((s) => s.operation.op === 'backfill');
  const transactional = backfills
    ? `  /** A backfill commits batch by batch, so this revision runs outside one transaction. */
  override isTransactional(): boolean {
    return false;
  }

`
    : '';
  // `*/` inside the spec (in SQL) would end the comment: JSON may write the slash escaped.
  const json = JSON.stringify(spec).replace(/\*\//g, '*\\/');
  return `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

/**
 * ${title}
 * Written by migrate-ui from the spec below (the form reopens it); down() undoes up() in reverse order.
 * ${SPEC_MARKER}${json}
 */
export class ${className} extends Migration {
${transactional}  override async up(): Promise<void> {
${body(up)}
  }

  override async down(): Promise<void> {
${body(down)}
  }
}
`;
}

/** The spec a generated file keeps, or undefined for a file migrate-ui did not write (or one edited past reading). */
export function specOfFile(source: string): Spec | undefined {
  const at = source.indexOf(SPEC_MARKER);
  if (at < 0) return undefined;
  const line = source.slice(at + SPEC_MARKER.length).split('\n')[0];
  try {
    const spec = JSON.parse(line) as Spec;
    return Array.isArray(spec?.operations) ? spec : undefined;
  } catch {
    return undefined;
  }
}

/** A revision's title in words from its name: `add_projects` → "Add projects". */
export function titleOf(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? `${words[0].toUpperCase()}${words.slice(1)}` : 'A revision';
}
