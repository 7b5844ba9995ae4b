import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/core/errors.js';

const parse = (...argv: string[]) => parseArgs(argv, {});
const usageError = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as UsageError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
};

describe('parseArgs', () => {
  it('opens the TUI with defaults when given nothing', () => {
    expect(parse()).toEqual({
      command: 'tui',
      json: false,
      dryRun: false,
      yes: false,
      allOrNothing: false,
      allowOutOfOrder: false,
      unapply: false,
      check: false,
      lockTimeoutSeconds: 30,
      color: true,
      help: false,
      version: false,
      fromEntities: false,
      print: false,
      entities: true,
    });
  });

  it('reads new NAME with its spec, --from-entities, --print and --no-entities', () => {
    expect(parse('new', 'add_projects', '--spec', 'spec.json', '--print', '--no-entities')).toMatchObject({
      command: 'new',
      name: 'add_projects',
      spec: 'spec.json',
      print: true,
      entities: false,
    });
    expect(parse('new', 'sync', '--from-entities')).toMatchObject({ name: 'sync', fromEntities: true });
  });

  it('reads each command, and a TARGET for up and down', () => {
    for (const command of ['status', 'up', 'down', 'check']) expect(parse(command).command).toBe(command);
    expect(parse('up', 'head').target).toBe('head');
    expect(parse('up', '+2').target).toBe('+2');
    expect(parse('down', 'add_feature').target).toBe('add_feature');
    expect(parse('down').target).toBeUndefined();
    expect(parse('up', '--allow-out-of-order')).toMatchObject({ command: 'up', allowOutOfOrder: true });
    expect(parse('stamp', 'head', '--unapply', '--yes')).toMatchObject({ command: 'stamp', target: 'head', unapply: true, yes: true });
    expect(parse('stamp', 'head', '--check', '--scratch', 'sqlite:/tmp')).toMatchObject({ command: 'stamp', check: true, scratch: 'sqlite:/tmp' });
    expect(parse('squash', 'a', 'b', '--name', 'init', '--dry-run', '--json')).toMatchObject({
      command: 'squash',
      from: 'a',
      to: 'b',
      name: 'init',
      dryRun: true,
      json: true,
    });
    expect(usageError('squash', 'a')).toBe('squash needs FROM and TO');
  });

  it('takes -N as a TARGET, not as an option', () => {
    expect(parse('down', '-2', '--yes')).toMatchObject({ command: 'down', target: '-2', yes: true });
  });

  it('reads the boolean flags, long and short, anywhere on the line', () => {
    expect(parse('--json', 'up', '--dry-run', '--all-or-nothing', '-y')).toMatchObject({
      command: 'up',
      json: true,
      dryRun: true,
      allOrNothing: true,
      yes: true,
    });
    expect(parse('-h').help).toBe(true);
    expect(parse('--version').version).toBe(true);
    expect(parse('-V').version).toBe(true);
  });

  it('reads value options, separate or with =', () => {
    expect(parse('status', '--config', 'conf/mikro-orm.config.ts', '--db=postgres://a@b/c', '--lock-timeout', '2.5')).toMatchObject({
      config: 'conf/mikro-orm.config.ts',
      db: 'postgres://a@b/c',
      lockTimeoutSeconds: 2.5,
    });
    expect(parse('seed', '--rows', '500').rows).toBe(500);
  });

  it('turns colour off with --no-color or NO_COLOR', () => {
    expect(parse('--no-color').color).toBe(false);
    expect(parseArgs(['status'], { NO_COLOR: '1' }).color).toBe(false);
  });

  it('rejects an unknown command', () => {
    expect(usageError('frobnicate')).toBe('unknown command "frobnicate"');
  });

  it('rejects an unknown option', () => {
    expect(usageError('up', '--frob')).toBe('unknown option --frob');
    expect(usageError('-x')).toBe('unknown option -x');
  });

  it('rejects a missing or wrong option value', () => {
    expect(usageError('status', '--db')).toBe('--db needs a value');
    expect(usageError('status', '--config=')).toBe('--config needs a value');
    expect(usageError('up', '--lock-timeout', 'soon')).toBe('--lock-timeout takes a number, not "soon"');
    expect(usageError('up', '--lock-timeout', '-1')).toBe('--lock-timeout takes a number, not "-1"');
    expect(usageError('seed', '--rows', '1.5')).toBe('--rows takes a number, not "1.5"');
  });

  it('rejects arguments a command does not take', () => {
    expect(usageError('status', 'extra')).toBe('unexpected argument "extra"');
    expect(usageError('up', 'head', 'more')).toBe('unexpected argument "more"');
  });

  it('rejects an option the command does not take, naming both', () => {
    expect(usageError('status', '--yes')).toBe('status does not take --yes');
    expect(usageError('status', '--spec', 'x')).toBe('status does not take --spec');
    expect(usageError('check', '--all-or-nothing')).toBe('check does not take --all-or-nothing');
    expect(usageError('down', '--all-or-nothing')).toBe('down does not take --all-or-nothing');
    expect(usageError('up', '--print')).toBe('up does not take --print');
    expect(usageError('--dry-run')).toBe('--dry-run needs a command: up, down, stamp, fleet, squash');
    expect(usageError('up', '--name', 'x')).toBe('up does not take --name');
    expect(usageError('down', '--allow-out-of-order')).toBe('down does not take --allow-out-of-order');
    expect(usageError('up', '--unapply')).toBe('up does not take --unapply');
    expect(usageError('status', '--rows', '5')).toBe('status does not take --rows');
  });

  it('rejects a value given to a switch', () => {
    expect(usageError('status', '--json=yes')).toBe('--json takes no value');
  });

  it('still reads the global options with every command, and -- ends the options', () => {
    for (const command of ['status', 'up', 'down', 'check', 'new', 'watch', 'seed'])
      expect(parse(command, '--db', 'sqlite:x.db', '--no-color', '--lock-timeout=3')).toMatchObject({
        command,
        db: 'sqlite:x.db',
        color: false,
        lockTimeoutSeconds: 3,
      });
    expect(parse('down', '--', '-2')).toMatchObject({ target: '-2' });
  });
});
