import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user.js';
import { ChannelSchema } from './entities/channel.js';
import { FeatureSchema } from './entities/feature.js';

// The bundled example (../../mikro-orm.config.ts) on MikroORM 7; another database through migrate-ui's --db-url.
export default defineConfig({
  dbName: fileURLToPath(new URL('./example.sqlite', import.meta.url)),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock', 'migrate_ui_progress'] },
  migrations: {
    path: fileURLToPath(new URL('./migrations', import.meta.url)),
    pathTs: fileURLToPath(new URL('./migrations', import.meta.url)),
  },
});
