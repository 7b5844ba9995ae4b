import { afterAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../../../src/core/project.js';
import { schemaPrint, takeSnapshot } from '../../../src/core/verify/snapshot.js';
import { DIALECTS } from '../../helpers/databases.js';
import { useTestDatabase } from '../../helpers/use-database.js';
import { openProject, uiExample } from '../../helpers/ui-project.js';

// The catalog's text per table is what lets a proof skip introspecting unchanged tables: it must exist on each
// database (a query the catalog refuses falls back to whole snapshots, silently), and change with the table it describes.
describe.each(DIALECTS)('schemaPrint on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const example = uiExample();
  afterAll(() => example.remove());

  it('is a text per table; a change to one table changes its text only, and a snapshot of that table alone agrees', async (ctx) => {
    const project = await openProject(example.configPath, database(ctx).url);
    try {
      const db = databaseOf(project);
      const q = (id: string) => db.quote(id);
      await db.run(`create table ${q('parent')} (${q('id')} integer not null primary key)`);
      await db.run(
        `create table ${q('child')} (${q('id')} integer not null primary key, ${q('parent_id')} integer null, ${q('n')} varchar(20) default 'x', ` +
          `constraint ${q('child_parent_fk')} foreign key (${q('parent_id')}) references ${q('parent')} (${q('id')}), check (${q('n')} <> ''))`,
      );
      const before = await schemaPrint(db);
      expect(before, 'the catalog query failed').toBeInstanceOf(Map);
      expect([...before!.keys()].filter(Boolean).sort()).toEqual(['child', 'parent']);
      expect(before!.get('child')).toMatch(/child_parent_fk/);

      await db.run(`create index ${q('child_n_index')} on ${q('child')} (${q('n')})`);
      const after = await schemaPrint(db);
      expect(after!.get('child')).not.toBe(before!.get('child'));
      // Each part of the catalog query answers: the index's own line, and (servers) the constraint's by its kind.
      expect(after!.get('child')).toMatch(/index .*child_n_index/);
      if (dialect !== 'sqlite') expect(before!.get('child')).toMatch(/constraint (public )?child_parent_fk FOREIGN KEY/i);
      expect(after!.get('parent')).toBe(before!.get('parent'));
      // Only `child` introspected again: the same shape as in a whole snapshot.
      const whole = await takeSnapshot(db);
      expect(await takeSnapshot(db, ['child'])).toEqual({ child: whole.child });
      expect(whole.child.indexes.child_n_index).toMatchObject({ columns: ['n'], unique: false });
      expect(await schemaPrint(db)).toEqual(after);
    } finally {
      await project.close();
    }
  });
});
