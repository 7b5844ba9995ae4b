export interface ServerDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function createServerDatabase(dialect: 'postgresql' | 'mariadb', serverUrl: string, prefix: string): Promise<ServerDatabase>;
