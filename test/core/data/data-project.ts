import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../../../src/core/project.js';
import type { RunEvent } from '../../../src/core/events.js';
import type { RunResult } from '../../../src/core/runner.js';
import { ROOT } from '../../helpers/cli.js';
import type { TestDatabase } from '../../helpers/databases.js';

/** A project of its own (inside the repository, so `migrate-ui` and @mikro-orm/* resolve) for data-migration tests. */
export interface DataProject {
  dir: string;
  configPath: string;
  /** Writes a data migration named `Migration<stamp>_<name>` whose steps() returns `steps` (TypeScript source). */
  addDataRevision(name: string, steps: string, batching?: string): string;
  remove(): void;
}

let stamp = 20260301000000;

export function dataProject(): DataProject {
  mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.test-tmp', 'data-'));
  mkdirSync(join(dir, 'migrations'));
  const configPath = join(dir, 'mikro-orm.config.ts');
  writeFileSync(
    configPath,
    `import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';

export default defineConfig({
  dbName: fileURLToPath(new URL('./data.sqlite', import.meta.url)),
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)) },
});
`,
  );
  return {
    dir,
    configPath,
    addDataRevision(name, steps, batching = '{}') {
      const full = `Migration${stamp++}_${name}`;
      writeFileSync(
        join(dir, 'migrations', `${full}.ts`),
        `import { DataMigration, type DataStep } from 'migrate-ui';

export class ${full} extends DataMigration {
  override steps(): DataStep[] {
    return ${steps};
  }

  override batching() {
    return ${batching};
  }

  override async down(): Promise<void> {}
}
`,
      );
      return full;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function openOn(project: DataProject, db: TestDatabase): Promise<Project> {
  return Project.open({ cwd: project.dir, configPath: project.configPath, dbUrl: db.url, env: {} });
}

/** Runs `up` to head in-process, collecting its events; `during` sees each event as it comes. */
export async function up(
  project: Project,
  options: { during?: (event: RunEvent, stop: () => void) => unknown; allOrNothing?: boolean } = {},
): Promise<{ result: RunResult; events: RunEvent[] }> {
  const runner = project.runner();
  const events: RunEvent[] = [];
  runner.events.on('event', (event) => {
    events.push(event);
    void options.during?.(event, () => runner.stop());
  });
  const result = await runner.run({ direction: 'up', allOrNothing: options.allOrNothing });
  return { result, events };
}

/** The events of one type, in order. */
export function ofType<T extends RunEvent['type']>(events: RunEvent[], type: T): Array<Extract<RunEvent, { type: T }>> {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

/** Inserts rows in chunks (multi-row insert), through a plain driver connection. */
export async function insertRows(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await query(`insert into ${table} (${columns.join(', ')}) values ${values}`, chunk.flat());
  }
}

/** A fresh `counters` table (id, counter) of `rows` rows at 0: what the counting callbacks of the tests walk. */
export async function freshCounters(query: (sql: string, params?: unknown[]) => Promise<unknown>, rows: number): Promise<void> {
  await query('drop table if exists counters');
  await query('create table counters (id integer not null primary key, counter integer not null)');
  await insertRows(
    query,
    'counters',
    ['id', 'counter'],
    Array.from({ length: rows }, (_, i) => [i + 1, 0]),
  );
}

/** A data migration's row of `migrate_ui_progress` (its first step), read directly; undefined before it has one. */
export async function progressRow(
  query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>,
  revision: string,
): Promise<{ status: string; rowsDone: number } | undefined> {
  // Before the first run the table does not exist yet.
  const [row] = await query('select status, rows_done from migrate_ui_progress where revision = ?', [revision]).catch(() => []);
  return row ? { status: String(row.status), rowsDone: Number(row.rows_done) } : undefined;
}
