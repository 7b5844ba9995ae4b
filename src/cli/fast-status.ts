import { ExitCode } from '../core/errors.js';
import type { LightReader } from '../core/light-reader.js';
import type { CliArgs } from './args.js';
import { passwordOf, validEntry } from './config-cache.js';
import type { Io } from './report.js';

/**
 * `status` from the config cache: the database read with its client package, the config, tsx and MikroORM not loaded.
 * Undefined where the cache has no valid entry or the light reader cannot answer as the full path would: the caller
 * then takes the full path. A connection failure the full path would report in the same words is reported here.
 */
export async function statusFromCache(args: CliArgs, io: Io, configPath: string): Promise<number | undefined> {
  const dbUrl = args.db ?? io.env.DATABASE_URL;
  const entry = validEntry(io.cwd, configPath, dbUrl, io.env);
  if (!entry) return undefined;
  const { LightReader, ListingProject } = await import('../core/light-reader.js');
  let reader: LightReader;
  try {
    reader = await LightReader.open(entry.settings, { ...entry.client, password: passwordOf(entry, dbUrl, io.env) });
  } catch (error) {
    const { connectFailure } = await import('../core/orm/index.js');
    if (!connectFailure(error)) return undefined;
    const { connectionError } = await import('../core/database.js');
    throw connectionError(error, entry.settings);
  }
  try {
    // Held until all of it is read: a failure half-way prints nothing, and the full path answers instead.
    const lines: string[] = [];
    const { printStatus } = await import('./status.js');
    await printStatus(new ListingProject(reader), args, { ...io, stdout: (text) => lines.push(text) });
    for (const line of lines) io.stdout(line);
    return ExitCode.ok;
  } catch {
    return undefined;
  } finally {
    await reader.close().catch(() => undefined);
  }
}
