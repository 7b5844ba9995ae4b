import { performance } from 'node:perf_hooks';
import { BrokenRevisionError, NoEntitiesError, RevisionFailedError } from '../errors.js';
import type { Direction } from '../events.js';
import { describeLoss } from '../preview/describe-loss.js';
import type { SchemaLookup } from '../sql/index.js';
import type { Database } from '../database.js';
import { databaseOf, type Project } from '../project.js';
import { parseDatabaseUrl } from '../url.js';
import type { HeldRuns, RunResult } from '../runner.js';
import { inPlay } from '../squash.js';
import type { Revision } from '../timeline.js';
import { revisionsInRange } from './range.js';
import { LoggedPrint, logDdl, removeDdlLog } from './catalog-log.js';
import { createScratch, type Scratch, type ScratchOptions } from './scratch.js';
import { compareSnapshots, type SchemaChange, type SchemaSnapshot, schemaPrint, takeSnapshot } from './snapshot.js';

/**
 * What verify proved of one revision: `reversible` (down() gives back the schema before up(), and up() again the
 * schema after it), `not-reversible` and `not-repeatable` (with the differences), `no-down`, or `failed` (a step's statement and message).
 */
export type ProofStatus = 'reversible' | 'not-reversible' | 'not-repeatable' | 'no-down' | 'failed';

/** A step of a proof that the database refused. */
export interface StepFailure {
  step: 'up' | 'down' | 'up again';
  statement?: string;
  message: string;
}

export interface RevisionProof {
  name: string;
  path: string | null;
  status: ProofStatus;
  /** not-reversible: before up() → after down(); not-repeatable: after the first up() → after the second. */
  differences: SchemaChange[];
  failure?: StepFailure;
  /** What down() destroys (the data-loss lint): reversible in structure, not in data. */
  dataLost: string[];
  durationMs: number;
}

export interface VerifyReport {
  dialect: string;
  /** The scratch database's name (dropped by now). */
  scratch: string;
  revisions: RevisionProof[];
  /** Revisions of the range not proven because an earlier one could not be applied. */
  notRun: string[];
  /** At head: the entities against the replayed schema (absent when the range stops before head). */
  entities?: { inSync: boolean; schemaDiff: string[] };
  /** Why the entities were not compared at head (the project has none). */
  entitiesSkipped?: string;
  proven: boolean;
  durationMs: number;
}

/** Plain data for whoever shows progress: the CLI's lines, the TUI's progress line. */
export type VerifyEvent =
  /** A scratch database made for part `part` of the range (0 the first; see `--concurrency`). */
  | { type: 'verify:scratch'; name: string; part: number }
  | { type: 'verify:replay'; revisions: number }
  | { type: 'verify:step'; revision: string; step: 'up' | 'down' | 'up again' | 'snapshot' }
  | { type: 'verify:revision'; proof: RevisionProof }
  | { type: 'verify:entities'; inSync: boolean };

export interface VerifyOptions extends ScratchOptions {
  range?: string;
  /** How many scratch databases prove parts of the range side by side (default: see concurrencyOf). */
  concurrency?: number;
  onEvent?: (event: VerifyEvent) => void;
}

/** A part proves at least this many revisions: a shorter one saves less than its scratch database and replay cost. */
const MIN_PART = 4;
/** About how many replays of a revision its proof costs (up, down, up again, the catalog reads): how parts are sized. */
const PROOF_COST = 4;

/**
 * Proves each revision of the range on a scratch database of the project's kind: replays what comes before it, then
 * up, snapshot, down, snapshot (equal to before up), up again (equal to the first up); at head, the entities.
 * On a server the range is cut into parts proven side by side, each on its own scratch database replayed to the
 * part's first revision, as `verify` of that part alone would; what they find is told in the range's order.
 * The project's own database is only read (its timeline).
 */
