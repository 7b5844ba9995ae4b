import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { findRevision, planFor } from '../../src/core/target.js';
import { buildTimeline, type Revision, type RevisionStatus, type Timeline } from '../../src/core/timeline.js';

const NAMES = [
  'Migration20260101_create_users',
  'Migration20260102_add_channel',
  'Migration20260103_add_features',
  'Migration20260104_add_feature_slug',
  'Migration20260105_backfill_feature_slug',
  'Migration20260106_add_feature_slug_index',
];

function timeline(statuses: RevisionStatus[]): Timeline {
  const revisions: Revision[] = statuses.map((status, i) => ({
    name: NAMES[i],
    status,
    appliedAt: status === 'pending' || status === 'broken' ? null : new Date(0),
    kind: 'schema',
    path: status === 'missing' ? null : `/m/${NAMES[i]}.ts`,
    checksum: null,
  }));
  const applied = revisions.filter((r) => ['applied', 'modified', 'missing'].includes(r.status));
  return { revisions, current: applied.at(-1)?.name ?? null, pending: revisions.length - applied.length };
}

/** Three applied, three pending: the middle of a project's life. */
const half = timeline(['applied', 'applied', 'applied', 'pending', 'pending', 'pending']);
const names = (direction: 'up' | 'down', target: string | undefined, t = half) => planFor(t, direction, target).revisions.map((r) => r.name);
const usageError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
};

describe('findRevision', () => {
  it('finds an exact name even when it is also the prefix of another revision', () => {
    expect(findRevision(half, 'Migration20260104_add_feature_slug').name).toBe(NAMES[3]);
  });

  it('finds a unique prefix and a unique substring', () => {
    expect(findRevision(half, 'Migration20260102').name).toBe(NAMES[1]);
    expect(findRevision(half, 'backfill').name).toBe(NAMES[4]);
    expect(findRevision(half, 'slug_index').name).toBe(NAMES[5]);
  });

  it('prefers a unique prefix over an ambiguous substring', () => {
    const t = timeline(['pending', 'pending']);
    t.revisions[1] = { ...t.revisions[1], name: 'users_rename_Migration1' };
    t.revisions[0] = { ...t.revisions[0], name: 'Migration1_users' };
    expect(findRevision(t, 'Migration1').name).toBe('Migration1_users');
  });

  it('rejects an ambiguous prefix or substring, naming the query and the candidates', () => {
    expect(usageError(() => findRevision(half, 'Migration2026010'))).toMatch(
      /"Migration2026010" is ambiguous: .*create_users.*add_channel.*add_features.*…/,
    );
    const message = usageError(() => findRevision(half, 'feature_slug'));
    expect(message).toContain('"feature_slug" is ambiguous');
    expect(message).toContain(NAMES[3]);
    expect(message).toContain(NAMES[5]);
  });

  it('rejects an unknown name', () => {
    expect(usageError(() => findRevision(half, 'nope'))).toBe('no revision matches "nope"');
  });
});

describe('planFor up', () => {
  it('applies every pending revision for head, base, 0 and no target', () => {
    for (const target of [undefined, 'head', 'base', '0']) expect(names('up', target)).toEqual(NAMES.slice(3));
  });

  it('applies the next N for +N, and no more than there are', () => {
    expect(names('up', '+1')).toEqual([NAMES[3]]);
    expect(names('up', '+2')).toEqual(NAMES.slice(3, 5));
    expect(names('up', '+10')).toEqual(NAMES.slice(3));
  });

  it('applies up to and including X by name, prefix or substring', () => {
    expect(names('up', NAMES[4])).toEqual(NAMES.slice(3, 5));
    expect(names('up', 'Migration20260104')).toEqual([NAMES[3]]);
    expect(names('up', 'slug_index')).toEqual(NAMES.slice(3));
  });

  it('has nothing to do when X is already applied', () => {
    expect(names('up', 'add_channel')).toEqual([]);
  });

  it('also applies a pending revision older than the current one (out of order)', () => {
    const gap = timeline(['applied', 'pending', 'applied', 'pending', 'pending', 'pending']);
    expect(names('up', 'Migration20260104', gap)).toEqual([NAMES[1], NAMES[3]]);
  });

  it('rejects -N and a missing X', () => {
    expect(usageError(() => planFor(half, 'up', '-1'))).toBe('up takes +N, not -1');
    const lost = timeline(['applied', 'missing', 'pending']);
    expect(usageError(() => planFor(lost, 'up', 'add_channel'))).toContain('its file is missing');
  });
});

