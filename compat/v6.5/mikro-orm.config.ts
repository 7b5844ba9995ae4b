import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';
import { AuthorSchema } from './entities/author.js';
import { BookSchema } from './entities/book.js';

// A small SQLite project shaped like migrate-ui's bundled example, on MikroORM 6.5.
export default defineConfig({
  dbName: fileURLToPath(new URL('./app.sqlite', import.meta.url)),
  entities: [AuthorSchema, BookSchema],
  // The line `migrate-ui check` recommends; MikroORM 6.4 and 6.5 ignore it in their schema comparison.
  schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock', 'migrate_ui_progress'] },
  migrations: {
    path: fileURLToPath(new URL('./migrations', import.meta.url)),
    pathTs: fileURLToPath(new URL('./migrations', import.meta.url)),
  },
});
