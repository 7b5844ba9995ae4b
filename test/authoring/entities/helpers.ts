import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type EntityEdit,
  type EntityOperation,
  type EntityPlan,
  type EntityStyle,
  findEntities,
  planEntityEdits,
  writeEntityEdits,
} from '../../../src/authoring/entities/index.js';
import { ROOT } from '../../helpers/cli.js';
import { FIXTURES, fixtureProject } from './fixtures.js';

/** A run of changed lines: where in `before` (0-based line), the lines it removed and those it added. */
export interface Hunk {
  at: number;
  removed: string[];
  added: string[];
}

/** The line hunks that turn `before` into `after` (longest common subsequence): every other line is byte for byte the same. */
export function hunks(before: string, after: string): Hunk[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | undefined;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      open = undefined;
      i++;
      j++;
      continue;
    }
    if (!open) {
      open = { at: i, removed: [], added: [] };
      out.push(open);
    }
    if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) open.added.push(b[j++]);
    else open.removed.push(a[i++]);
  }
  return out;
}

/** Rebuilds `after` from `before` and the hunks: proof that the hunks are the whole difference. */
export function applyHunks(before: string, list: Hunk[]): string {
  const lines = before.split('\n');
  for (const h of [...list].reverse()) lines.splice(h.at, h.removed.length, ...h.added);
  return lines.join('\n');
}

/** A plan as a reviewable text: new files whole, changed files as their hunks with two lines of context, notes last. */
export function describePlan(plan: EntityPlan, root: string): string {
  const parts = plan.edits.map((edit) => {
    const path = relative(root, edit.path);
    if (edit.before === null) return `=== ${path} (new)\n${edit.after}`;
    if (edit.after === null) return `=== ${path} (deleted)\n`;
    const lines = edit.before.split('\n');
    const shown = hunks(edit.before, edit.after).map((h) => {
      const context = (from: number, to: number) => lines.slice(Math.max(0, from), Math.min(lines.length, to)).map((l) => `  ${l}`);
      return [
        `@@ line ${h.at + 1}`,
        ...context(h.at - 2, h.at),
        ...h.removed.map((l) => `- ${l}`),
        ...h.added.map((l) => `+ ${l}`),
        ...context(h.at + h.removed.length, h.at + h.removed.length + 2),
      ].join('\n');
    });
    return `=== ${path}\n${shown.join('\n')}\n`;
  });
  return [...parts, ...plan.notes.map((n) => `note: ${n}\n`)].join('\n');
}

/** One case of a style's suite: operations, and how many separate places of each changed file they touch at most. */
export interface EditCase {
  name: string;
  operations: EntityOperation[];
  notes?: number;
  /** False where a note asks for a hand edit that the type check would miss (a relation to a dropped entity). */
  typecheck?: boolean;
}

/** Runs the project's own TypeScript on a tsconfig. */
export function typecheck(tsconfig: string): { code: number; output: string } {
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', tsconfig], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

/**
 * The suite each style runs: every case planned on the fixture, its edits a file snapshot, the text outside
 * the hunks the same byte for byte, and, last, `tsc --noEmit` over a copy of the project per case with its edits written.
 */
export function styleSuite(style: EntityStyle, cases: EditCase[]): void {
  describe(`${style} entities`, () => {
    const fixture = fixtureProject(style);
    const project = findEntities({ configPath: fixture.configPath, projectDir: fixture.dir, baseDir: fixture.dir, entities: [{}, {}] });
    mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
    const copies = mkdtempSync(join(ROOT, '.test-tmp', `tsc-${style}-`));
    afterAll(() => {
      fixture.remove();
      rmSync(copies, { recursive: true, force: true });
    });

    for (const c of cases) {
      test(c.name, async () => {
        const plan = planEntityEdits(await project, c.operations);
        expect(plan.notes).toHaveLength(c.notes ?? 0);
        await expect(describePlan(plan, fixture.dir)).toMatchFileSnapshot(`./__snapshots__/${style}/${c.name}.txt`);
        for (const edit of plan.edits.filter((e): e is EntityEdit & { before: string; after: string } => e.before !== null && e.after !== null)) {
          expect(applyHunks(edit.before, hunks(edit.before, edit.after))).toBe(edit.after);
        }
        const copy = join(copies, c.name);
        cpSync(fixture.dir, copy, { recursive: true });
        writeEntityEdits(plan.edits.map((e) => ({ ...e, path: join(copy, relative(fixture.dir, e.path)) })));
      });
    }

    test('tsc --noEmit passes on the project after each of the edits', () => {
      const options = JSON.parse(FIXTURES[style].files['tsconfig.json']);
      const checked = cases.filter((c) => c.typecheck !== false).map((c) => c.name);
      const include = FIXTURES[style].files['tsconfig.json'].includes('"src"') ? checked.map((name) => `${name}/src`) : checked;
      const tsconfig = join(copies, 'tsconfig.json');
      mkdirSync(dirname(tsconfig), { recursive: true });
      writeFileSync(tsconfig, JSON.stringify({ ...options, include }));
      const result = typecheck(tsconfig);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    });
  });
}