export async function verifyRevisions(project: Project, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const timeline = await project.timeline();
  const range = revisionsInRange(timeline, options.range);
  const report: VerifyReport = { dialect: project.dialect, scratch: '', revisions: [], notRun: [], proven: true, durationMs: 0 };
  if (range.length === 0) {
    report.durationMs = Math.round(performance.now() - started);
    return report;
  }
  const parts = splitRange(range, concurrencyOf(project, options));
  // The report names the first part's scratch database (the last one it made), as with one part.
  const told = inOrder((event) => {
    if (event.type === 'verify:scratch' && event.part === 0) report.scratch = event.name;
    emit(event);
  }, parts.length);
  const verifying: Verifying = {
    project,
    options,
    // Replayed as a run plans: what a squash replaces is never run.
    files: timeline.revisions.filter((r) => r.status !== 'missing' && inPlay(r)),
    replayed: replayedOn(project, options),
    stoppedAt: parts.length,
  };
  const results = await Promise.allSettled(
    parts.map(async (part, k) => {
      try {
        const result = await provePart(verifying, part, k, told.emitter(k));
        told.finish(k, result.stopped);
        return result;
      } catch (error) {
        // The others stop at their next revision: the error is what this verify ends with.
        verifying.stoppedAt = -1;
        throw error;
      }
    }),
  );
  report.durationMs = Math.round(performance.now() - started);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  for (const [k, settled] of results.entries()) {
    const result = (settled as PromiseFulfilledResult<PartResult>).value;
    report.revisions.push(...result.proofs);
    if (result.stopped) {
      report.notRun = [...result.notRun, ...parts.slice(k + 1).flatMap((part) => part.map((r) => r.name))];
      break;
    }
    // The part that ends at head compares the entities.
    report.entities ??= result.entities;
    report.entitiesSkipped ??= result.entitiesSkipped;
  }
  report.proven = report.revisions.every((r) => r.status === 'reversible') && report.entities?.inSync !== false;
  return report;
}

/** The range cut into at most `count` runs of revisions that take about as long: a later part replays more first, so it proves fewer. */
export function splitRange<T>(range: T[], count: number): T[][] {
  const n = Math.max(1, Math.min(count, Math.floor(range.length / MIN_PART)));
  // Part k+1 replays part k's revisions (one pass each) before it proves: it proves 1/PROOF_COST fewer to end with it.
  const weights = Array.from({ length: n }, (_, k) => (1 - 1 / PROOF_COST) ** k);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const parts: T[][] = [];
  let start = 0;
  for (const [k, weight] of weights.entries()) {
    const end = k === n - 1 ? range.length : start + Math.max(1, Math.round((range.length * weight) / total));
    parts.push(range.slice(start, end));
    start = end;
  }
  // Many parts of a short range: the first ones' one revision at least can leave nothing to the last.
  return parts.filter((part) => part.length > 0);
}

/**
 * How many parts side by side, unless told: two on MariaDB and MySQL, whose proofs wait on DDL that commits and syncs
 * statement by statement (a second scratch database keeps the server busy meanwhile); one on PostgreSQL, where each
 * scratch database costs a copy of the template and a checkpoint when dropped, more than a second part won back on
 * two cores; one on SQLite, whose file this process writes itself, one statement at a time.
 */
function concurrencyOf(project: Project, options: VerifyOptions): number {
  if (options.concurrency !== undefined) return options.concurrency;
  const dialect = options.scratchUrl ? parseDatabaseUrl(options.scratchUrl).dialect : project.dialect;
  return dialect === 'mariadb' || dialect === 'mysql' ? 2 : 1;
}

/**
 * Passes each part's events on in the range's order: a part's once every part before it is done (the first part's as
 * they come); nothing of the parts after one that stopped. Scratch names go out at once.
 */
