import { describe, expect, it } from 'vitest';
import type { AppliedRevision } from '../../src/core/history.js';
import type { RevisionFile } from '../../src/core/revisions.js';
import { replacesLine, replacesOf } from '../../src/core/squash.js';
import { planFor } from '../../src/core/target.js';
import { buildTimeline } from '../../src/core/timeline.js';

const A = 'Migration20260101000001_a';
const B = 'Migration20260101000002_b';
const C = 'Migration20260101000003_c';
const S = `${C}_squashed`;
const D = 'Migration20260101000004_d';

const file = (name: string, replaces?: string[]): RevisionFile => ({ name, path: `/m/${name}.ts`, checksum: name, kind: 'schema', replaces });
const files = [file(A), file(B), file(C), file(S, [B, C]), file(D)];
const applied = (...names: string[]): AppliedRevision[] => names.map((name) => ({ name, appliedAt: new Date(0), checksum: null }));
const names = (plan: { revisions: { name: string }[] }) => plan.revisions.map((r) => r.name);

describe('the replaces line', () => {
  it('reads back what it writes, and nothing from a file without it', () => {
    expect(replacesOf(`/**\n * ${replacesLine([B, C])}\n */`)).toEqual([B, C]);
    expect(replacesOf('export class X {}')).toBeUndefined();
    expect(replacesOf(' * @migrate-ui replaces [not json')).toBeUndefined();
  });
});

describe('a squash in the timeline and in plans', () => {
  it('every replaced revision applied: applied (to be recorded), in the place of the last, which down reverts', () => {
    const timeline = buildTimeline(files, applied(A, B, C, D));
    const squash = timeline.revisions.find((r) => r.name === S)!;
    expect(squash).toMatchObject({ status: 'applied', virtual: true, replaces: [B, C] });
    expect(timeline.revisions.filter((r) => r.replacedBy === S).map((r) => r.name)).toEqual([B, C]);
    expect(timeline.pending).toBe(0);
    expect(names(planFor(timeline, 'up'))).toEqual([]);
    expect(names(planFor(timeline, 'down', A))).toEqual([D, S]);
    expect(() => planFor(timeline, 'down', B)).toThrow(`${B} is replaced by ${S}`);
  });

  it('recorded after what it replaces: down still reverts it where the last of them was', () => {
    const timeline = buildTimeline(files, applied(A, B, C, D, S));
    expect(names(planFor(timeline, 'down', '-1'))).toEqual([D]);
    expect(names(planFor(timeline, 'down', '-2'))).toEqual([D, S]);
  });

  it('none applied: pending, and the only one of the range that runs', () => {
    const timeline = buildTimeline(files, applied(A));
    expect(timeline.pending).toBe(2);
    expect(timeline.revisions.some((r) => r.outOfOrder)).toBe(false);
    expect(names(planFor(timeline, 'up'))).toEqual([S, D]);
  });

  it('half applied: waits, the originals run, and a plan that stays half-way is refused', () => {
    const timeline = buildTimeline(
      [file(A), file(B), file(C), file('Migration20260101000003_e'), file(`${'Migration20260101000003_e'}_s`, [B, C, 'Migration20260101000003_e'])],
      applied(A, B),
    );
    const squash = timeline.revisions.at(-1)!;
    expect(squash.partial).toEqual([B]);
    expect(() => planFor(timeline, 'up', '+1')).toThrow('the database has 1 of the 3 revisions');
    expect(names(planFor(timeline, 'up'))).toEqual([C, 'Migration20260101000003_e']);
    expect(names(planFor(timeline, 'down', A))).toEqual([B]);
  });

  it('old files deleted: the records show as missing, replaced, and down forgets them with the squash', () => {
    const timeline = buildTimeline([file(A), file(S, [B, C]), file(D)], applied(A, B, C, D, S));
    expect(timeline.revisions.filter((r) => r.status === 'missing').map((r) => [r.name, r.replacedBy])).toEqual([
      [B, S],
      [C, S],
    ]);
    expect(names(planFor(timeline, 'down', 'base'))).toEqual([D, S, A]);
  });
});