describe('planFor down', () => {
  it('reverts the current revision by default (-1)', () => {
    expect(planFor(half, 'down').revisions.map((r) => r.name)).toEqual([NAMES[2]]);
  });

  it('reverts the last N for -N, newest first', () => {
    expect(names('down', '-2')).toEqual([NAMES[2], NAMES[1]]);
    expect(names('down', '-9')).toEqual([NAMES[2], NAMES[1], NAMES[0]]);
  });

  it('reverts everything for base and 0, and nothing for head', () => {
    expect(names('down', 'base')).toEqual([NAMES[2], NAMES[1], NAMES[0]]);
    expect(names('down', '0')).toEqual([NAMES[2], NAMES[1], NAMES[0]]);
    expect(names('down', 'head')).toEqual([]);
  });

  it('down X reverts what was applied after X, so X becomes current (Alembic)', () => {
    expect(names('down', NAMES[0])).toEqual([NAMES[2], NAMES[1]]);
    expect(names('down', 'add_channel')).toEqual([NAMES[2]]);
    expect(names('down', NAMES[2])).toEqual([]);
  });

  it('counts a modified revision as applied', () => {
    const edited = timeline(['applied', 'modified', 'pending']);
    expect(names('down', 'base', edited)).toEqual([NAMES[1], NAMES[0]]);
  });

  it('rejects +N, a pending X, and reverting a revision whose file is missing', () => {
    expect(usageError(() => planFor(half, 'down', '+1'))).toBe('down takes -N, not +1');
    expect(usageError(() => planFor(half, 'down', 'backfill'))).toBe(`${NAMES[4]} is not applied`);
    const lost = timeline(['applied', 'missing', 'applied']);
    expect(usageError(() => planFor(lost, 'down', '-2'))).toBe(`cannot revert ${NAMES[1]}: its file is missing`);
    expect(names('down', '-1', lost)).toEqual([NAMES[2]]);
  });
});

describe('revisions from a merged branch', () => {
  // The history applied 1, 3 and 5 (in that order); the files of 2 and 4 came with a merge after that.
  const files = NAMES.slice(0, 5).map((name) => ({ name, path: `/m/${name}.ts`, checksum: 'x', kind: 'schema' as const }));
  const record = (...indexes: number[]) => indexes.map((i) => ({ name: NAMES[i], appliedAt: new Date(0), checksum: null }));
  const merged = buildTimeline(files, record(0, 2, 4));

  it('marks the pending revisions below the newest applied one, and only them', () => {
    expect(merged.revisions.filter((r) => r.outOfOrder).map((r) => r.name)).toEqual([NAMES[1], NAMES[3]]);
    expect(buildTimeline(files, record(0, 1)).revisions.some((r) => r.outOfOrder)).toBe(false);
  });

  it('up refuses them in one line that says why and what to do, whatever the target reaches them', () => {
    for (const target of [undefined, '+1', NAMES[1], NAMES[3]]) {
      const message = usageError(() => planFor(merged, 'up', target));
      expect(message).toBe(`${NAMES[1]} (and 1 more) is pending below ${NAMES[4]}, the newest applied revision: it came from a merged branch`);
    }
  });

  it('up applies them in name order when asked to', () => {
    expect(planFor(merged, 'up', undefined, { allowOutOfOrder: true }).revisions.map((r) => r.name)).toEqual([NAMES[1], NAMES[3]]);
  });

  it('down reverts in the order the revisions were applied, the last applied first', () => {
    // Applied 1, 3, 5, then (out of order) 2: the history's order, not the names'.
    const after = buildTimeline(files, record(0, 2, 4, 1));
    expect(planFor(after, 'down').revisions.map((r) => r.name)).toEqual([NAMES[1]]);
    expect(planFor(after, 'down', 'base').revisions.map((r) => r.name)).toEqual([NAMES[1], NAMES[4], NAMES[2], NAMES[0]]);
    // down X: what was applied after X, so X becomes the last one applied.
    expect(planFor(after, 'down', NAMES[2]).revisions.map((r) => r.name)).toEqual([NAMES[1], NAMES[4]]);
    expect(planFor(after, 'down', '-2').revisions.map((r) => r.name)).toEqual([NAMES[1], NAMES[4]]);
  });
});