function inOrder(emit: (event: VerifyEvent) => void, count: number) {
  const held: VerifyEvent[][] = Array.from({ length: count }, () => []);
  const done: boolean[] = [];
  let front = 0;
  let end = count;
  const flush = () => {
    while (front < end) {
      for (const event of held[front].splice(0)) emit(event);
      if (!done[front]) return;
      front++;
    }
  };
  return {
    emitter:
      (k: number) =>
      (event: VerifyEvent): void => {
        if (event.type === 'verify:scratch') emit(event);
        else held[k].push(event);
        if (k === front) flush();
      },
    finish: (k: number, stopped: boolean): void => {
      done[k] = true;
      if (stopped) end = Math.min(end, k + 1);
      flush();
    },
  };
}

/** What every part of one verify shares. */
interface Verifying {
  project: Project;
  options: VerifyOptions;
  /** The revisions a run would apply, oldest first. */
  files: Revision[];
  replayed: Replayed;
  /** The first part that stopped (an up() failed): the parts after it stop at their next revision, their results unused. */
  stoppedAt: number;
}

/** What one part proved; `notRun`: its revisions after an up() that failed (the parts after it are the caller's). */
interface PartResult {
  proofs: RevisionProof[];
  notRun: string[];
  stopped: boolean;
  entities?: VerifyReport['entities'];
  entitiesSkipped?: string;
}

/** Proves the revisions of one part on a scratch database of its own; the last part, at head, compares the entities. */
async function provePart(verifying: Verifying, part: Revision[], k: number, emit: (event: VerifyEvent) => void): Promise<PartResult> {
  const { files, replayed } = verifying;
  const result: PartResult = { proofs: [], notRun: [], stopped: false };
  const stop = (from: number) => {
    result.notRun = part.slice(from).map((r) => r.name);
    result.stopped = true;
    verifying.stoppedAt = Math.min(verifying.stoppedAt, k);
  };
  const open = async () => {
    const proving = await openProving(verifying.project, verifying.options);
    emit({ type: 'verify:scratch', name: proving.scratch.name, part: k });
    return proving;
  };
  let proving = await open();
  /** The snapshot of the scratch as the last proof left it, when it took one there: the next proof's "before". */
  let last: Seen | undefined;
  try {
    const replayTo = async (index: number) => {
      if (index < 0) return undefined;
      // The first part's replay is the one before the range; a later part's, of revisions an earlier part proves.
      if (k === 0) emit({ type: 'verify:replay', revisions: index + 1 });
      return run(proving, 'up', files[index].name);
    };
    const firstIndex = files.indexOf(part[0]);
    const replay = await replayTo(firstIndex - 1);
    if (replay?.failed) {
      stop(0);
      result.proofs.push(failedProof(files[firstIndex - 1], 'up', replay, 0));
      return result;
    }
    for (const [i, revision] of part.entries()) {
      if (verifying.stoppedAt < k) return result;
      const index = files.indexOf(revision);
      const previous = index > 0 ? files[index - 1].name : 'base';
      const { proof, clean, after } = await prove(proving, revision, previous, emit, replayed, last);
      last = clean ? after : undefined;
      result.proofs.push(proof);
      emit({ type: 'verify:revision', proof });
      if (proof.status === 'failed' && proof.failure?.step === 'up') {
        stop(i + 1);
        return result;
      }
      if (!clean && i < part.length - 1) {
        // The scratch is not where the next proof starts (a down() that left things behind): a fresh one, replayed.
        await close(proving);
        proving = await open();
        const again = await replayTo(index);
        if (again?.failed) {
          stop(i + 1);
          return result;
        }
      }
    }
    if (part[part.length - 1] === files[files.length - 1]) {
      if (!(await isAtHead(proving, files.length))) {
        await close(proving);
        proving = await open();
        await replayTo(files.length - 1);
      }
      try {
        // MikroORM 7 compares functions too: the log's would be a difference the entities cannot explain.
        if (proving.logged) await removeDdlLog(databaseOf(proving.scratch.project));
        const check = await proving.scratch.project.check();
        result.entities = { inSync: check.schemaDiff.length === 0, schemaDiff: check.schemaDiff };
        emit({ type: 'verify:entities', inSync: result.entities.inSync });
      } catch (error) {
        // A project without entities (raw SQL revisions only) has nothing to compare at head; the proofs stand.
        if (!(error instanceof NoEntitiesError)) throw error;
        result.entitiesSkipped = error.message;
      }
    }
    return result;
  } finally {
    await close(proving);
  }
}

