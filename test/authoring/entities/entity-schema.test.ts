import { styleSuite } from './helpers.js';
import { alterColumn, createTable, PROJECT_KEYS } from '../../helpers/spec.js';

// `new EntitySchema<T>({ … })` with the interface T beside it, property names = column names, as this repository's entities/.
styleSuite('entity-schema', [
  {
    name: 'create-table',
    operations: [createTable('projects', ...PROJECT_KEYS, { name: 'data', type: 'json', nullable: true }, { name: 'created_at', type: 'bigint' })],
  },
  {
    name: 'add-column',
    operations: [{ op: 'addColumn', table: 'users', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } }],
  },
  {
    name: 'add-column-null-union',
    operations: [{ op: 'addColumn', table: 'channel', column: { name: 'archived_at', type: 'datetime', nullable: true } }],
  },
  {
    name: 'alter-column',
    operations: [
      alterColumn('channel', { name: 'topic', type: 'string', length: 100 }, { name: 'topic', type: 'text', nullable: true }),
      alterColumn('users', { name: 'created_at', type: 'datetime', default: { sql: 'current_timestamp' } }, { name: 'created_at', type: 'bigint' }),
    ],
  },
  { name: 'rename-column', operations: [{ op: 'renameColumn', table: 'channel', from: 'name', to: 'title' }] },
  { name: 'rename-unique-column', operations: [{ op: 'renameColumn', table: 'users', from: 'email', to: 'mail' }] },
  { name: 'drop-column', operations: [{ op: 'dropColumn', table: 'channel', column: 'topic' }] },
  { name: 'drop-indexed-column', operations: [{ op: 'dropColumn', table: 'channel', column: 'created_at' }] },
  { name: 'create-index', operations: [{ op: 'createIndex', table: 'users', name: 'users_name_index', columns: ['name'], unique: false }] },
  {
    name: 'create-index-existing-list',
    operations: [{ op: 'createIndex', table: 'channel', name: 'channel_owner_id_unique', columns: ['owner_id'], unique: true }],
  },
  { name: 'drop-index', operations: [{ op: 'dropIndex', table: 'channel', name: 'ix_channel_name', columns: ['name'], unique: false }] },
  { name: 'drop-property-unique', operations: [{ op: 'dropIndex', table: 'users', name: 'users_email_unique', columns: ['email'], unique: true }] },
  {
    name: 'add-foreign-key',
    operations: [
      {
        op: 'addForeignKey',
        table: 'channel',
        name: 'channel_owner_id_foreign',
        columns: ['owner_id'],
        references: { table: 'users', columns: ['id'] },
      },
    ],
  },
  { name: 'rename-table', operations: [{ op: 'renameTable', from: 'channel', to: 'channels' }] },
  { name: 'drop-table', operations: [{ op: 'dropTable', table: 'channel' }] },
  {
    name: 'mixed',
    operations: [
      {
        op: 'createTable',
        table: 'projects',
        columns: [
          { name: 'id', type: 'string', primary: true },
          { name: 'owner_id', type: 'string' },
        ],
      },
      { op: 'addColumn', table: 'projects', column: { name: 'name', type: 'string', nullable: true } },
      {
        op: 'addForeignKey',
        table: 'projects',
        name: 'projects_owner_id_foreign',
        columns: ['owner_id'],
        references: { table: 'users', columns: ['id'] },
        onDelete: 'cascade',
      },
      { op: 'renameTable', from: 'projects', to: 'workspaces' },
      { op: 'dropTable', table: 'workspaces' },
      { op: 'addColumn', table: 'users', column: { name: 'bio', type: 'text', nullable: true } },
      { op: 'renameColumn', table: 'users', from: 'bio', to: 'about' },
      { op: 'dropColumn', table: 'users', column: 'about' },
    ],
  },
]);
