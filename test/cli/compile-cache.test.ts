import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CACHE = pathToFileURL(resolve('dist/src/cli/compile-cache.js')).href;
const scratch = mkdtempSync(join(tmpdir(), 'mui-compile-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package whose code finds where it is from a stack trace, as `bindings` (sqlite3's loader) does. */
function project(name: string): string {
  const dir = join(scratch, name, 'node_modules', 'probe');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), "module.exports = { where: new Error('here').stack.split('\\n')[1] };\n");
  return join(dir, 'index.js');
}

/** Loads the package in a fresh process with the compile cache on (its folder in `cache`), as the binary does. */
function where(file: string, cache: string): string {
  const script = `import(${JSON.stringify(CACHE)}).then((m) => { m.enableCompileCache(); console.log(require(${JSON.stringify(file)}).where); });`;
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: cache, NODE_DISABLE_COMPILE_CACHE: '' } }).toString();
}

describe('the compile cache kept between runs', () => {
  it('gives a copy of the same package elsewhere its own path, not the cached one', () => {
    const cache = join(scratch, 'tmp');
    mkdirSync(cache);
    const first = project('one');
    const second = project('two');
    expect(where(first, cache)).toContain(first);
    // Cached now: the same text at another path must still say where it is.
    expect(where(first, cache)).toContain(first);
    expect(where(second, cache)).toContain(second);
  });
});

describe('the compile cache read back', () => {
  it('finds what an earlier start compiled, beside entries of other packages, and leaves the file as it is', () => {
    const cache = join(scratch, 'tmp-again');
    mkdirSync(cache);
    const files = ['a', 'b', 'c', 'd'].map((name) => project(`again-${name}`));
    // Four starts, one package each: the cache holds them all, each save merging what was there.
    for (const file of files) expect(where(file, cache)).toContain(file);
    const [saved] = readdirSync(join(cache, readdirSync(cache)[0]));
    const path = join(cache, readdirSync(cache)[0], saved);
    const before = statSync(path);
    // Each found in the cache: nothing compiled afresh, so the file is not written again (a save is a new file).
    for (const file of files) expect(where(file, cache)).toContain(file);
    expect(statSync(path).ino).toBe(before.ino);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(join(cache, readdirSync(cache)[0]))).toEqual([saved]);
  });
});
