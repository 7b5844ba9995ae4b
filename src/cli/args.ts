import { UsageError } from '../core/errors.js';

export const COMMANDS = ['status', 'up', 'down', 'check', 'new', 'watch', 'seed'] as const;
export type Command = (typeof COMMANDS)[number] | 'tui';

export interface CliArgs {
  command: Command;
  target?: string;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  allOrNothing: boolean;
  config?: string;
  db?: string;
  lockTimeoutSeconds: number;
  color: boolean;
  help: boolean;
  version: boolean;
  rows?: number;
  /** new: the revision's name, the spec file, and how to write it. */
  name?: string;
  spec?: string;
  fromEntities: boolean;
  print: boolean;
  entities: boolean;
}

const BOOLEAN_FLAGS: Record<string, keyof CliArgs> = {
  '--json': 'json',
  '--dry-run': 'dryRun',
  '--yes': 'yes',
  '-y': 'yes',
  '--all-or-nothing': 'allOrNothing',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-V': 'version',
  '--from-entities': 'fromEntities',
  '--print': 'print',
};
const VALUE_FLAGS = new Set(['--config', '--db', '--lock-timeout', '--rows', '--spec']);

/** Parses argv (without node and script) into CliArgs; unknown commands and flags are UsageErrors. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const args: CliArgs = {
    command: 'tui',
    json: false,
    dryRun: false,
    yes: false,
    allOrNothing: false,
    lockTimeoutSeconds: 30,
    color: !env.NO_COLOR,
    help: false,
    version: false,
    fromEntities: false,
    print: false,
    entities: true,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '--no-color') {
      args.color = false;
      continue;
    }
    if (raw === '--no-entities') {
      args.entities = false;
      continue;
    }
    if (raw in BOOLEAN_FLAGS) {
      (args as unknown as Record<string, unknown>)[BOOLEAN_FLAGS[raw]] = true;
      continue;
    }
    const [flag, inline] =
      raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      setValue(args, flag, value);
      continue;
    }
    // -1, -2 … are TARGETs, not flags.
    if (raw.startsWith('-') && !/^-\d+$/.test(raw)) throw new UsageError(`unknown option ${raw}`, 'Run `migrate-ui --help` for the options.');
    positional.push(raw);
  }
  const [command, ...rest] = positional;
  if (command !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(command)) {
      throw new UsageError(`unknown command "${command}"`, 'Commands: status, up, down, new, check, watch. Run `migrate-ui --help`.');
    }
    args.command = command as Command;
  }
  const takesTarget = args.command === 'up' || args.command === 'down';
  const takesOne = takesTarget || args.command === 'new';
  if (rest.length > (takesOne ? 1 : 0)) throw new UsageError(`unexpected argument "${rest[takesOne ? 1 : 0]}"`);
  if (takesTarget) args.target = rest[0];
  if (args.command === 'new') args.name = rest[0];
  return args;
}

function setValue(args: CliArgs, flag: string, value: string): void {
  if (flag === '--config') args.config = value;
  else if (flag === '--spec') args.spec = value;
  else if (flag === '--db') args.db = value;
  else {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (flag === '--rows' && !Number.isInteger(n))) throw new UsageError(`${flag} takes a number, not "${value}"`);
    if (flag === '--lock-timeout') args.lockTimeoutSeconds = n;
    else args.rows = n;
  }
}

export const HELP = `migrate-ui — safe, keyboard-driven schema changes for MikroORM projects

Usage:
  migrate-ui                    the terminal UI (in a terminal); otherwise same as status
  migrate-ui status [--json]    revisions: applied, pending, missing, modified
  migrate-ui up   [TARGET] [--dry-run] [--json] [--all-or-nothing]
  migrate-ui down [TARGET] [--dry-run] [--json] [--yes]
  migrate-ui new NAME --spec FILE | --from-entities [--print] [--no-entities] [--json]
                                write a revision (and edit the entities); --print shows it and writes nothing
  migrate-ui check [--json]     exit 4 when entities and schema differ or an applied file was edited
  migrate-ui watch [--json]     data migrations running in any process, once a second, until ctrl-c

TARGET: head (up's default), base or 0, a revision name, unique prefix or substring, +N, -N (down's default -1).
down X reverts every revision applied after X, so X becomes the current revision.

Options:
  --config PATH          MikroORM config (default: as the MikroORM CLI finds it)
  --db URL               another database: sqlite:PATH, postgres://…, mysql://…, mariadb://… (or DATABASE_URL)
  --lock-timeout SECONDS wait this long for another run's lock (default 30)
  --dry-run              print the SQL each revision would run, change nothing
  --all-or-nothing       one transaction around the whole run (default: one per revision)
  --yes                  confirm a destructive down without asking
  --spec FILE            new: the operations as JSON ({ "operations": [ … ] }, see the README)
  --from-entities        new: the difference between the entities and the database, with a complete down()
  --print                new: show the file, its SQL and the entity changes; write nothing
  --no-entities          new: leave the entity files alone
  --json                 machine-readable output
  --no-color             no colours (also NO_COLOR)
  --help, --version

Exit codes: 0 done, 1 a migration failed, 2 usage/config/connection error, 3 lock timeout, 4 check found a difference.
130 a run stopped early: ctrl-c, SIGTERM, or a data migration cancelled (up again continues it from its checkpoint).`;