/** A scratch database, its DDL log where the server keeps one, and the lock held on it for the proofs' moves. */
async function openProving(project: Project, options: ScratchOptions): Promise<Proving> {
  const scratch = await createScratch(project, options);
  try {
    // One lock and one connection for every move of the proofs on this scratch database.
    const db = databaseOf(scratch.project);
    // PostgreSQL, as a superuser: the server logs which tables each DDL statement touched, and a proof reads those.
    const logged = (await logDdl(db)) ? new LoggedPrint(db) : undefined;
    const print = logged ? () => logged.read() : () => schemaPrint(db);
    const runs = await scratch.project.runner().hold(undefined, { scratch: true });
    scratch.adopt(() => runs.release());
    return { scratch, runs, print, logged: logged !== undefined };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/** A scratch database and the lock held on it for the proofs' moves. */
interface Proving {
  scratch: Scratch;
  runs: HeldRuns;
  /** The catalog text of the scratch now (schemaPrint, or what the DDL log tells changed since the last read). */
  print: Print;
  /** Whether the scratch has the DDL log (its triggers and functions are taken away before the entities are compared). */
  logged: boolean;
}

type Print = () => Promise<Map<string, string> | undefined>;

async function close({ scratch, runs }: Proving): Promise<void> {
  await runs.release().catch(() => undefined);
  await scratch.drop();
}

async function isAtHead({ scratch }: Proving, count: number): Promise<boolean> {
  const timeline = await scratch.project.timeline();
  return timeline.revisions.filter((r) => r.status === 'applied').length === count;
}

/**
 * The schema as a proof saw it: its catalog text per table where the dialect has one (schemaPrint), and its snapshot
 * where one was taken. With a catalog text, a proof takes no snapshot while the texts agree: shapes are only read to
 * name a difference, the ones before it from a scratch replayed to that point (see `Replayed`). Without one, or once
 * the scratch holds a schema no replay gives (a revision whose second up() differs from its first), snapshots go along.
 */
interface Seen {
  print?: Map<string, string>;
  snapshot?: SchemaSnapshot;
}

/** The snapshot of the tables named (all: undefined) at revision `target` ('base': none applied), read on a fresh scratch replayed to it; undefined where its catalog text is not `expected`'s. */
type Replayed = (target: string, expected: Map<string, string>, tables?: string[]) => Promise<SchemaSnapshot | undefined>;

/** Replays on a scratch database of its own, made and dropped for each read (only where a proof found a difference). */
function replayedOn(project: Project, options: ScratchOptions): Replayed {
  return async (target, expected, tables) => {
    const scratch = await createScratch(project, options);
    try {
      if (target !== 'base' && (await scratch.project.runner().run({ direction: 'up', target })).failed) return undefined;
      const db = databaseOf(scratch.project);
      const print = await schemaPrint(db);
      const keys = tables ?? [...new Set([...expected.keys(), ...(print?.keys() ?? [])])];
      if (!print || keys.some((t) => print.get(t) !== expected.get(t))) return undefined;
      return await takeSnapshot(
        db,
        tables?.filter((t) => print.has(t)),
      );
    } finally {
      await scratch.drop();
    }
  };
}

/**
 * The tables whose catalog text differs from `a` to `b`, added and dropped ones included; undefined when what belongs
 * to no table (PostgreSQL's enum types) differs, which any table's shape may reflect.
 */
function touchedTables(a: Map<string, string>, b: Map<string, string>): string[] | undefined {
  if (a.get('') !== b.get('')) return undefined;
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => t && a.get(t) !== b.get(t)).sort();
}

/** Snapshot keys are `schema.table` outside PostgreSQL's public schema; the catalog text is by table name. */
const bareName = (key: string) => key.slice(key.lastIndexOf('.') + 1);

function onlyTables(snapshot: SchemaSnapshot, tables?: string[]): SchemaSnapshot {
  if (!tables) return snapshot;
  const wanted = new Set(tables);
  return Object.fromEntries(Object.entries(snapshot).filter(([key]) => wanted.has(bareName(key))));
}

/**
 * The schema now. Given what was `seen` before: with snapshots going along, only the tables whose catalog text
 * changed are introspected again (the others keep their shapes); with catalog texts alone, nothing is introspected.
 * `same`: nothing changed since `seen`.
 */
async function see(db: Database, read: Print, seen?: Seen): Promise<Seen & { same: boolean }> {
  const print = await read();
  if (!print || !seen?.print) return { print, snapshot: !print || seen?.snapshot ? await takeSnapshot(db) : undefined, same: false };
  const touched = touchedTables(seen.print, print);
  if (touched?.length === 0) return { ...seen, print, same: true };
  if (!seen.snapshot) return { print, same: false };
  if (!touched) return { print, snapshot: await takeSnapshot(db), same: false };
  const kept = Object.entries(seen.snapshot).filter(([key]) => !touched.includes(bareName(key)));
  const fresh = await takeSnapshot(
    db,
    touched.filter((t) => print.has(t)),
  );
  return { snapshot: { ...Object.fromEntries(kept), ...fresh }, print, same: false };
}

/**
 * The differences from `seen` to the schema now, and the schema now. Where `seen` has no snapshot, the tables whose
 * text changed are introspected now and, as they were, on a scratch `replayed` to `at` (where `seen` was taken).
 */
async function changesSince(
  db: Database,
  read: Print,
  seen: Seen,
  replayed: Replayed,
  at: string,
): Promise<{ changes: SchemaChange[]; now: Seen & { same: boolean } }> {
  const now = await see(db, read, seen);
  if (now.same) return { changes: [], now };
  if (seen.snapshot && now.snapshot) return { changes: compareSnapshots(seen.snapshot, now.snapshot), now };
  const tables = seen.print && now.print ? touchedTables(seen.print, now.print) : undefined;
  const after =
    now.snapshot ??
    (await takeSnapshot(
      db,
      tables?.filter((t) => now.print?.has(t)),
    ));
  const before = seen.snapshot ?? (seen.print ? await replayed(at, seen.print, tables) : undefined);
  if (!before) return { changes: catalogChanges(seen.print ?? new Map(), now.print ?? new Map(), tables), now };
  return { changes: compareSnapshots(onlyTables(before, tables), onlyTables(after, tables)), now };
}

/**
 * The differences as the catalog texts tell them, for when no replay gives the schema they were read from: each
 * table added, dropped, or changed with the lines of its text only one side has.
 */
function catalogChanges(from: Map<string, string>, to: Map<string, string>, tables?: string[]): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const key of tables ?? [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const table = key || '(types)';
    const a = from.get(key);
    const b = to.get(key);
    if (a === b) continue;
    if (a === undefined) changes.push({ change: 'added', kind: 'table', table });
    else if (b === undefined) changes.push({ change: 'removed', kind: 'table', table });
    else {
      const left = a.split('\n');
      const right = b.split('\n');
      const catalog = { from: left.filter((l) => !right.includes(l)), to: right.filter((l) => !left.includes(l)) };
      changes.push({ change: 'changed', kind: 'table', table, properties: { catalog } });
    }
  }
  return changes;
}

