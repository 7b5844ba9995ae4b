import { describe, expect, it } from 'vitest';
import type { AppliedRevision } from '../../src/core/history.js';
import type { RevisionFile } from '../../src/core/revisions.js';
import { buildTimeline, isApplied } from '../../src/core/timeline.js';

const file = (name: string, extra: Partial<RevisionFile> = {}): RevisionFile => ({
  name,
  path: `/m/${name}.ts`,
  checksum: `sum-${name}`,
  kind: 'schema',
  ...extra,
});
const record = (name: string, checksum: string | null = `sum-${name}`): AppliedRevision => ({ name, appliedAt: new Date(1_000), checksum });

describe('buildTimeline', () => {
  it('is empty at base with no files', () => {
    expect(buildTimeline([], [])).toEqual({ revisions: [], current: null, pending: 0 });
  });

  it('marks files on disk only as pending, and those that cannot load as broken', () => {
    const t = buildTimeline([file('M1'), file('M2', { error: 'syntax error at line 3: Expected ";"' })], []);
    expect(t.revisions.map((r) => [r.status, r.checksum, r.appliedAt])).toEqual([
      ['pending', null, null],
      ['broken', null, null],
    ]);
    expect(t.revisions[1].error).toContain('syntax error');
    expect(t).toMatchObject({ current: null, pending: 2 });
  });

  it('marks a recorded file with the same checksum applied, a changed one modified, and one from another tool applied with checksum unknown', () => {
    const t = buildTimeline(
      [file('M1'), file('M2', { checksum: 'edited' }), file('M3', { kind: 'data' })],
      [record('M1'), record('M2'), record('M3', null)],
    );
    expect(t.revisions.map((r) => [r.name, r.status, r.checksum, r.kind])).toEqual([
      ['M1', 'applied', 'match', 'schema'],
      ['M2', 'modified', 'differs', 'schema'],
      ['M3', 'applied', 'unknown', 'data'],
    ]);
    expect(t.revisions[0].appliedAt).toEqual(new Date(1_000));
    expect(t).toMatchObject({ current: 'M3', pending: 0 });
  });

  it('lists a recorded revision whose file is gone as missing, in name order', () => {
    const t = buildTimeline([file('M1'), file('M3')], [record('M1'), record('M2')]);
    expect(t.revisions.map((r) => [r.name, r.status, r.path])).toEqual([
      ['M1', 'applied', '/m/M1.ts'],
      ['M2', 'missing', null],
      ['M3', 'pending', '/m/M3.ts'],
    ]);
    expect(t).toMatchObject({ current: 'M2', pending: 1 });
  });

  it('sorts by name, whatever order the database applied them in', () => {
    const t = buildTimeline([file('M2'), file('M1'), file('M3')], [record('M3'), record('M1')]);
    expect(t.revisions.map((r) => `${r.name}:${r.status}`)).toEqual(['M1:applied', 'M2:pending', 'M3:applied']);
    expect(t.current).toBe('M3');
  });

  it('keeps an applied revision applied when its file no longer loads, with the error', () => {
    const t = buildTimeline([file('M1', { error: 'syntax error at line 1: x' })], [record('M1')]);
    expect(t.revisions[0]).toMatchObject({ status: 'applied', error: 'syntax error at line 1: x' });
  });
});

describe('isApplied', () => {
  it('is true for applied, modified and missing', () => {
    const states = ['applied', 'modified', 'missing', 'pending', 'broken'] as const;
    expect(states.map((status) => isApplied({ name: 'M', status, appliedAt: null, kind: 'schema', path: null, checksum: null }))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
