import { describe, expect, it } from 'vitest';
import { revisionsInRange } from '../../../src/core/verify/range.js';
import { splitRange } from '../../../src/core/verify/verify.js';
import { isLeftover, scratchName } from '../../../src/core/verify/scratch.js';
import { compareSnapshots, describeChange, type SchemaSnapshot } from '../../../src/core/verify/snapshot.js';
import type { Revision, Timeline } from '../../../src/core/timeline.js';

const revision = (name: string, status: Revision['status']): Revision => ({
  name,
  status,
  appliedAt: null,
  kind: 'schema',
  path: `${name}.ts`,
  checksum: null,
});
const timeline = {
  revisions: [
    revision('Migration1_a', 'applied'),
    revision('Migration2_b', 'applied'),
    revision('Migration3_c', 'pending'),
    revision('Migration4_d', 'pending'),
  ],
  current: 'Migration2_b',
} as unknown as Timeline;
const names = (rs: Revision[]) => rs.map((r) => r.name.replace(/^Migration\d_/, ''));

describe('verify RANGE', () => {
  it('none: every pending revision; A..B, A.., ..B and base..head inclusive; one name: itself', () => {
    expect(names(revisionsInRange(timeline))).toEqual(['c', 'd']);
    expect(names(revisionsInRange(timeline, 'base..head'))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(revisionsInRange(timeline, 'b..c'))).toEqual(['b', 'c']);
    expect(names(revisionsInRange(timeline, 'c..'))).toEqual(['c', 'd']);
    expect(names(revisionsInRange(timeline, '..b'))).toEqual(['a', 'b']);
    expect(names(revisionsInRange(timeline, 'b'))).toEqual(['b']);
  });

  it('backwards, two .., or no such revision: a usage error naming it', () => {
    expect(() => revisionsInRange(timeline, 'd..a')).toThrow(/runs backwards/);
    expect(() => revisionsInRange(timeline, 'a..b..c')).toThrow(/more than one \.\./);
    expect(() => revisionsInRange(timeline, 'zzz')).toThrow(/no revision matches "zzz"/);
  });
});

describe('verify in parts', () => {
  const sizes = (n: number, count: number) => splitRange([...Array(n).keys()], count).map((part) => part.length);
  it('each later part proves fewer (it replays the ones before it first); every revision once, in order; 4 at least a part', () => {
    expect(sizes(44, 2)).toEqual([25, 19]);
    expect(sizes(12, 3)).toEqual([5, 4, 3]);
    expect(sizes(8, 2)).toEqual([5, 3]);
    expect(sizes(7, 2)).toEqual([7]);
    expect(sizes(6, 1)).toEqual([6]);
    expect(sizes(1, 4)).toEqual([1]);
    expect(splitRange([...Array(30).keys()], 3).flat()).toEqual([...Array(30).keys()]);
    // More parts than a short range gives each one: none is left empty.
    const many = sizes(80, 20);
    expect(many.every((size) => size > 0)).toBe(true);
    expect(many.reduce((sum, size) => sum + size, 0)).toBe(80);
  });
});

describe('scratch names', () => {
  it('say what they are, and which process made them when; an hour old or a dead process of this host makes a leftover', () => {
    const now = Date.now();
    const mine = scratchName(now);
    expect(mine).toMatch(/^migrate_ui_scratch_[0-9a-f]{6}_\d+_\d+$/);
    expect(mine.length).toBeLessThanOrEqual(63);
    expect(isLeftover(mine, now)).toBe(false);
    expect(isLeftover(mine, now + 61 * 60 * 1000)).toBe(true);
    // pid 2^22 + 1 is above Linux's pid_max default: no such process.
    expect(isLeftover(scratchName(now, 4_194_305), now)).toBe(true);
    expect(isLeftover('migrate_ui_scratch_zzz', now)).toBe(false);
    expect(isLeftover('app_production', now)).toBe(false);
  });
});

describe('schema snapshots', () => {
  const table = (columns: SchemaSnapshot[string]['columns'], indexes = {}) => ({ columns, indexes, foreignKeys: {}, checks: {} });
  const id = { type: 'varchar(255)', nullable: false, default: null, primary: true, autoincrement: false, unsigned: false };
  it('report tables, columns and indexes added, removed and changed, each property before and after', () => {
    const before: SchemaSnapshot = { users: table({ id, level: { ...id, primary: false, type: 'integer', default: '1' } }), gone: table({ id }) };
    const after: SchemaSnapshot = {
      users: table(
        { id, level: { ...id, primary: false, type: 'integer', default: null } },
        { ix_users_level: { columns: ['level'], unique: false, primary: false } },
      ),
      fresh: table({ id }),
    };
    const changes = compareSnapshots(before, after);
    expect(changes).toEqual([
      { change: 'added', kind: 'table', table: 'fresh' },
      { change: 'removed', kind: 'table', table: 'gone' },
      { change: 'changed', kind: 'column', table: 'users', name: 'level', properties: { default: { from: '1', to: null } } },
      { change: 'added', kind: 'index', table: 'users', name: 'ix_users_level' },
    ]);
    expect(changes.map((c) => describeChange(c))).toEqual([
      '+ table fresh',
      '- table gone',
      '~ column users.level (default: "1" → null)',
      '+ index users.ix_users_level',
    ]);
    expect(compareSnapshots(after, structuredClone(after))).toEqual([]);
  });
});
