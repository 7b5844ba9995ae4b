import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { installed, projectCopy, runV7 as run } from './v7-fixture.js';

// `status` from the config cache on MikroORM 7.2.1 and Node 22: its clients (better-sqlite3, pg, mysql2) read the
// database; the output is the full path's, byte for byte, and the config (which counts its loads) does not run.

const COUNT_LOADS = `import { appendFileSync } from 'node:fs';\nappendFileSync(new URL('./loads.txt', import.meta.url), 'loaded\\n');\n`;

describe.each(DIALECTS)('MikroORM 7.2.1 on Node 22: status from the config cache (%s)', (dialect) => {
  const database = useTestDatabase(dialect);
  let copy: ReturnType<typeof projectCopy>;
  const loads = () => {
    const file = join(copy.dir, 'loads.txt');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  };

  beforeAll(() => {
    if (!installed) throw new Error('compat/v7 is not installed: run compat/install.sh');
    copy = projectCopy('faststatus-');
    const config = join(copy.dir, 'mikro-orm.config.ts');
    writeFileSync(config, `${COUNT_LOADS}${readFileSync(config, 'utf8')}`);
  });
  afterAll(() => copy?.remove());

  test('text and JSON as the full path prints them, a data migration stopped half-way included; an edited config loads again', async (ctx) => {
    const db = database(ctx);
    expect((await run(['up', '--json'], copy.dir, db.url)).code).toBe(0);
    await withSql(db, (sql) => sql.query(`update migrate_ui_progress set status = 'paused', rows_done = 3, rows_total = 7`));
    for (const args of [['status'], ['status', '--json']]) {
      const full = await run([...args], copy.dir, db.url, { env: { MIGRATE_UI_NO_CONFIG_CACHE: '1' } });
      expect(full.code, full.stderr).toBe(0);
      await run(args, copy.dir, db.url);
      const before = loads();
      expect(await run(args, copy.dir, db.url)).toEqual(full);
      expect(loads(), 'the config did not run').toBe(before);
    }
    const config = join(copy.dir, 'mikro-orm.config.ts');
    writeFileSync(config, `${readFileSync(config, 'utf8')}// edited\n`);
    const before = loads();
    expect((await run(['status'], copy.dir, db.url)).code).toBe(0);
    expect(loads()).toBe(before + 1);
  });
});
