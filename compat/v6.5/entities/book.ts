import { EntitySchema } from '@mikro-orm/core';

export interface Book {
  id: number;
  author_id: number;
  title: string;
}

export const BookSchema = new EntitySchema<Book>({
  name: 'Book',
  tableName: 'books',
  indexes: [{ name: 'ix_books_author_id', properties: ['author_id'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    author_id: { type: 'integer' },
    title: { type: 'string' },
  },
});
