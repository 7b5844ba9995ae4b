import { styleSuite } from './helpers.js';
import { alterColumn, createTable, foreignKey, NUMBERED_PROJECT } from '../../helpers/spec.js';

// defineEntity with `p` builders: Team imports `p`, Member takes it as the `properties` callback's parameter.
styleSuite('define-entity', [
  {
    name: 'create-table',
    operations: [createTable('projects', ...NUMBERED_PROJECT, { name: 'is_public', type: 'boolean', default: false })],
  },
  { name: 'add-column', operations: [{ op: 'addColumn', table: 'teams', column: { name: 'member_count', type: 'integer', default: 0 } }] },
  {
    name: 'add-column-callback',
    operations: [{ op: 'addColumn', table: 'members', column: { name: 'joined_at', type: 'datetime', default: { sql: 'current_timestamp' } } }],
  },
  {
    name: 'alter-column',
    operations: [
      alterColumn('members', { name: 'nickname', type: 'text', default: '' }, { name: 'nickname', type: 'string', nullable: true }),
      alterColumn('teams', { name: 'slug', type: 'string', length: 60, nullable: true }, { name: 'slug', type: 'string', length: 100 }),
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
    operations: [foreignKey('members', 'team_id', 'teams', { name: 'members_team_id_foreign', onDelete: 'cascade' })],
  },
  { name: 'rename-table', operations: [{ op: 'renameTable', from: 'members', to: 'people' }] },
  { name: 'drop-table', operations: [{ op: 'dropTable', table: 'members' }] },
  {
    name: 'drop-referenced-table',
    operations: [foreignKey('members', 'team_id', 'teams', { name: 'members_team_id_foreign' }), { op: 'dropTable', table: 'teams' }],
    notes: 1,
    typecheck: false,
  },
]);
