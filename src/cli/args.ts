import { parseArgs as tokenize } from 'node:util';
import { UsageError } from '../core/errors.js';

export const COMMANDS = ['status', 'up', 'down', 'check', 'new', 'watch', 'seed', 'stamp', 'verify', 'diff', 'fleet', 'squash'] as const;
export type Command = (typeof COMMANDS)[number] | 'tui';

export interface CliArgs {
  command: Command;
  target?: string;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  allOrNothing: boolean;
  /** up: applies revisions from a merged branch that sort below the newest applied one. */
  allowOutOfOrder: boolean;
  /** stamp: forget the records instead of writing them. */
  unapply: boolean;
  /** stamp: refuse unless the database's schema is what replaying the history gives. */
  check: boolean;
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
  /** verify: the RANGE; diff: A and B. */
  range?: string;
  from?: string;
  to?: string;
  /** verify, diff: where scratch databases go. */
  scratch?: string;
  /** diff: print the SQL that takes A to B. */
  sql?: boolean;
  /** fleet: what to do (status, up), the fleet file, and how the rollout goes. */
  fleetAction?: 'status' | 'up' | 'down';
  fleetFile?: string;
  concurrency?: number;
  canary?: number;
  maxFailures?: number;
  /** fleet up/down: a shared rollout's name, its control database, and how long a silent worker's claim lasts. */
  rollout?: string;
  control?: string;
  staleAfterSeconds?: number;
  /** fleet up/down --rollout: the rollout's failed targets go back to pending and run again. */
  retryFailed?: boolean;
}

type Flag = { name: string; type: 'boolean' | 'string'; short?: string; set: (args: CliArgs, value: string | undefined) => void };

const on =
  (
    key:
      | 'json'
      | 'dryRun'
      | 'yes'
      | 'allOrNothing'
      | 'allowOutOfOrder'
      | 'unapply'
      | 'check'
      | 'help'
      | 'version'
      | 'fromEntities'
      | 'print'
      | 'sql'
      | 'retryFailed',
  ) =>
  (args: CliArgs): void => {
    args[key] = true;
  };
