import type { Dialect } from '../core/url.js';
import type { MigrationClass } from '../core/loader.js';
import { mikroOrm } from '../core/modules.js';
import { DataMigration } from '../core/data/data-migration.js';
import type { DataStep } from '../core/data/steps.js';
import { dataStepOf, partsOf, renderMigrationFile, titleOf } from './file.js';
import { type Operations, ops } from './op/operations.js';
import { type IndexNamer, planSteps, type Step } from './plan.js';
import type { SchemaSnapshot } from './snapshot.js';
import type { Spec } from './spec.js';
import { type Problem, revisionNameProblem, validateSpec } from './validate.js';

/** What authoring needs to know: the revision's name, its spec, and the project as it is now. */
export interface AuthoringInput {
  name: string;
  spec: unknown;
  snapshot: SchemaSnapshot;
  names: IndexNamer;
  /** UTC yyyyMMddHHmmss, as MikroORM stamps migration files. */
  timestamp: string;
  /** The config's migrations.fileName, when it sets one. */
  fileName?: (timestamp: string, name?: string) => string;
  /** The spec is MikroORM's entity diff (--from-entities): its names are the entities'. */
  fromEntities?: boolean;
}

/** A revision authored from a spec, before anything is written: its file, its steps, or why it cannot be written. */
export interface AuthoredRevision {
  /** The file and class name, without extension. */
  revision: string;
  source: string;
  steps: Step[];
  problems: Problem[];
}

/** MikroORM's own file name: `Migration<timestamp>_<name>`, unless the config names files its way. */
export function revisionFileName(input: Pick<AuthoringInput, 'name' | 'timestamp' | 'fileName'>): string {
  return input.fileName ? input.fileName(input.timestamp, input.name) : `Migration${input.timestamp}_${input.name}`;
}

/** The timestamp MikroORM stamps a new migration with, in UTC. */
export function timestampOf(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Spec → file, checked against the live schema. Pure and quick: the form calls it on every keystroke. */
export function authorRevision(input: AuthoringInput): AuthoredRevision {
  const revision = revisionFileName(input);
  const nameProblem = revisionNameProblem(input.name);
  const problems: Problem[] = nameProblem ? [{ field: 'name', message: nameProblem }] : [];
  problems.push(...validateSpec(input.spec, input.snapshot, input.names, { fromEntities: input.fromEntities }));
  if (problems.length > 0) return { revision, source: '', steps: [], problems };
  const spec = input.spec as Spec;
  const steps = planSteps(spec.operations, input.snapshot, input.names);
  const source = renderMigrationFile({ className: classNameOf(revision), title: titleOf(input.name), spec, steps });
  return { revision, source, steps, problems };
}

/** A class name from a file name (MikroORM's: the file name, with what a class name cannot hold replaced). */
export function classNameOf(revision: string): string {
  const name = revision.replace(/[^\w$]/g, '_');
  return /^\d/.test(name) ? `Migration${name}` : name;
}

type Method = keyof Operations & string;

async function perform(op: Operations, steps: Step[], direction: 'up' | 'down'): Promise<void> {
  const ordered = direction === 'up' ? steps : [...steps].reverse();
  for (const step of ordered) {
    for (const call of step[direction]) {
      const method = op[call.method as Method] as (...args: unknown[]) => Promise<void>;
      await method.apply(op, call.args);
    }
  }
}

/**
 * The revision as a migration class that is not a file yet: it does exactly what the generated file does (the
 * same operations, a DataMigration where it backfills), so the preview engine shows the file's SQL on any database
 * without writing or importing it.
 */
export function migrationClassOf(revision: AuthoredRevision): MigrationClass {
  const { Migration } = mikroOrm<typeof import('@mikro-orm/migrations')>('@mikro-orm/migrations');
  const steps = revision.steps;
  const parts = partsOf(steps);
  class Authored extends Migration {
    override async up(): Promise<void> {
      await perform(ops(this as never), steps, 'up');
    }
    override async down(): Promise<void> {
      await perform(ops(this as never), steps, 'down');
    }
  }
  class AuthoredData extends DataMigration {
    override async beforeSteps(): Promise<void> {
      await perform(ops(this as never), parts.before, 'up');
    }
    override steps(): DataStep[] {
      return parts.backfills.map(dataStepOf);
    }
    override async afterSteps(): Promise<void> {
      await perform(ops(this as never), parts.after, 'up');
    }
    override async down(): Promise<void> {
      await perform(ops(this as never), steps, 'down');
    }
  }
  const made = parts.backfills.length > 0 ? AuthoredData : Authored;
  Object.defineProperty(made, 'name', { value: classNameOf(revision.revision) });
  return made as unknown as MigrationClass;
}

/** The dialects a revision's SQL is shown for: the connected one first. */
export function dialectsFor(connected: Dialect): Dialect[] {
  const all: Dialect[] = ['sqlite', 'postgresql', connected === 'mariadb' ? 'mariadb' : 'mysql'];
  return [connected, ...all.filter((d) => d !== connected)];
}
