import { afterAll, describe, expect, test } from 'vitest';
import { cliOn } from '../../helpers/expect-cli.js';
import { copyExample } from '../../helpers/project.js';
import { withSql } from '../../helpers/sql.js';
import { useTestDatabase } from '../../helpers/use-database.js';

const NAME = 'Migration20990101000000_bump_counters';

// op.backfill's `where` is SQL as written: `a or b` keeps to its own page (knex put it bare beside the page's key
// range, so every page bumped every row matching `b`).
const REVISION = `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

export class ${NAME} extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
    await op.sql('create table counters (id integer primary key, n integer not null, b integer not null)');
    await op.sql('insert into counters (id, n, b) values (1, 0, 1), (2, 0, 1), (3, 0, 0), (4, 0, 1), (5, 0, 1)');
    await op.backfill('counters', { n: 'n + 1' }, { where: 'n = 0 or b = 1', batchSize: 2 });
  }

  override async down(): Promise<void> {
    await ops(this).dropTable('counters');
  }
}
`;

describe('op.backfill with a where', () => {
  const database = useTestDatabase('sqlite');
  const project = copyExample();
  afterAll(() => project.remove());

  test("a backfill's where with `or` updates each row once, page by page", async (ctx) => {
    const db = database(ctx);
    project.write(`migrations/${NAME}.ts`, REVISION);
    expect((await cliOn(db, { cwd: project.dir }).json(['up'])).applied).toContain(NAME);
    const rows = await withSql(db, (sql) => sql.query<{ id: number; n: number }>('select id, n from counters order by id'));
    expect(rows).toEqual([1, 2, 3, 4, 5].map((id) => ({ id, n: 1 })));
  });
});