const number = (flag: string, value: string, integer: boolean): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} takes a number, not "${value}"`);
  return n;
};

/** Every option once: its spelling, its kind and what it sets. Which command takes it is in TAKES. */
const FLAGS: Flag[] = [
  { name: 'config', type: 'string', set: (a, v) => (a.config = v) },
  { name: 'db', type: 'string', set: (a, v) => (a.db = v) },
  { name: 'lock-timeout', type: 'string', set: (a, v = '') => (a.lockTimeoutSeconds = number('--lock-timeout', v, false)) },
  { name: 'no-color', type: 'boolean', set: (a) => (a.color = false) },
  { name: 'help', type: 'boolean', short: 'h', set: on('help') },
  { name: 'version', type: 'boolean', short: 'V', set: on('version') },
  { name: 'json', type: 'boolean', set: on('json') },
  { name: 'dry-run', type: 'boolean', set: on('dryRun') },
  { name: 'yes', type: 'boolean', short: 'y', set: on('yes') },
  { name: 'all-or-nothing', type: 'boolean', set: on('allOrNothing') },
  { name: 'allow-out-of-order', type: 'boolean', set: on('allowOutOfOrder') },
  { name: 'unapply', type: 'boolean', set: on('unapply') },
  { name: 'check', type: 'boolean', set: on('check') },
  { name: 'spec', type: 'string', set: (a, v) => (a.spec = v) },
  { name: 'from-entities', type: 'boolean', set: on('fromEntities') },
  { name: 'print', type: 'boolean', set: on('print') },
  { name: 'no-entities', type: 'boolean', set: (a) => (a.entities = false) },
  { name: 'rows', type: 'string', set: (a, v = '') => (a.rows = number('--rows', v, true)) },
  { name: 'scratch', type: 'string', set: (a, v) => (a.scratch = v) },
  { name: 'sql', type: 'boolean', set: on('sql') },
  { name: 'fleet', type: 'string', set: (a, v) => (a.fleetFile = v) },
  { name: 'concurrency', type: 'string', set: (a, v = '') => (a.concurrency = Math.max(1, number('--concurrency', v, true))) },
  { name: 'canary', type: 'string', set: (a, v = '') => (a.canary = number('--canary', v, true)) },
  { name: 'max-failures', type: 'string', set: (a, v = '') => (a.maxFailures = Math.max(1, number('--max-failures', v, true))) },
  { name: 'rollout', type: 'string', set: (a, v) => (a.rollout = v) },
  { name: 'control', type: 'string', set: (a, v) => (a.control = v) },
  { name: 'stale-after', type: 'string', set: (a, v = '') => (a.staleAfterSeconds = number('--stale-after', v, false)) },
  { name: 'retry-failed', type: 'boolean', set: on('retryFailed') },
  { name: 'name', type: 'string', set: (a, v) => (a.name = v) },
];

const GLOBAL = ['config', 'db', 'lock-timeout', 'no-color', 'help', 'version'];
/** The options each command takes besides GLOBAL (DESIGN §3), and how many positional arguments. */
const TAKES: Record<Command, { flags: string[]; positional: 0 | 1 | 2 }> = {
  // Without a terminal the TUI is `status`, so it takes status's --json.
  tui: { flags: ['json'], positional: 0 },
  status: { flags: ['json'], positional: 0 },
  up: { flags: ['dry-run', 'json', 'yes', 'all-or-nothing', 'allow-out-of-order'], positional: 1 },
  down: { flags: ['dry-run', 'json', 'yes'], positional: 1 },
  new: { flags: ['spec', 'from-entities', 'print', 'no-entities', 'json'], positional: 1 },
  check: { flags: ['json'], positional: 0 },
  watch: { flags: ['json'], positional: 0 },
  seed: { flags: ['rows'], positional: 0 },
  stamp: { flags: ['unapply', 'check', 'scratch', 'dry-run', 'yes', 'json'], positional: 1 },
  verify: { flags: ['scratch', 'concurrency', 'json'], positional: 1 },
  diff: { flags: ['scratch', 'sql', 'json'], positional: 2 },
  fleet: {
    flags: ['fleet', 'concurrency', 'canary', 'max-failures', 'dry-run', 'rollout', 'control', 'stale-after', 'retry-failed', 'json', 'yes'],
    positional: 2,
  },
  squash: { flags: ['name', 'dry-run', 'yes', 'scratch', 'json'], positional: 2 },
};

/**
 * Parses argv (without node and script) into CliArgs. node:util splits the line (`--x=y`, `-abc`, `--`);
 * the tables above decide what each command takes, so an unknown option, one the command does not take,
 * a missing value or an extra argument is a UsageError (exit 2) naming it.
 */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const options = Object.fromEntries(FLAGS.map((f) => [f.name, f.short ? { type: f.type, short: f.short } : { type: f.type }]));
  const { tokens } = tokenize({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const given: { flag: Flag; raw: string; value?: string }[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    // -1, -2 … are TARGETs, not options.
    if (/^-\d+$/.test(argv[token.index])) {
      if (!seen.has(token.index)) positional.push(argv[token.index]);
      seen.add(token.index);
      continue;
    }
    const flag = FLAGS.find((f) => f.name === token.name);
    if (!flag) throw new UsageError(`unknown option ${token.rawName}`, 'Run `migrate-ui --help` for the options.');
    if (flag.type === 'string' && !token.value) throw new UsageError(`${token.rawName} needs a value`);
    if (flag.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    given.push({ flag, raw: token.rawName, value: token.value });
  }

  const [name, ...rest] = positional;
  if (name !== undefined && !(COMMANDS as readonly string[]).includes(name)) {
    throw new UsageError(
      `unknown command "${name}"`,
      'Commands: status, up, down, new, check, watch, stamp, verify, diff, squash, fleet, seed. Run `migrate-ui --help`.',
    );
  }
  const command = (name ?? 'tui') as Command;
  const takes = TAKES[command];
  const args: CliArgs = {
    command,
    json: false,
    dryRun: false,
    yes: false,
    allOrNothing: false,
    allowOutOfOrder: false,
    unapply: false,
    check: false,
    lockTimeoutSeconds: 30,
    color: !env.NO_COLOR,
    help: false,
    version: false,
    fromEntities: false,
    print: false,
    entities: true,
  };
  for (const { flag, raw, value } of given) {
    if (!GLOBAL.includes(flag.name) && !takes.flags.includes(flag.name)) {
      const takers = COMMANDS.filter((c) => TAKES[c].flags.includes(flag.name)).join(', ');
      const what = command === 'tui' ? `${raw} needs a command: ${takers}` : `${command} does not take ${raw}`;
      throw new UsageError(what, 'Run `migrate-ui --help` for what each command takes.');
    }
    flag.set(args, value);
  }
  if (rest.length > takes.positional) throw new UsageError(`unexpected argument "${rest[takes.positional]}"`);
  if (command === 'up' || command === 'down' || command === 'stamp') args.target = rest[0];
  if (command === 'new') args.name = rest[0];
  if (command === 'verify') args.range = rest[0];
  if (command === 'diff') {
    if (rest.length < 2)
      throw new UsageError('diff needs two schemas: A and B', 'E.g. diff head db, diff base head, diff -1 head, diff db entities.');
    [args.from, args.to] = rest;
  }
  if (command === 'fleet') fleetArgs(args, rest);
  if (command === 'squash') {
    if (rest.length < 2)
      throw new UsageError('squash needs FROM and TO', 'E.g. squash create_users add_features_table: one revision replacing the range.');
    [args.from, args.to] = rest;
  }
  return args;
}

/** fleet ACTION [TARGET]: status takes no TARGET, nor the rollout's --canary and --max-failures, nor --yes. */
function fleetArgs(args: CliArgs, [action, target]: string[]): void {
  // `fleet` alone opens the fleet screen in a terminal; elsewhere it asks for an action (main decides, knowing the terminal).
  if (action === undefined) return;
  if (action !== 'status' && action !== 'up' && action !== 'down')
    throw new UsageError(`unknown fleet action "${action}"`, 'E.g. migrate-ui fleet status, migrate-ui fleet up.');
  if (action === 'status' && target !== undefined) throw new UsageError(`unexpected argument "${target}"`);
  if (action === 'status' && (args.canary !== undefined || args.maxFailures !== undefined))
    throw new UsageError(`fleet status does not take ${args.canary !== undefined ? '--canary' : '--max-failures'}`);
  if (action !== 'down' && args.yes) throw new UsageError(`fleet ${action} does not take --yes`);
  if (action === 'status' && args.dryRun) throw new UsageError('fleet status does not take --dry-run');
  const shared = (['rollout', 'control', 'staleAfterSeconds', 'retryFailed'] as const).find((key) => args[key] !== undefined);
  const spelled = { rollout: '--rollout', control: '--control', staleAfterSeconds: '--stale-after', retryFailed: '--retry-failed' };
  if (action === 'status' && args.retryFailed) throw new UsageError('fleet status does not take --retry-failed');
  if (action === 'status' && args.rollout !== undefined && args.concurrency !== undefined)
    throw new UsageError('fleet status --rollout does not take --concurrency');
  if (shared && shared !== 'rollout' && args.rollout === undefined)
    throw new UsageError(`${spelled[shared]} belongs to a shared rollout`, 'Name it with --rollout NAME.');
  if (args.rollout !== undefined && !/^[\w.:-]{1,191}$/.test(args.rollout))
    throw new UsageError(`--rollout takes a name of letters, digits and . _ : - (at most 191), not "${args.rollout}"`);
  if (args.staleAfterSeconds !== undefined && args.staleAfterSeconds < 1) throw new UsageError('--stale-after takes at least 1 second');
  args.fleetAction = action;
  args.target = target;
}

/** `fleet` without an action where no terminal shows the fleet screen. */
export function fleetNeedsAction(): UsageError {
  return new UsageError(
    'fleet needs an action: status, up or down',
    'E.g. migrate-ui fleet status, migrate-ui fleet up; in a terminal, migrate-ui fleet alone opens the fleet screen.',
  );
}

export const HELP = `migrate-ui — safe, keyboard-driven schema changes for MikroORM projects

