import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWN_TABLES } from '../core/check.js';
import type { Database } from '../core/database.js';
import type { EntityProperty } from '@mikro-orm/core';
import { entityMetadata, openEntities, openWithoutEntities } from '../core/entities.js';
import { MigrateUiError, ExitCode, UsageError } from '../core/errors.js';
import { orm as ormPort } from '../core/orm/index.js';
import type { LiveSchema } from '../core/orm/port.js';
import { databaseOf, type Project } from '../core/project.js';
import { inPlay, replacesLine } from '../core/squash.js';
import { findRevision } from '../core/target.js';
import type { Revision } from '../core/timeline.js';
import { createScratch, type Scratch, type ScratchOptions } from '../core/verify/scratch.js';
import {
  compareSnapshots,
  describeChange,
  type SchemaChange,
  type SchemaSnapshot as ProofSnapshot,
  skipper,
  snapshotOf,
} from '../core/verify/snapshot.js';
import { authorRevision, timestampOf } from './engine.js';
import { operationsOfDifference } from './from-entities.js';
import type { IndexNamer } from './plan.js';
import { readSnapshot } from './snapshot.js';
import type { Operation } from './spec.js';

/** What `squash FROM TO` is asked. */
export interface SquashRequest {
  from: string;
  to: string;
  /** The part after TO's name: the file is `<TO>_<name>` (default `squashed`), so it sorts right after TO. */
  name?: string;
  /** Write nothing: the file is only shown (and not proven: the proof applies the written file). */
  dryRun?: boolean;
  scratch: ScratchOptions;
  /** Told each step as it starts (the TUI shows them): the drafting, the writing and the proof. */
  onStep?: (step: SquashStep) => void;
}

/** The steps of a squash, in order; a dry run stops after `draft`. */
export type SquashStep = 'draft' | 'write' | 'prove';

/** A squashed revision, written (and proven) or only drafted. */
export interface Squash {
  revision: string;
  /** Where it is (or would be) written. */
  path: string;
  source: string;
  /** The revisions it replaces, oldest first. */
  replaces: string[];
  /** The revision before the range (the squash starts from its schema), null where the range starts at the first. */
  base: string | null;
  operations: Operation[];
  /** The proof on a fresh scratch database: what differs after its up() from the originals' schema, and after its down(). */
  proof?: { up: SchemaChange[]; down: SchemaChange[] };
}

/** A squash whose proof found a difference: the file is not kept. */
export class SquashNotProvenError extends MigrateUiError {
  constructor(
    revision: string,
    readonly changes: string[],
  ) {
    super(
      `the squashed revision ${revision} does not rebuild the originals' schema: ${changes[0]}${changes.length > 1 ? ` (and ${changes.length - 1} more)` : ''}`,
      ExitCode.notProven,
      'Nothing was written; squash a shorter range, or write that part by hand.',
    );
  }
}

/**
 * Writes one revision that replaces FROM..TO: the schema as of FROM's predecessor (empty at the first) and as of TO are
 * built on a scratch database by the originals, compared by MikroORM's comparator, and the difference goes through the
 * authoring engine (portable `op` calls, a complete down()). The written file is then proven on a second scratch database:
 * its up() after the revisions before the range gives exactly TO's schema, and its down() gives back the predecessor's.
 */
