import type { EventEmitter } from 'node:events';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { Project } from '../../src/core/project.js';
import { Root } from '../../src/ui/root.js';
import { fleetSource } from '../../src/ui/start-tui.js';
import { plain, resize, waitForFrame } from './ink.js';
import type { RenderedApp } from './render-app.js';
import { openProject, uiExample, type ExampleCopy } from './ui-project.js';

/** The example copied with a fleet of SQLite files beside it (`tenants/NAME.sqlite`, listed in fleet.json) and its own base database. */
export interface SqliteFleet {
  example: ExampleCopy;
  base: Project;
  /** The URL of target `name`'s file. */
  url(name: string): string;
  /** Applies the example's revisions on target `name` up to `revision` (`head` by default). */
  up(name: string, revision?: string): Promise<void>;
  /** The revisions target `name`'s MikroORM table holds, in order. */
  history(name: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function sqliteFleet(names: string[], options: { exported?: boolean } = {}): Promise<SqliteFleet> {
  const example = uiExample();
  mkdirSync(join(example.dir, 'tenants'));
  const targets = names.map((name) => ({ url: `sqlite:./tenants/${name}.sqlite`, name }));
  // The fleet in fleet.json, or (exported) as the config's own `fleet` export, with no fleet.json.
  if (options.exported) appendFileSync(example.configPath, `\nexport const fleet = { targets: ${JSON.stringify(targets)} };\n`);
  else writeFileSync(join(example.dir, 'fleet.json'), JSON.stringify({ targets }, null, 2));
  const url = (name: string) => `sqlite:${join(example.dir, 'tenants', `${name}.sqlite`)}`;
  const base = await openProject(example.configPath, `sqlite:${join(example.dir, 'base.sqlite')}`);
  const onTarget = async <T,>(name: string, fn: (project: Project) => Promise<T>) => {
    const project = await openProject(example.configPath, url(name));
    try {
      return await fn(project);
    } finally {
      await project.close();
    }
  };
  return {
    example,
    base,
    url,
    up: (name, revision) => onTarget(name, async (p) => void (await p.runner().run({ direction: 'up', target: revision }))),
    history: (name) => onTarget(name, async (p) => (await p.timeline()).revisions.filter((r) => r.status === 'applied').map((r) => r.name)),
    async close() {
      await base.close();
      example.remove();
    },
  };
}

/**
 * Renders the app as `migrate-ui` starts it (the Root, with the fleet found beside the config): on the fleet screen
 * when `open` (`migrate-ui fleet`), else on the timeline.
 */
export async function renderRoot(
  project: Project,
  cwd: string,
  options: { open?: boolean; columns?: number; rows?: number; signals?: EventEmitter; lockTimeoutMs?: number; dbUrl?: string } = {},
): Promise<RenderedApp> {
  let code: number | undefined;
  // As `migrate-ui --db URL fleet`: each target's project opens with the same --db.
  const fleet = await fleetSource(project, {
    color: false,
    lockTimeoutSeconds: 30,
    cwd,
    env: {},
    dbUrl: options.dbUrl,
    fleet: { open: options.open },
  });
  const app = render(
    <Root
      project={project}
      color={false}
      cwd={cwd}
      lockTimeoutMs={options.lockTimeoutMs ?? 30_000}
      onExit={(c) => (code = c)}
      signals={options.signals}
      fleet={fleet}
    />,
  );
  resize(app.stdout, options.columns ?? 100, options.rows ?? 30);
  const sized = app.frames.length;
  await waitForFrame(app.lastFrame, (f) =>
    options.open ? plain(f).includes('targets  ') : plain(f).includes('current ') && !plain(f).includes('current reading'),
  );
  return Object.assign(app, { exitCode: () => code, frames: app.frames, sizedFrames: () => app.frames.slice(sized) });
}

/** The fleet screen's row of target `name` ('' when it is not on screen). */
export function targetRow(frame: string, name: string): string {
  return (
    plain(frame)
      .split('\n')
      .find((l) => new RegExp(`^[› ] \\S ${name}\\s`).test(l)) ?? ''
  );
}
