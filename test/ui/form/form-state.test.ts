import { describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../../src/authoring/snapshot.js';
import { fromOperation, fromOperations, summary, toOperation, toSpec } from '../../../src/ui/form/build.js';
import { blankRecord, type FormRecord } from '../../../src/ui/form/fields.js';
import { currentFrame, formReducer, initialForm } from '../../../src/ui/form/form-state.js';
import { lineDiff } from '../../../src/ui/form/line-diff.js';
import { withValue } from '../../../src/ui/form/record-edit.js';
import { editLine } from '../../../src/ui/form/text-edit.js';
import { TypeAhead } from '../../../src/ui/form/type-ahead.js';
import { SchemaAt } from '../../../src/authoring/ops/schema-at.js';

const column = (name: string, extra: Partial<{ type: string; nullable: boolean; default: string | number }> = {}) => ({
  name,
  type: (extra.type ?? 'string') as never,
  dbType: 'varchar(255)',
  nullable: extra.nullable ?? false,
  default: extra.default,
  primary: name === 'id',
});
const snapshot: SchemaSnapshot = {
  tables: new Map([
    [
      'features',
      {
        name: 'features',
        columns: [column('id'), column('name'), column('rank', { type: 'integer', nullable: true, default: 3 })],
        indexes: [],
        foreignKeys: [],
      },
    ],
    [
      'users',
      {
        name: 'users',
        columns: [column('id'), column('email')],
        indexes: [{ name: 'users_email_unique', columns: ['email'], unique: true, constraint: false }],
        foreignKeys: [],
      },
    ],
  ]),
};
const sql = (up: string): FormRecord => ({ kind: 'sql', values: { up, down: '' } });

// The form's state without rendering: the reducer, the choices, and records ⇄ spec.
describe('the form state', () => {
  it('moves, removes and edits operations, keeping the selection on the moved one', () => {
    let state = initialForm('x', [sql('a'), sql('b'), sql('c')]);
    expect(currentFrame(state)).toEqual({ at: 'operations', selected: 0 });
    state = formReducer(state, { type: 'select', by: 2, count: 3 });
    state = formReducer(state, { type: 'move', index: 2, by: -1 });
    expect(state.operations.map((o) => o.values.up)).toEqual(['a', 'c', 'b']);
    expect(currentFrame(state)).toEqual({ at: 'operations', selected: 1 });
    state = formReducer(state, { type: 'move', index: 0, by: -1 });
    expect(state.operations.map((o) => o.values.up)).toEqual(['a', 'c', 'b']);
    state = formReducer(state, { type: 'remove', index: 2 });
    expect(state.operations.map((o) => o.values.up)).toEqual(['a', 'c']);
    expect(currentFrame(state)).toEqual({ at: 'operations', selected: 1 });
    state = formReducer(state, { type: 'set', path: { op: 0 }, key: 'up', value: 'a2' });
    expect(toSpec(state.operations).operations[0]).toEqual({ op: 'sql', up: 'a2', down: '' });
  });

  it('adds an operation in place of the menu, so esc from it lands on the list; back never leaves the first step', () => {
    let state = formReducer(initialForm('x'), { type: 'push', frame: { at: 'operations', selected: 0 } });
    state = formReducer(state, { type: 'push', frame: { at: 'menu', selected: 0 } });
    state = formReducer(state, { type: 'add', record: sql('select 1') });
    expect(state.stack.map((f) => f.at)).toEqual(['name', 'operations', 'record']);
    state = formReducer(formReducer(formReducer(state, { type: 'back' }), { type: 'back' }), { type: 'back' });
    expect(state.stack.map((f) => f.at)).toEqual(['name']);
  });

  it('offers the tables and columns the operations before leave, and moves dependent choices along', () => {
    const before = [
      toOperation({ kind: 'createTable', values: { table: 'projects', columns: [blankRecord('column', { schema: SchemaAt.of(snapshot, []) })] } }),
    ];
    const schema = SchemaAt.of(snapshot, [
      ...before,
      { op: 'renameTable', from: 'users', to: 'people' },
      { op: 'dropColumn', table: 'features', column: 'name' },
    ]);
    expect(schema.tableNames()).toEqual(['features', 'people', 'projects']);
    expect(schema.columnNames('features')).toEqual(['id', 'rank']);
    expect(schema.indexNames('people')).toEqual(['users_email_unique']);
    // A drop starts on no column (the first is most often the key), and moves to none when the table changes.
    const record = blankRecord('dropColumn', { schema });
    expect(record.values).toEqual({ table: 'features', column: '' });
    const chosen = { ...record, values: { ...record.values, column: 'rank' } };
    expect(withValue(chosen, 'table', 'projects', { schema, values: chosen.values })).toEqual({ table: 'projects', column: '' });
    // A backfill's set starts on a column that is not the key.
    expect(blankRecord('assignment', { schema, parent: { table: 'features' } }).values).toEqual({ column: 'rank', expression: '' });
  });

  it('starts alterColumn from the column as it is: type, nullability, default', () => {
    const schema = SchemaAt.of(snapshot, []);
    const record = blankRecord('alterColumn', { schema });
    const values = withValue(record, 'column', 'rank', { schema, values: record.values });
    expect(values).toMatchObject({ table: 'features', column: 'rank', type: 'integer', nullable: 'yes', default: '3' });
    expect(toOperation({ kind: 'alterColumn', values })).toEqual({
      op: 'alterColumn',
      table: 'features',
      column: 'rank',
      type: 'integer',
      nullable: true,
      default: 3,
    });
  });

  it('reads back every operation of a spec into records that build the same spec', () => {
    const operations = [
      {
        op: 'createTable',
        table: 'p',
        columns: [
          { name: 'id', type: 'integer', primary: true },
          { name: 'd', type: 'decimal', precision: 10, scale: 2, default: 1.5 },
        ],
      },
      { op: 'addColumn', table: 'p', column: { name: 'flag', type: 'boolean', default: false } },
      { op: 'renameColumn', table: 'p', from: 'flag', to: 'enabled' },
      { op: 'createIndex', table: 'p', columns: ['enabled', 'd'], unique: true, name: 'p_e' },
      { op: 'addForeignKey', table: 'p', columns: ['id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' },
      { op: 'backfill', table: 'p', set: { d: 'd * 2' }, where: 'd is null' },
      { op: 'sql', up: 'select 1', down: 'select 2' },
      { op: 'dropTable', table: 'p' },
    ];
    expect(toSpec(operations.map((o) => fromOperation(o as never))).operations).toEqual(operations);
  });

  it('reads an operation a choice brought back into that choice, and one of another shape as an operation of its own', () => {
    const projects = {
      op: 'createTable',
      table: 'projects',
      columns: [
        { name: 'id', type: 'string', primary: true },
        { name: 'user_id', type: 'string' },
        { name: 'owner_id', type: 'string' },
      ],
    };
    const toUsers = (column: string, more = {}) => ({
      op: 'addForeignKey',
      table: 'projects',
      columns: [column],
      references: { table: 'users', columns: ['id'] },
      ...more,
    });
    const operations = [
      { op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', nullable: true } },
      { table: 'features', columns: ['rank'], op: 'createIndex' },
      projects,
      toUsers('user_id'),
      // A rule the column's choice cannot say: it stays an addForeignKey.
      toUsers('owner_id', { onDelete: 'cascade' }),
      { op: 'addColumn', table: 'features', column: { name: 'score', type: 'integer', nullable: true } },
      // A named index is not what "indexed" makes.
      { op: 'createIndex', table: 'features', columns: ['score'], name: 'ix_score' },
    ];
    const records = fromOperations(operations as never);
    expect(records.map(summary)).toEqual([
      'addColumn features.rank integer null, indexed',
      'createTable projects (id, user_id, owner_id)',
      'addForeignKey projects (owner_id) → users',
      'addColumn features.score integer null',
      'createIndex on features (score)',
    ]);
    const columns = records[1].values.columns as FormRecord[];
    expect(columns.map((c) => summary(c))).toEqual(['id string primary key', 'user_id string → users.id', 'owner_id string']);
    // Written again, the file says what it said.
    expect(toSpec(records).operations).toEqual(operations);
  });

  it('diffs entity files line by line, with a little context around each change', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'X', 'e', 'f', 'g', 'h'].join('\n');
    expect(lineDiff(before, after).map((l) => `${l.mark}${l.text}`)).toEqual([' c', ' d', '+X', ' e', ' f']);
    expect(lineDiff('', 'new\nfile').map((l) => `${l.mark}${l.text}`)).toEqual(['+new', '+file']);
  });

  it('offers the foreign keys, indexes and checks there are for the operations that drop or rename them, and reads them back', () => {
    const withKeys: SchemaSnapshot = {
      tables: new Map([
        ...snapshot.tables,
        [
          'features',
          {
            ...snapshot.tables.get('features')!,
            foreignKeys: [{ name: 'features_user_id_foreign', columns: ['name'], references: { table: 'users', columns: ['id'] } }],
            checks: [{ name: 'features_rank_check', expression: 'rank > 0' }],
          },
        ],
      ]),
    };
    const before = toSpec([
      { kind: 'addCheck', values: { table: 'features', name: 'features_name_check', expression: "name <> ''" } },
      { kind: 'renameIndex', values: { table: 'users', from: 'users_email_unique', to: 'users_email_uq' } },
    ]).operations;
    const schema = SchemaAt.of(withKeys, before);
    expect(schema.checkNames('features')).toEqual(['features_rank_check', 'features_name_check']);
    expect(schema.indexNames('users')).toEqual(['users_email_uq']);
    expect(schema.foreignKeyNames('features')).toEqual(['features_user_id_foreign']);

    const dropKey = blankRecord('dropForeignKey', { schema });
    expect(toOperation(dropKey)).toEqual({ op: 'dropForeignKey', table: 'features', name: 'features_user_id_foreign' });
    const dropCheck = blankRecord('dropCheck', { schema });
    expect(toOperation(dropCheck)).toEqual({ op: 'dropCheck', table: 'features', name: 'features_rank_check' });
    // Choosing another table moves the choice to what that table has.
    const renamed = { ...blankRecord('renameIndex', { schema }), values: {} as FormRecord['values'] };
    renamed.values = withValue(blankRecord('renameIndex', { schema }), 'table', 'users', { schema, values: renamed.values });
    expect(renamed.values.from).toBe('users_email_uq');

    const operations = [
      { op: 'dropForeignKey', table: 'features', name: 'features_user_id_foreign' },
      { op: 'renameIndex', table: 'users', from: 'users_email_uq', to: 'users_email_key' },
      { op: 'addCheck', table: 'features', name: 'features_rank_positive', expression: 'rank > 0' },
      { op: 'dropCheck', table: 'features', name: 'features_rank_check' },
    ] as const;
    for (const operation of operations) expect(toOperation(fromOperation(operation))).toEqual(operation);
    expect(operations.map((o) => summary(fromOperation(o)))).toEqual([
      'dropForeignKey features_user_id_foreign on features',
      'renameIndex users_email_uq → users_email_key on users',
      'addCheck features features_rank_positive (rank > 0)',
      'dropCheck features_rank_check on features',
    ]);
  });
});

describe('the line editor, type-ahead and undo, without rendering', () => {
  it('edits at the cursor: insert, erase, moves, word jumps and kills', () => {
    const at = (text: string, back = 0) => ({ text, back });
    expect(editLine(at('add_rnk', 2), { type: 'insert', text: 'a' })).toEqual(at('add_rank', 2));
    expect(editLine(at('add rank'), { type: 'word-left' })).toEqual(at('add rank', 4));
    expect(editLine(at('add rank', 4), { type: 'kill-before' })).toEqual(at('rank', 4));
    expect(editLine(at('add rank', 4), { type: 'kill-after' })).toEqual(at('add ', 0));
    expect(editLine(at('add rank'), { type: 'kill-word' })).toEqual(at('add ', 0));
    expect(editLine(at('add rank', 8), { type: 'word-right' })).toEqual(at('add rank', 5));
    expect(editLine(at('ab', 2), { type: 'erase' })).toEqual(at('ab', 2));
    expect(editLine(at('ab'), { type: 'home' })).toEqual(at('ab', 2));
    expect(editLine(at('ab', 2), { type: 'end' })).toEqual(at('ab', 0));
    // A paste with a line break stays one line.
    expect(editLine(at(''), { type: 'insert', text: 'a\nb' })).toEqual(at('a b', 0));
  });

  it('type-ahead: a letter picks the first entry it starts, more letters refine, a pause or a miss starts over', () => {
    const typed = new TypeAhead();
    const types = ['string', 'double', 'decimal', 'date', 'datetime'];
    expect(typed.pick(types, 'd', 0)).toBe(1);
    expect(typed.pick(types, 'a', 100)).toBe(3);
    expect(typed.pick(types, 't', 200)).toBe(3);
    expect(typed.pick(types, 'e', 300)).toBe(3);
    expect(typed.pick(types, 't', 400)).toBe(4);
    expect(typed.pick(types, 's', 500)).toBe(0);
    expect(typed.pick(types, 'd', 5000)).toBe(1);
    expect(typed.pick(types, 'q', 5100)).toBe(-1);
  });

  it('undo takes back each edit, typing into one field as one; x is undone with its place in the list', () => {
    let state = initialForm('x', [sql('a'), sql('b')]);
    state = formReducer(state, { type: 'select', by: 1, count: 2 });
    state = formReducer(state, { type: 'remove', index: 1 });
    expect(state.operations).toHaveLength(1);
    state = formReducer(state, { type: 'undo' });
    expect(state.operations).toHaveLength(2);
    expect(currentFrame(state)).toEqual({ at: 'operations', selected: 1 });
    state = formReducer(state, { type: 'back' });
    for (const c of 'yz') state = formReducer(state, { type: 'edit-text', edit: { type: 'insert', text: c } });
    expect(state.name).toBe('xyz');
    state = formReducer(state, { type: 'edit-text', edit: { type: 'erase' } });
    expect(state.name).toBe('xy');
    state = formReducer(state, { type: 'undo' });
    expect(state.name).toBe('xyz');
    state = formReducer(state, { type: 'undo' });
    expect(state.name).toBe('x');
    expect(formReducer(formReducer(state, { type: 'undo' }), { type: 'undo' })).toEqual(formReducer(state, { type: 'undo' }));
  });
});
