import { EntitySchema } from '@mikro-orm/core';

export interface Feature {
  id: string;
  user_id: string;
  name: string;
  description?: string | null;
  data?: unknown;
  is_active: boolean;
  created_at: string;
  updated_at: string;
  slug?: string | null;
}

export const FeatureSchema = new EntitySchema<Feature>({
  name: 'Feature',
  tableName: 'features',
  indexes: [
    { name: 'ix_features_user_id', properties: ['user_id'] },
    { name: 'ix_features_created_at', properties: ['created_at'] },
    { name: 'ix_features_slug', properties: ['slug'] },
  ],
  properties: {
    id: { type: 'string', primary: true },
    user_id: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'text', nullable: true },
    data: { type: 'json', nullable: true },
    is_active: { type: 'boolean', default: true },
    created_at: { type: 'bigint' },
    updated_at: { type: 'bigint' },
    slug: { type: 'string', nullable: true },
  },
});
