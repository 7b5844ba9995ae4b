import { afterAll, type TestContext } from 'vitest';
import type { CliResult } from './cli.js';
import type { TestDatabase, TestDialect } from './databases.js';
import { cliOn } from './expect-cli.js';
import { authoringProject } from './real-project.js';
import { connectSql, type SqlClient } from './sql.js';
import { useTestDatabase } from './use-database.js';

/** What a describe block that writes revisions from specs on one database works with. */
export interface AuthoringSuite {
  database: (ctx: TestContext) => TestDatabase;
  project: ReturnType<typeof authoringProject>;
  /** The binary in the project, on `db`. */
  cli(db: TestDatabase): ReturnType<typeof cliOn>;
  /** Writes `spec` to `<name>.json`, runs `new <name> --spec` and waits for the next second, so the next revision sorts after. */
  author(db: TestDatabase, name: string, spec: unknown): Promise<CliResult>;
  /** The same with --json: what `new` printed. */
  authorJson<T = any>(db: TestDatabase, name: string, spec: unknown): Promise<T>;
  /** A direct connection to `db`, closed with the block. */
  connect(db: TestDatabase): Promise<SqlClient>;
}

const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

/** Gives the enclosing describe block a database for `dialect` and a copy of the example to author revisions in (removed afterwards). */
export function useAuthoringProject(dialect: TestDialect): AuthoringSuite {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  const connections: SqlClient[] = [];
  afterAll(async () => {
    for (const sql of connections) await sql.close();
    project.remove();
  });
  const cli = (db: TestDatabase) => cliOn(db, { cwd: project.dir });
  const write = (name: string, spec: unknown) => {
    project.write(`${name}.json`, JSON.stringify(spec));
    return ['new', name, '--spec', `${name}.json`];
  };
  return {
    database,
    project,
    cli,
    async author(db, name, spec) {
      const result = await cli(db).run(write(name, spec));
      await nextSecond();
      return result;
    },
    async authorJson(db, name, spec) {
      const made = await cli(db).json(write(name, spec));
      await nextSecond();
      return made;
    },
    async connect(db) {
      const sql = await connectSql(db);
      connections.push(sql);
      return sql;
    },
  };
}
