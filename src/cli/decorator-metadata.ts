import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { cliTsConfigPath } from '../core/config.js';

type TypeScript = typeof import('typescript');

interface ModuleWithCompile {
  _compile(code: string, filename: string): void;
}

/** The tsconfig.json the MikroORM CLI would read: MIKRO_ORM_CLI_TS_CONFIG_PATH or package.json's mikro-orm.tsConfigPath, else ./tsconfig.json. */
function findTsConfig(cwd: string, projectDir: string): string | undefined {
  const named = cliTsConfigPath(cwd);
  if (named && existsSync(named)) return named;
  for (const dir of [cwd, projectDir]) {
    try {
      const configured = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))?.['mikro-orm']?.tsConfigPath;
      if (typeof configured === 'string' && existsSync(resolve(dir, configured))) return resolve(dir, configured);
    } catch {
      // No package.json, or not JSON: look for the plain file.
    }
    if (existsSync(join(dir, 'tsconfig.json'))) return join(dir, 'tsconfig.json');
  }
  return undefined;
}

/** Whether the text of a tsconfig or of one it extends mentions the option (cheap: TypeScript itself loads only if so). */
function mentionsDecoratorMetadata(path: string, depth = 0): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  if (/"emitDecoratorMetadata"\s*:\s*true/.test(text)) return true;
  const parent = /"extends"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  if (!parent || depth > 4) return false;
  const candidates = [resolve(dirname(path), parent), resolve(dirname(path), `${parent}.json`)];
  return candidates.some((c) => existsSync(c) && mentionsDecoratorMetadata(c, depth + 1));
}

/**
 * Where the project's tsconfig sets emitDecoratorMetadata (decorator entities read by MikroORM's default
 * ReflectMetadataProvider), .ts files compile with the project's own TypeScript, as ts-node does for the
 * MikroORM CLI: tsx's esbuild emits no decorator metadata. tsx still resolves the files. Returns whether it did.
 */
export function compileWithTypeScriptWhereDecoratorsNeedIt(cwd: string, projectDir: string): boolean {
  const tsconfig = findTsConfig(cwd, projectDir);
  if (!tsconfig || !mentionsDecoratorMetadata(tsconfig)) return false;
  let ts: TypeScript;
  try {
    ts = createRequire(tsconfig)('typescript') as TypeScript;
  } catch {
    return false;
  }
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(tsconfig));
  if (!parsed.options.emitDecoratorMetadata) return false;
  const compilerOptions = {
    ...parsed.options,
    module: ts.ModuleKind.CommonJS,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
  };
  const Module = createRequire(import.meta.url)('node:module') as {
    _extensions: Record<string, (module: ModuleWithCompile, filename: string) => void>;
  };
  for (const ext of ['.ts', '.cts', '.tsx']) {
    const fallback = Module._extensions[ext];
    Module._extensions[ext] = (module, filename) => {
      if (/[\\/]node_modules[\\/]/.test(filename) || filename.endsWith('.d.ts')) return fallback(module, filename);
      const output = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
      module._compile(output.outputText, filename);
    };
  }
  return true;
}