Usage:
  migrate-ui                    the terminal UI (in a terminal); otherwise same as status
  migrate-ui status [--json]    revisions: applied, pending, missing, modified
  migrate-ui up   [TARGET] [--dry-run] [--json] [--all-or-nothing] [--allow-out-of-order]
  migrate-ui down [TARGET] [--dry-run] [--json] [--yes]
  migrate-ui new [NAME]         in a terminal: the revision form, NAME typed in
  migrate-ui new NAME --spec FILE | --from-entities [--print] [--no-entities] [--json]
                                write a revision (and edit the entities); --print shows it and writes nothing
  migrate-ui check [--json]     exit 4 when entities and schema differ or an applied file was edited
  migrate-ui watch [--json]     data migrations running in any process, once a second, until ctrl-c
  migrate-ui stamp TARGET [--unapply] [--check [--scratch URL]] [--dry-run] [--yes] [--json]
                                mark revisions applied (or not) without running them, in both history tables;
                                --check first compares the schema with the history replayed (exit 5 if it differs)
  migrate-ui verify [RANGE] [--scratch URL] [--concurrency N] [--json]
                                prove revisions reversible (up, down, up) on scratch databases; exit 5 if not
                                (N parts of the range side by side; default 2 on MariaDB/MySQL, 1 elsewhere)
  migrate-ui diff A B [--sql] [--scratch URL] [--json]
                                the schema at A against B (head, base, a revision, +N/-N, db, entities)
  migrate-ui squash FROM TO [--name NAME] [--dry-run] [--yes] [--scratch URL] [--json]
                                one revision replacing FROM..TO (built and proven on scratch databases)
  migrate-ui fleet [--fleet FILE] [--concurrency N]
                                in a terminal: the fleet screen (every target's state, fleet up, each target's timeline)
  migrate-ui fleet status [--fleet FILE] [--json]
                                every tenant schema or database of the fleet: current revision, pending, lock, failed
  migrate-ui fleet status --rollout NAME [--control URL] [--stale-after SECONDS] [--json]
                                a shared rollout's claims: each target's state, worker, since when, heartbeat age
  migrate-ui fleet up [TARGET] [--fleet FILE] [--concurrency N] [--canary N] [--max-failures K] [--dry-run] [--json]
                                up on every target, each under its own lock; canaries first, stops after K failures
  migrate-ui fleet down [TARGET] [--yes] [--fleet FILE] [--concurrency N] [--canary N] [--max-failures K]
                        [--dry-run] [--json]
                                down on every target; the data it would lose is summed over the fleet first
                                (--dry-run: per target the revisions and their SQL, nothing written)
  migrate-ui fleet up|down … --rollout NAME [--control URL] [--stale-after SECONDS] [--retry-failed]
                                one worker of a rollout shared by any number of processes and machines
  migrate-ui seed [--rows N]    the example's features table gets N more rows (default 10000) for its backfill

