import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

describe.concurrent('--help and --version', () => {
  it('--help lists the commands, TARGET and exit codes, and exits 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const text of [
      'migrate-ui status [--json]',
      'migrate-ui up   [TARGET]',
      'migrate-ui down [TARGET]',
      'migrate-ui check',
      'migrate-ui new [NAME]         in a terminal: the revision form, NAME typed in',
      'migrate-ui new NAME --spec FILE | --from-entities',
      'migrate-ui seed [--rows N]',
      '--rows N               seed: how many rows',
      'TARGET: head',
      '--lock-timeout SECONDS',
      'migrate-ui stamp TARGET [--unapply]',
      'migrate-ui verify [RANGE]',
      'migrate-ui diff A B',
      'migrate-ui squash FROM TO [--name NAME] [--dry-run] [--yes] [--scratch URL] [--json]',
      '--allow-out-of-order',
      'migrate-ui fleet status [--fleet FILE] [--json]',
      'migrate-ui fleet up [TARGET] [--fleet FILE] [--concurrency N] [--canary N] [--max-failures K] [--dry-run] [--json]',
      "--fleet FILE           fleet: the targets (default: the config file's `export const fleet`, else fleet.json beside",
      '--max-failures K       fleet up: start no further target after K failed (default 1)',
      'Exit codes: 0 done, 1 a migration failed, 2 usage/config/connection error, 3 lock timeout, 4 check found a difference,\n5 verify (or squash) found a revision it cannot prove, or stamp --check found the schema differs.',
    ]) {
      expect(help.stdout).toContain(text);
    }
  });

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
