import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { type EntityOperation, findEntities, planEntityEdits } from '../../../src/authoring/entities/index.js';
import { realProject } from '../../helpers/real-project.js';
import { hunks } from './helpers.js';

// A file written unlike ours: tabs, double quotes, CRLF line ends, no trailing commas, comments everywhere.
const NOTE = [
  'import { EntitySchema } from "@mikro-orm/core";',
  '',
  'export interface Note {',
  '\tid: number;',
  '\t/** The text as typed. */',
  '\tbody: string;',
  '\tcreated_at: Date; // set by the database',
  '}',
  '',
  'export const NoteSchema = new EntitySchema<Note>({',
  '\tname: "Note",',
  '\ttableName: "notes",',
  '\tproperties: {',
  '\t\tid: { type: "integer", primary: true },',
  '\t\t// Markdown.',
  '\t\tbody: { type: "text" },',
  '\t\tcreated_at: { type: "datetime", defaultRaw: "current_timestamp" } // trailing',
  '\t}',
  '});',
  '',
].join('\r\n');

/** The edits for the operations on a project holding only that file (found through a glob). */
async function plan(operations: EntityOperation[]) {
  const project = realProject({ files: { 'src/note.ts': NOTE, 'mikro-orm.config.ts': 'export default {};\n' } });
  onTestFinished(() => project.remove());
  const found = await findEntities({
    configPath: join(project.dir, 'mikro-orm.config.ts'),
    projectDir: project.dir,
    baseDir: project.dir,
    entities: ['src/*.ts'],
  });
  const result = planEntityEdits(found, operations);
  expect(result.notes).toEqual([]);
  return result.edits.map((e) => ({ ...e, path: e.path.slice(project.dir.length + 1) }));
}

/** The changed lines of the file's single edit, CRs shown; every other line is byte for byte the same. */
async function changedLines(operations: EntityOperation[]) {
  const [edit] = await plan(operations);
  expect(edit.after!.split('\n').every((line, i, all) => i === all.length - 1 || line.endsWith('\r'))).toBe(true);
  return hunks(edit.before!, edit.after!).map((h) => ({
    ...h,
    removed: h.removed.map((l) => l.replace('\r', '⏎')),
    added: h.added.map((l) => l.replace('\r', '⏎')),
  }));
}

test('a new column follows tabs, double quotes and no trailing comma; the comment after the old last line stays there', async () => {
  expect(await changedLines([{ op: 'addColumn', table: 'notes', column: { name: 'title', type: 'string', length: 80, nullable: true } }])).toEqual([
    { at: 7, removed: [], added: ['\ttitle?: string;⏎'] },
    {
      at: 16,
      removed: ['\t\tcreated_at: { type: "datetime", defaultRaw: "current_timestamp" } // trailing⏎'],
      added: [
        '\t\tcreated_at: { type: "datetime", defaultRaw: "current_timestamp" }, // trailing⏎',
        '\t\ttitle: { type: "string", length: 80, nullable: true }⏎',
      ],
    },
  ]);
});

test('a dropped column takes its own comments with it, and the comma before it when it was last', async () => {
  expect(await changedLines([{ op: 'dropColumn', table: 'notes', column: 'body' }])).toEqual([
    { at: 4, removed: ['\t/** The text as typed. */⏎', '\tbody: string;⏎'], added: [] },
    { at: 14, removed: ['\t\t// Markdown.⏎', '\t\tbody: { type: "text" },⏎'], added: [] },
  ]);
  expect(await changedLines([{ op: 'dropColumn', table: 'notes', column: 'created_at' }])).toEqual([
    { at: 6, removed: ['\tcreated_at: Date; // set by the database⏎'], added: [] },
    {
      at: 15,
      removed: ['\t\tbody: { type: "text" },⏎', '\t\tcreated_at: { type: "datetime", defaultRaw: "current_timestamp" } // trailing⏎'],
      added: ['\t\tbody: { type: "text" }⏎'],
    },
  ]);
});

test('a rename changes the two names and nothing else; an alter, the options and the type', async () => {
  expect(await changedLines([{ op: 'renameColumn', table: 'notes', from: 'created_at', to: 'posted_at' }])).toEqual([
    { at: 6, removed: ['\tcreated_at: Date; // set by the database⏎'], added: ['\tposted_at: Date; // set by the database⏎'] },
    {
      at: 16,
      removed: ['\t\tcreated_at: { type: "datetime", defaultRaw: "current_timestamp" } // trailing⏎'],
      added: ['\t\tposted_at: { type: "datetime", defaultRaw: "current_timestamp" } // trailing⏎'],
    },
  ]);
  const alter: EntityOperation = {
    op: 'alterColumn',
    table: 'notes',
    column: { name: 'body', type: 'string', nullable: true },
    before: { name: 'body', type: 'text' },
  };
  expect(await changedLines([alter])).toEqual([
    { at: 5, removed: ['\tbody: string;⏎'], added: ['\tbody?: string;⏎'] },
    { at: 15, removed: ['\t\tbody: { type: "text" },⏎'], added: ['\t\tbody: { type: "string", nullable: true },⏎'] },
  ]);
});

test('a new entity file is written as its neighbour is: tabs, double quotes, CRLF, its commas', async () => {
  const [file] = await plan([
    {
      op: 'createTable',
      table: 'tags',
      columns: [
        { name: 'id', type: 'integer', primary: true },
        { name: 'label', type: 'string' },
      ],
    },
  ]);
  expect(file.path).toBe('src/tag.ts');
  expect(file.before).toBeNull();
  expect(file.after).toBe(
    [
      'import { EntitySchema } from "@mikro-orm/core";',
      '',
      'export interface Tag {',
      '\tid: number;',
      '\tlabel: string;',
      '}',
      '',
      'export const TagSchema = new EntitySchema<Tag>({',
      '\tname: "Tag",',
      '\ttableName: "tags",',
      '\tproperties: {',
      '\t\tid: { type: "integer", primary: true, autoincrement: false },',
      '\t\tlabel: { type: "string" }',
      '\t}',
      '});',
      '',
    ].join('\r\n'),
  );
});