TARGET: head (up's default), base or 0, a revision name, unique prefix or substring, +N, -N (down's default -1).
down X reverts every revision applied after X, so X becomes the current revision; down goes in the order the
revisions were applied, the last one first.

Options:
  --config PATH          MikroORM config (default: as the MikroORM CLI finds it)
  --db URL               another database: sqlite:PATH, postgres://…, mysql://…, mariadb://… (or DATABASE_URL)
  --lock-timeout SECONDS wait this long for another run's lock (default 30)
  --dry-run              print the SQL each revision would run, change nothing (fleet: on every target)
  --all-or-nothing       one transaction around the whole run (default: one per revision)
  --allow-out-of-order   up: also apply revisions from a merged branch that sort below the newest applied one
  --unapply              stamp: forget the records of what down TARGET would revert (nothing runs)
  --check                stamp: refuse when the database's schema differs from the history replayed on a scratch database
  --yes                  confirm a destructive down (fleet down too), a stamp or a squash, without asking
  --spec FILE            new: the operations as JSON ({ "operations": [ … ] }, see the README)
  --from-entities        new: the difference between the entities and the database, with a complete down()
  --print                new: show the file, its SQL and the entity changes; write nothing
  --no-entities          new: leave the entity files alone
  --rows N               seed: how many rows
  --name NAME            squash: the file is <TO>_NAME (default squashed)
  --scratch URL          verify, diff, stamp --check, squash: make scratch databases there (default: beside the configured one)
  --sql                  diff: the SQL that takes A to B, in the connected dialect
  --fleet FILE           fleet: the targets (default: the config file's \`export const fleet\`, else fleet.json beside
                         the config; see the README)
  --concurrency N        fleet: targets run at once (default: the config's pool max, else 4)
  --canary N             fleet up: the first N targets run first; the rest start only when they all succeeded
  --max-failures K       fleet up: start no further target after K failed (default 1)
  --rollout NAME         fleet up/down: a worker of the shared rollout NAME; workers claim targets in the control database
  --control URL          fleet --rollout: where the claims live (default: the configured database, or --db)
  --stale-after SECONDS  fleet --rollout: a worker silent this long has its target taken over (default 30)
  --retry-failed         fleet up/down --rollout: where no target of the rollout runs, its failed ones run again
  --json                 machine-readable output
  --no-color             no colours (also NO_COLOR)
  --help, --version

Exit codes: 0 done, 1 a migration failed, 2 usage/config/connection error, 3 lock timeout, 4 check found a difference,
5 verify (or squash) found a revision it cannot prove, or stamp --check found the schema differs.
130 a run stopped early: ctrl-c, SIGTERM, or a data migration cancelled (up again continues it from its checkpoint).`;
