import { EntitySchema } from '@mikro-orm/core';

export interface Channel {
  id: string;
  name: string;
  topic?: string | null;
  created_at: string;
}

export const ChannelSchema = new EntitySchema<Channel>({
  name: 'Channel',
  tableName: 'channel',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    topic: { type: 'text', nullable: true },
    created_at: { type: 'bigint' },
  },
});