export async function squashRevisions(project: Project, request: SquashRequest, planned?: SquashPlan): Promise<Squash> {
  const { revision, path, range, base } = planned ?? (await planSquash(project, request));
  request.onStep?.('draft');
  const scratch = await createScratch(project, request.scratch);
  let drafted: { source: string; operations: Operation[]; toSnapshot: ProofSnapshot; baseSnapshot: ProofSnapshot };
  try {
    drafted = await draft(scratch, base, range.at(-1)!.name, revision, range, request.name ?? 'squashed');
  } finally {
    await scratch.drop();
  }
  const squash: Squash = { revision, path, source: drafted.source, replaces: range.map((r) => r.name), base, operations: drafted.operations };
  if (request.dryRun) return squash;

  request.onStep?.('write');
  mkdirSync(project.config.migrationsDir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, drafted.source, { flag: 'wx' });
  renameSync(temp, path);
  try {
    request.onStep?.('prove');
    squash.proof = await prove(project, request.scratch, revision, base, drafted);
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
  const changes = [...squash.proof.up, ...squash.proof.down];
  if (changes.length > 0) {
    rmSync(path, { force: true });
    throw new SquashNotProvenError(
      revision,
      changes.map((c) => describeChange(c)),
    );
  }
  return squash;
}

/** What a squash will be, before anything is built: its name and file, the range it replaces, the revision before it. */
export interface SquashPlan {
  revision: string;
  path: string;
  range: Revision[];
  base: string | null;
}

/** The range FROM..TO resolved and checked (no squash in it, nothing broken) and the squash's name: quick, builds nothing. */
export async function planSquash(project: Project, request: Pick<SquashRequest, 'from' | 'to' | 'name'>): Promise<SquashPlan> {
  const timeline = await project.timeline();
  const files = timeline.revisions.filter((r) => r.status !== 'missing');
  const onDisk = { ...timeline, revisions: files };
  // `head` is the newest revision on disk, as for up; anything else names one revision as a TARGET does.
  const find = (query: string) => (query === 'head' && files.length > 0 ? files[files.length - 1] : findRevision(onDisk, query));
  const first = files.indexOf(find(request.from));
  const last = files.indexOf(find(request.to));
  if (first > last) throw new UsageError(`${files[first].name} comes after ${files[last].name}`, 'Give the older revision first: squash FROM TO.');
  const range = files.slice(first, last + 1);
  for (const r of range) {
    if (r.replaces) throw new UsageError(`${r.name} is a squash itself`, 'Squash a range without squashed revisions in it.');
    if (r.replacedBy) throw new UsageError(`${r.name} is replaced by ${r.replacedBy} already`, 'Squash a range after it.');
    if (r.status === 'broken') throw new UsageError(`${r.name} cannot load: ${r.error}`, 'Fix it first: the squash is built by running it.');
  }
  const suffix = request.name ?? 'squashed';
  if (!/^\w+$/.test(suffix)) throw new UsageError(`the name "${suffix}" may hold letters, digits and _ only`);
  const revision = `${range.at(-1)!.name}_${suffix}`;
  const next = files[last + 1];
  if (files.some((r) => r.name === revision)) throw new UsageError(`${revision} exists already`, 'Give another name.');
  if (next && next.name <= revision)
    throw new UsageError(`${revision} would not sort before ${next.name}`, 'Give a name that sorts before it, e.g. the default.');
  const base = files.slice(0, first).filter(inPlay).at(-1)?.name ?? null;
  const path = join(project.config.migrationsDir, `${revision}.ts`);
  return { revision, path, range, base };
}

async function upTo(scratch: Scratch, target: string): Promise<void> {
  const result = await scratch.project.runner().run({ direction: 'up', target });
  if (result.failed) throw result.failed;
}

/** The two schemas built by the originals on the scratch database, and the file of their difference. */
async function draft(scratch: Scratch, base: string | null, to: string, revision: string, range: Revision[], suffix: string) {
  const db = databaseOf(scratch.project);
  const skip = skipper(db);
  if (base) await upTo(scratch, base);
  const before = leaveOut(await ormPort.readSchema(db.driver, db.mikroConfig, db.schema), skip);
  const authoringSnapshot = await readSnapshot(db);
  await upTo(scratch, to);
  const after = leaveOut(await ormPort.readSchema(db.driver, db.mikroConfig, db.schema), skip);
  await adoptEntityTypes(db, [before, after]);
  const operations = await differenceOperations(db, before, after);
  const authored = authorRevision({
    name: suffix,
    spec: { operations },
    snapshot: authoringSnapshot,
    names: namerOf(db),
    timestamp: timestampOf(new Date()),
    fileName: () => revision,
  });
  const [problem] = authored.problems;
  if (problem) throw new UsageError(`the squash cannot be written: ${problem.field}: ${problem.message}`, 'Squash a shorter range.');
  const marker = ` * ${replacesLine(range.map((r) => r.name))}\n`;
  const end = authored.source.indexOf('\n */\n');
  const source = `${authored.source.slice(0, end + 1)}${marker}${authored.source.slice(end + 1)}`;
  return { source, operations, toSnapshot: snapshotOf(after, skip), baseSnapshot: snapshotOf(before, skip) };
}

/**
 * The entities' portable types over the types read back, where the entity's column is the one read (the same type on
 * this database): SQLite reads a string column as `text` and a boolean as `integer`, which the file would otherwise
 * say, and PostgreSQL would then make. A project whose entities do not load keeps the types read back.
 */
async function adoptEntityTypes(db: Database, schemas: LiveSchema[]): Promise<void> {
  const orm = await openEntities(db, { connect: false }).catch(() => undefined);
  if (!orm) return;
  try {
    const platform = orm.em.getPlatform();
    for (const meta of entityMetadata(orm)) {
      for (const prop of Object.values(meta.properties) as EntityProperty[]) {
        if (prop.kind !== 'scalar' || prop.fieldNames?.length !== 1 || !prop.columnTypes?.[0]) continue;
        const mapped = prop.customType ?? platform.getMappedType(prop.type);
        for (const schema of schemas) {
          const column = schema.getTable(meta.tableName)?.getColumn(prop.fieldNames[0]);
          if (column && column.type.toLowerCase() === prop.columnTypes[0].toLowerCase()) column.mappedType = mapped as never;
        }
      }
    }
  } finally {
    await orm.close(true);
  }
}

/** MikroORM's comparator's difference between two schemas read back, as spec operations. */
async function differenceOperations(db: Database, before: LiveSchema, after: LiveSchema): Promise<Operation[]> {
  const skipTables = [...(db.config.options.schemaGenerator?.skipTables ?? []), ...OWN_TABLES, db.config.migrationsTable];
  const orm = await openWithoutEntities(db, { schemaGenerator: { ...(db.config.options.schemaGenerator ?? {}), skipTables } });
  try {
    const comparison = await ormPort.compareEntities(orm, { wrap: false });
    const up = comparison.compare(before, after);
    const down = comparison.compare(after, before, up);
    const local = (name: string) => name.replace(new RegExp(`^${db.config.schema ?? 'public'}\\.`), '');
    return operationsOfDifference(comparison, up, down, { local, sqlite: db.dialect === 'sqlite' });
  } finally {
    await orm.close(true);
  }
}

/** On a fresh scratch database: the revisions before the range and the squash give TO's schema; its down() gives the base's. */
async function prove(
  project: Project,
  options: ScratchOptions,
  revision: string,
  base: string | null,
  drafted: { toSnapshot: ProofSnapshot; baseSnapshot: ProofSnapshot },
): Promise<{ up: SchemaChange[]; down: SchemaChange[] }> {
  const scratch = await createScratch(project, options);
  try {
    const db = databaseOf(scratch.project);
    const skip = skipper(db);
    const read = async () => snapshotOf(await ormPort.readSchema(db.driver, db.mikroConfig, db.schema), skip);
    await upTo(scratch, revision);
    const up = compareSnapshots(drafted.toSnapshot, await read());
    const result = await scratch.project.runner().run({ direction: 'down', target: base ?? 'base' });
    if (result.failed) throw result.failed;
    const down = compareSnapshots(drafted.baseSnapshot, await read());
    return { up, down };
  } finally {
    await scratch.drop();
  }
}

function leaveOut(schema: LiveSchema, skip: (table: string) => boolean): LiveSchema {
  const tables = schema.getTables();
  for (let i = tables.length - 1; i >= 0; i--) if (skip(tables[i].name)) tables.splice(i, 1);
  return schema;
}

/** MikroORM's naming of indexes and keys, as the project's config has it. */
function namerOf(db: Database): IndexNamer {
  const naming = db.mikroConfig.getNamingStrategy();
  return (table, columns, type) => naming.indexName(table, columns, type);
}
