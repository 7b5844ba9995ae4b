import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { withSql } from '../helpers/sql.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const FEATURES = 'Migration20260103090000_add_features_table';
const HOSTILE = 'Migration20260107090000_hostile';

// DESIGN §4: a preview never changes the database. Before the fix the details screen ran up() and down() with
// only `execute` patched: what they sent through the EntityManager or knex really ran.
const source = `import { Migration } from '@mikro-orm/migrations';

export class ${HOSTILE} extends Migration {
  override async up(): Promise<void> {
    await this.getKnex()('features').update({ name: 'CLOBBERED' });
    this.addSql('create table hostile_done (id integer primary key)');
  }

  override async down(): Promise<void> {
    await this.getEntityManager().getConnection().execute("update features set name = 'WIPED'");
    this.addSql('drop table hostile_done');
  }
}
`;

describe('the details screen of a revision with side effects (SQLite)', () => {
  let fixture: SqliteExample;

  beforeAll(async () => {
    fixture = await sqliteExample(FEATURES);
    fixture.example.addRevision(HOSTILE, source);
    await withSql(fixture.db, (sql) =>
      sql.query(`insert into features (id, user_id, name, is_active, created_at, updated_at) values ('f1', 'u1', 'Kept', 1, 0, 0)`),
    );
  });
  afterAll(() => fixture.close());

  it('shows what up() and down() send themselves, and the database keeps its rows', async () => {
    const app = await renderApp(fixture.project, { rows: 40 });
    await waitForFrame(app.lastFrame, (f) => rowOf(f, HOSTILE) !== '');
    await selectRow(app, HOSTILE);
    const frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'drop table hostile_done;');
    expect(frame).toContain("update `features` set `name` = 'CLOBBERED';");
    expect(frame).toContain("update features set name = 'WIPED';");
    expect(await withSql(fixture.db, (sql) => sql.query('select name from features'))).toEqual([{ name: 'Kept' }]);
    expect(await withSql(fixture.db, (sql) => sql.query("select name from sqlite_master where name = 'hostile_done'"))).toEqual([]);
    app.unmount();
  });
});
