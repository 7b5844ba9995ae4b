import { styleSuite } from './helpers.js';
import { alterColumn } from '../../helpers/spec.js';

// Author relies on emitDecoratorMetadata (no `type`), Book states `type` on every property.
styleSuite('decorator', [
  {
    name: 'create-table',
    operations: [
      {
        op: 'createTable',
        table: 'publishers',
        columns: [
          { name: 'id', type: 'integer', primary: true },
          { name: 'name', type: 'string', unique: true },
          { name: 'web_site', type: 'text', nullable: true },
          { name: 'founded_on', type: 'date', nullable: true },
        ],
      },
    ],
  },
  {
    name: 'add-column-metadata',
    operations: [{ op: 'addColumn', table: 'authors', column: { name: 'follower_count', type: 'integer', default: 0 } }],
  },
  { name: 'add-column-explicit', operations: [{ op: 'addColumn', table: 'books', column: { name: 'published_on', type: 'date', nullable: true } }] },
  {
    name: 'add-column-needs-type',
    operations: [{ op: 'addColumn', table: 'authors', column: { name: 'rating', type: 'decimal', precision: 3, scale: 1, nullable: true } }],
  },
  {
    name: 'alter-column-explicit',
    operations: [alterColumn('books', { name: 'title', type: 'text', nullable: true }, { name: 'title', type: 'string', length: 200 })],
  },
  {
    name: 'alter-column-metadata',
    operations: [
      alterColumn('authors', { name: 'display_name', type: 'string', length: 80 }, { name: 'display_name', type: 'string', nullable: true }),
      alterColumn('authors', { name: 'is_active', type: 'text', default: 'yes' }, { name: 'is_active', type: 'boolean', default: true }),
    ],
  },
  { name: 'rename-column', operations: [{ op: 'renameColumn', table: 'authors', from: 'display_name', to: 'pen_name' }] },
  { name: 'rename-indexed-column', operations: [{ op: 'renameColumn', table: 'books', from: 'title', to: 'headline' }] },
  { name: 'drop-column', operations: [{ op: 'dropColumn', table: 'books', column: 'summary' }] },
  { name: 'drop-indexed-column', operations: [{ op: 'dropColumn', table: 'books', column: 'title' }] },
  {
    name: 'create-index',
    operations: [{ op: 'createIndex', table: 'authors', name: 'authors_name_display_name_index', columns: ['name', 'display_name'], unique: false }],
  },
  { name: 'create-unique', operations: [{ op: 'createIndex', table: 'authors', name: 'authors_name_unique', columns: ['name'], unique: true }] },
  { name: 'drop-index', operations: [{ op: 'dropIndex', table: 'books', name: 'books_title_index', columns: ['title'], unique: false }] },
  {
    name: 'add-foreign-key',
    operations: [
      {
        op: 'addForeignKey',
        table: 'books',
        name: 'books_author_id_foreign',
        columns: ['author_id'],
        references: { table: 'authors', columns: ['id'] },
        onDelete: 'cascade',
      },
    ],
  },
  { name: 'rename-table', operations: [{ op: 'renameTable', from: 'books', to: 'novels' }] },
  { name: 'drop-table', operations: [{ op: 'dropTable', table: 'books' }] },
  { name: 'unknown-table', operations: [{ op: 'addColumn', table: 'reviews', column: { name: 'body', type: 'text' } }], notes: 1 },
]);
