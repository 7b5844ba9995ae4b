import { EntitySchema } from '@mikro-orm/core';

export interface Author {
  id: number;
  name: string;
  email: string;
}

export const AuthorSchema = new EntitySchema<Author>({
  name: 'Author',
  tableName: 'authors',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    name: { type: 'string' },
    email: { type: 'string', unique: 'authors_email_unique' },
  },
});
