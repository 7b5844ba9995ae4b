import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { frameLines } from '../helpers/ink.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';
import { openProject, uiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 6 (planted bugs): the TUI header, like the text status, never shows a password.
// PostgreSQL here trusts local connections, so a URL with any password connects.
describe('the TUI header with a password in the URL (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  const example = uiExample();
  let app: RenderedApp | undefined;
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });
  afterAll(() => example.remove());

  it.for([
    ['without special characters', 'hunter2pw', ['hunter2']],
    ['with an @ in it', 's3cr@3tPW', ['s3cr', '3tPW']],
    ['with a space in it', 's3 cr3tPW', ['s3 cr', 'cr3tPW']],
    ['with an @ then a space in it (issue 17)', 'qzx@vkw jyp', ['qzx', 'vkw', 'jyp']],
    ['with several @ and spaces (issue 17)', 'Jq7@ Zx9@ Wv4', ['Jq7', 'Zx9', 'Wv4']],
  ] as const)('a password %s shows as *** and no part of it anywhere', async ([, password, secret], ctx) => {
    const db = database(ctx);
    const { username, host, pathname } = new URL(db.url);
    const project = await openProject(example.configPath, `postgres://${username}:${password}@${host}${pathname}`);
    try {
      app = await renderApp(project, { columns: 160 });
      const frame = app.lastFrame()!;
      expect(frameLines(frame)).toContainEqual(
        expect.stringMatching(new RegExp(`^postgresql\\s+postgres://${username}:\\*\\*\\*@${host.replace(/\./g, '\\.')}${pathname}\\s*$`)),
      );
      for (const part of secret) expect(app.frames.join('\n')).not.toContain(part);
    } finally {
      app?.unmount();
      app = undefined;
      await project.close();
    }
  });

  it('credential query parameters (?password=, ?sslpassword=) show as *** (issue 17)', async (ctx) => {
    const { username, host, pathname } = new URL(database(ctx).url);
    const project = await openProject(example.configPath, `postgres://${username}@${host}${pathname}?password=Rq8vT3kz&sslpassword=Hy5wLp2m`);
    try {
      app = await renderApp(project, { columns: 160 });
      expect(frameLines(app.lastFrame()!)).toContainEqual(
        expect.stringContaining(`postgres://${username}@${host}${pathname}?password=***&sslpassword=***`),
      );
      for (const part of ['Rq8vT3kz', 'Hy5wLp2m']) expect(app.frames.join('\n')).not.toContain(part);
    } finally {
      app?.unmount();
      app = undefined;
      await project.close();
    }
  });
});
