import { styleSuite } from './helpers.js';

// defineEntity with `p` builders: Team imports `p`, Member takes it as the `properties` callback's parameter.
styleSuite('define-entity', [
  {
    name: 'create-table',
    operations: [
      {
        op: 'createTable',
        table: 'projects',
        columns: [
          { name: 'id', type: 'integer', primary: true },
          { name: 'title', type: 'string', length: 120 },
          { name: 'budget', type: 'decimal', precision: 12, scale: 2, nullable: true },
          { name: 'is_public', type: 'boolean', default: false },
        ],
      },
    ],
  },
  { name: 'add-column', operations: [{ op: 'addColumn', table: 'teams', column: { name: 'member_count', type: 'integer', default: 0 } }] },
  {
    name: 'add-column-callback',
    operations: [{ op: 'addColumn', table: 'members', column: { name: 'joined_at', type: 'datetime', default: { sql: 'current_timestamp' } } }],
  },
  {
    name: 'alter-column',
    operations: [
      {
        op: 'alterColumn',
        table: 'members',
        column: { name: 'nickname', type: 'text', default: '' },
        before: { name: 'nickname', type: 'string', nullable: true },
      },
      {
        op: 'alterColumn',
        table: 'teams',
        column: { name: 'slug', type: 'string', length: 60, nullable: true },
        before: { name: 'slug', type: 'string', length: 100 },
      },
    ],
  },
  { name: 'rename-column', operations: [{ op: 'renameColumn', table: 'members', from: 'nickname', to: 'handle' }] },
  { name: 'rename-unique-column', operations: [{ op: 'renameColumn', table: 'teams', from: 'slug', to: 'handle' }] },
  { name: 'drop-column', operations: [{ op: 'dropColumn', table: 'members', column: 'nickname' }] },
  { name: 'drop-indexed-column', operations: [{ op: 'dropColumn', table: 'members', column: 'email' }] },
  {
    name: 'create-index',
    operations: [{ op: 'createIndex', table: 'teams', name: 'teams_name_created_at_index', columns: ['name', 'created_at'], unique: false }],
  },
  {
    name: 'create-unique',
    operations: [{ op: 'createIndex', table: 'members', name: 'members_team_id_email_unique', columns: ['team_id', 'email'], unique: true }],
  },
  { name: 'drop-index', operations: [{ op: 'dropIndex', table: 'members', name: 'members_email_index', columns: ['email'], unique: false }] },
  { name: 'drop-builder-unique', operations: [{ op: 'dropIndex', table: 'teams', name: 'teams_slug_unique', columns: ['slug'], unique: true }] },
  {
    name: 'add-foreign-key',
    operations: [
      {
        op: 'addForeignKey',
        table: 'members',
        name: 'members_team_id_foreign',
        columns: ['team_id'],
        references: { table: 'teams', columns: ['id'] },
        onDelete: 'cascade',
      },
    ],
  },
  { name: 'rename-table', operations: [{ op: 'renameTable', from: 'members', to: 'people' }] },
  { name: 'drop-table', operations: [{ op: 'dropTable', table: 'members' }] },
  {
    name: 'drop-referenced-table',
    operations: [
      {
        op: 'addForeignKey',
        table: 'members',
        name: 'members_team_id_foreign',
        columns: ['team_id'],
        references: { table: 'teams', columns: ['id'] },
      },
      { op: 'dropTable', table: 'teams' },
    ],
    notes: 1,
    typecheck: false,
  },
]);
