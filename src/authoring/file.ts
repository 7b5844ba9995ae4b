import type { Step } from './plan.js';
import { callSource, literal } from './print.js';
import type { Operation, Spec } from './spec.js';

const SPEC_MARKER = '@migrate-ui spec ';

type Backfill = Extract<Operation, { op: 'backfill' }>;

/** A revision's steps around its backfills: schema steps before the first, the backfills, schema steps after the last. */
export interface StepParts {
  before: Step[];
  backfills: Backfill[];
  after: Step[];
}

/** The steps split around the backfills (the planner refuses a schema step between two backfills). */
export function partsOf(steps: Step[]): StepParts {
  const first = steps.findIndex((s) => s.operation.op === 'backfill');
  if (first < 0) return { before: steps, backfills: [], after: [] };
  const last = steps.findLastIndex((s) => s.operation.op === 'backfill');
  const backfills = steps.slice(first, last + 1).map((s) => s.operation as Backfill);
  return { before: steps.slice(0, first), backfills, after: steps.slice(last + 1) };
}

/** A backfill as a DataMigration step: the same table, expressions, condition and key. */
export function dataStepOf(backfill: Backfill): { table: string; set: Record<string, string>; where?: string; key?: string } {
  return { table: backfill.table, set: backfill.set, where: backfill.where, key: backfill.key };
}

const body = (steps: Step[], direction: 'up' | 'down', empty: string) => {
  const ordered = direction === 'up' ? steps : [...steps].reverse();
  const lines = ordered.flatMap((s) => s[direction].map((c) => callSource(c, '    ')));
  return (lines.length ? ['    const op = ops(this);', ...lines] : [`    // ${empty}`]).join('\n');
};

const method = (name: string, lines: string) => `  override async ${name}(): Promise<void> {\n${lines}\n  }\n`;

/**
 * The migration file of a spec: MikroORM's Migration with migrate-ui's operations, down() the exact inverse in
 * reverse order. A spec with backfills is a DataMigration: its backfills are steps, checkpointed batch by batch, and
 * its other operations run before the first (in a transaction of their own) or after the last.
 */
export function renderMigrationFile(input: { className: string; title: string; spec: Spec; steps: Step[] }): string {
  const { className, title, spec, steps } = input;
  const parts = partsOf(steps);
  const down = method('down', body(steps, 'down', 'Nothing to undo.'));
  // `*/` inside the spec (in SQL) would end the comment: JSON may write the slash escaped.
  const json = JSON.stringify(spec).replace(/\*\//g, '*\\/');
  const header = `/**
 * ${title}
 * Written by migrate-ui from the spec below (the form reopens it); down() undoes up() in reverse order.
 * ${SPEC_MARKER}${json}
 */`;
  if (parts.backfills.length === 0) {
    return `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

${header}
export class ${className} extends Migration {
${method('up', body(steps, 'up', 'Nothing to do.'))}
${down}}
`;
  }
  const members = [
    parts.before.length ? method('beforeSteps', body(parts.before, 'up', '')) : undefined,
    `  override steps(): DataStep[] {\n    return ${literal(parts.backfills.map(dataStepOf), '    ')};\n  }\n`,
    parts.after.length ? method('afterSteps', body(parts.after, 'up', '')) : undefined,
    down,
  ].filter((m) => m !== undefined);
  const needsOps = steps.some((s) => s.up.length > 0 && s.operation.op !== 'backfill') || steps.some((s) => s.down.length > 0);
  return `import { DataMigration, type DataStep${needsOps ? ', ops' : ''} } from 'migrate-ui';

${header}
export class ${className} extends DataMigration {
${members.join('\n')}}
`;
}

/**
 * The spec a generated file keeps (its comment's `@migrate-ui spec` marker, read through the file's one reading), or
 * undefined for a file migrate-ui did not write (or one edited past reading). The reader loads for a text that holds
 * the marker, not with the form: the terminal app's start loads no more than it draws.
 */
export async function specOfFile(source: string): Promise<Spec | undefined> {
  if (!source.includes(SPEC_MARKER)) return undefined;
  const line = (await import('../core/lint/revision-file.js')).readRevisionFile(source).markers.get('spec');
  if (line === undefined) return undefined;
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
