import { UsageError } from './errors.js';
import { databaseOf, type Project } from './project.js';

const CHUNK = 500;

/** `migrate-ui seed`: fills the example's `features` table with `rows` rows (slug left null) so the backfill has work to show. */
export async function seedFeatures(project: Project, rows: number, write: (line: string) => void): Promise<void> {
  const db = databaseOf(project);
  if (!(await db.tableExists('features'))) {
    throw new UsageError('the features table does not exist yet', 'Run `npx migrate-ui up` (or up to add_features_table) first.');
  }
  const hasSlug =
    (
      await db.query(
        db.dialect === 'sqlite'
          ? `select name from pragma_table_info('features') where name = 'slug'`
          : `select column_name from information_schema.columns where table_name = 'features' and column_name = 'slug'${db.dialect === 'postgresql' ? ' and table_schema = current_schema()' : ' and table_schema = database()'}`,
      )
    ).length > 0;
  const [{ n }] = await db.query<{ n: number | string }>('select count(*) as n from features');
  const start = Number(n);
  const now = Date.now();
  for (let offset = 0; offset < rows; offset += CHUNK * 20) {
    await db.transaction(async (trx) => {
      for (let chunk = offset; chunk < Math.min(rows, offset + CHUNK * 20); chunk += CHUNK) {
        const values = [];
        for (let i = chunk; i < Math.min(rows, chunk + CHUNK); i++) {
          const id = start + i;
          values.push({
            id: `f${String(id).padStart(9, '0')}`,
            user_id: `u${id % 1000}`,
            name: `Feature ${id} Of Chat`,
            description: null,
            data: null,
            is_active: true,
            created_at: now,
            updated_at: now,
            ...(hasSlug ? { slug: null } : {}),
          });
        }
        const columns = Object.keys(values[0]);
        const row = `(${columns.map(() => '?').join(', ')})`;
        await db.run(
          `insert into ${db.quote('features')} (${columns.map((c) => db.quote(c)).join(', ')}) values ${values.map(() => row).join(', ')}`,
          values.flatMap((v) => Object.values(v)),
          trx,
        );
      }
    });
  }
  write(`inserted ${rows} rows into features (now ${start + rows})`);
}