/**
 * One revision's proof; `clean` is false when the scratch is not left with exactly the revisions up to it applied;
 * `after` is the schema it leaves, where it saw it. `known`: the schema now, when the last proof saw it.
 */
async function prove(
  proving: Proving,
  revision: Revision,
  previous: string,
  emit: (event: VerifyEvent) => void,
  replayed: Replayed,
  known?: Seen,
): Promise<{ proof: RevisionProof; clean: boolean; after?: Seen }> {
  const started = performance.now();
  const { scratch } = proving;
  const db = databaseOf(scratch.project);
  const step = (s: 'up' | 'down' | 'up again' | 'snapshot') => emit({ type: 'verify:step', revision: revision.name, step: s });
  const ms = () => Math.round(performance.now() - started);
  const before = known ?? (await see(db, proving.print));
  step('up');
  const up = await run(proving, 'up', revision.name);
  if (up.failed) return { proof: failedProof(revision, 'up', up, ms()), clean: false };
  step('snapshot');
  // The lint's preview is work of this process: done while the server reads the catalog text.
  const [after, dataLost] = await Promise.all([see(db, proving.print, before), lossesOfDown(scratch, revision)]);
  step('down');
  const down = await run(proving, 'down', previous);
  if (down.failed) {
    const noDown = down.failed instanceof BrokenRevisionError && /no down\(\)/.test(down.failed.message);
    const proof = noDown
      ? { ...base(revision, ms()), status: 'no-down' as const, dataLost }
      : { ...failedProof(revision, 'down', down, ms()), dataLost };
    // Where the database rolled the failed down() back, the revision is still applied: the next proof can start.
    return { proof, clean: noDown || db.dialect === 'postgresql' || db.dialect === 'sqlite', after: noDown ? after : undefined };
  }
  step('snapshot');
  const restored = await changesSince(db, proving.print, before, replayed, previous);
  if (restored.changes.length > 0)
    return { proof: { ...base(revision, ms()), status: 'not-reversible', differences: restored.changes, dataLost }, clean: false };
  step('up again');
  const again = await run(proving, 'up', revision.name);
  if (again.failed) {
    const proof = failedProof(revision, 'up again', again, ms());
    return { proof: { ...proof, status: 'not-repeatable', dataLost }, clean: false };
  }
  const { changes: repeated, now } = await changesSince(db, proving.print, after, replayed, revision.name);
  // A second up() whose schema's text is not the first's leaves one no replay gives: the later proofs cannot read
  // their "before" from a replay, so snapshots go along from here.
  const left = now.snapshot || now.same ? now : { print: now.print, snapshot: await takeSnapshot(db) };
  if (repeated.length > 0)
    return { proof: { ...base(revision, ms()), status: 'not-repeatable', differences: repeated, dataLost }, clean: true, after: left };
  return { proof: { ...base(revision, ms()), dataLost }, clean: true, after: left };
}

