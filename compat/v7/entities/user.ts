import { EntitySchema } from '@mikro-orm/core';

export interface User {
  id: string;
  name: string;
  email: string;
  created_at: string;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    email: { type: 'string', unique: 'users_email_unique' },
    created_at: { type: 'bigint' },
  },
});
