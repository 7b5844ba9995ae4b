import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user.js';
import { ChannelSchema } from './entities/channel.js';
import { FeatureSchema } from './entities/feature.js';

// The bundled example: a chat app's users, channels and feature flags, on an embedded SQLite file.
export default defineConfig({
  dbName: fileURLToPath(new URL('./example.sqlite', import.meta.url)),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  // migrate-ui's own tables, beside MikroORM's: keep MikroORM's schema diff (schema:update, migration:create) off them.
  schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock', 'migrate_ui_progress', 'migrate_ui_fleet_claims'] },
  migrations: {
    path: fileURLToPath(new URL('./migrations', import.meta.url)),
    pathTs: fileURLToPath(new URL('./migrations', import.meta.url)),
  },
});