function base(revision: Revision, durationMs: number): RevisionProof {
  return { name: revision.name, path: revision.path, status: 'reversible', differences: [], dataLost: [], durationMs };
}

function failedProof(revision: Revision, step: StepFailure['step'], result: RunResult, durationMs: number): RevisionProof {
  const f = result.failed!;
  const failure: StepFailure =
    f instanceof RevisionFailedError ? { step, statement: f.statement, message: f.databaseMessage } : { step, message: f.message };
  return { ...base(revision, durationMs), status: 'failed', failure };
}

async function run({ runs }: Proving, direction: Direction, target: string): Promise<RunResult> {
  return runs.run({ direction, target });
}

/**
 * What the revision's down() would destroy, by the data-loss lint on the statements it would run. The lint reads the
 * live columns only to tell what a table rebuild leaves behind: asked first without them, it reads them only if it asks.
 */
async function lossesOfDown(scratch: Scratch, revision: Revision): Promise<string[]> {
  let asked = false;
  const unread: SchemaLookup = {
    columns: () => {
      asked = true;
      return undefined;
    },
  };
  const preview = await scratch.project.preview({ revision }, 'down', { live: unread });
  const read = asked ? await scratch.project.preview({ revision }, 'down') : preview;
  return read.losses.map(describeLoss);
}

/** The snapshot type, for callers that show differences. */
export type { SchemaSnapshot };
