import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import pluralize from 'pluralize';
import { mikroOrm } from '../../core/modules.js';
import { tsMorph } from './ts-morph.js';
import type { EntitySource, Naming } from './types.js';

/** MikroORM's default naming strategy (class Author → author, FeatureFlag → feature_flag, createdAt ↔ created_at). */
export function defaultNaming(): Naming {
  const { UnderscoreNamingStrategy } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  return new UnderscoreNamingStrategy();
}

/** The config's own naming strategy where it names one (a class), else MikroORM's default. */
export function namingOf(strategy: unknown): Naming {
  if (typeof strategy === 'function') return new (strategy as new () => Naming)();
  return defaultNaming();
}

/** The last word of a snake_case name in the singular, by pluralize's English rules: projects → project, country_aliases → country_alias, campus stays. */
export function singular(table: string): string {
  let known = SINGULARS.get(table);
  if (known === undefined) {
    const cut = table.lastIndexOf('_') + 1;
    known = table.slice(0, cut) + pluralize.singular(table.slice(cut));
    SINGULARS.set(table, known);
  }
  return known;
}

// pluralize's rules are slow, and a spec creating many tables asks again for each table's neighbours.
const SINGULARS = new Map<string, string>();

/** The entity name for a new table: singular (projects → Project), unless the project names classes after plural tables (Users). */
export function entityNameFor(table: string, neighbours: EntitySource[], naming: Naming): string {
  const keepsPlural = neighbours.some((e) => singular(e.table) !== e.table && naming.classToTableName(e.entityName) === e.table);
  return naming.getEntityName(keepsPlural ? table : singular(table));
}

/** The declaration name for an entity, with the suffix the neighbours add to theirs (ChannelSchema → Schema). */
export function declarationFor(entityName: string, neighbour: EntitySource | undefined): string {
  if (!neighbour?.declaration.startsWith(neighbour.entityName)) return entityName;
  return entityName + neighbour.declaration.slice(neighbour.entityName.length);
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const snake = (name: string) => kebab(name).replaceAll('-', '_');

/** The path of a new entity file beside a neighbour, named as the neighbour's file is (user.ts, User.ts, user.entity.ts…). */
export function entityFileFor(entityName: string, neighbour: EntitySource): string {
  const ext = extname(neighbour.file);
  const base = basename(neighbour.file, ext);
  const shapes = [(n: string) => n, kebab, snake, (n: string) => n.toLowerCase()];
  const shape = shapes.find((s) => base.startsWith(s(neighbour.entityName))) ?? kebab;
  const suffix = base.startsWith(shape(neighbour.entityName)) ? base.slice(shape(neighbour.entityName).length) : '';
  return join(dirname(neighbour.file), `${shape(entityName)}${suffix}${ext}`);
}

/** How a file writes relative imports: with `.js` (ESM under NodeNext), `.ts`, or no extension. */
export type ImportExtension = '.js' | '.ts' | '';

/** The module specifier from one file to another, in the given extension style. */
export function specifierFor(from: string, to: string, extension: ImportExtension): string {
  let path = relative(dirname(from), to).split(sep).join('/');
  if (!path.startsWith('.')) path = `./${path}`;
  const ext = extname(path);
  const bare = path.slice(0, path.length - ext.length);
  const mapped = extension === '.js' ? ext.replace('ts', 'js') : extension === '.ts' ? ext : '';
  return bare + mapped;
}

/** The extension style of a file's relative imports, from the first one it has. */
export function extensionStyle(specifiers: string[]): ImportExtension | undefined {
  const relativeOnes = specifiers.filter((s) => s.startsWith('.'));
  if (relativeOnes.length === 0) return undefined;
  const first = relativeOnes[0];
  if (['.js', '.mjs', '.cjs'].some((e) => first.endsWith(e))) return '.js';
  if (['.ts', '.mts', '.cts'].some((e) => first.endsWith(e))) return '.ts';
  return '';
}

/**
 * The extension relative imports need where no file shows one, from the TypeScript settings and package.json that
 * govern `file`: `.js` where the nearest tsconfig (its `extends` followed) resolves modules as node16/nodenext (a
 * `module` of node16/nodenext implies it), or where package.json says `"type": "module"` and the resolution is not
 * `bundler`; none otherwise. TS2835 is what a bare `./user` gets under node16/nodenext.
 */
export function moduleExtension(file: string): ImportExtension {
  const { ts } = tsMorph();
  const dir = dirname(file);
  const tsconfig = nearest(dir, 'tsconfig.json');
  let resolution: number | undefined;
  if (tsconfig) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    // Only the options are wanted: no directory is listed for the files they include.
    const host = { ...ts.sys, readDirectory: () => [] };
    const { options } = ts.parseJsonConfigFileContent(read.config ?? {}, host, dirname(tsconfig), undefined, tsconfig);
    const nodeModule = options.module !== undefined && options.module >= ts.ModuleKind.Node16 && options.module <= ts.ModuleKind.NodeNext;
    resolution = options.moduleResolution ?? (nodeModule ? ts.ModuleResolutionKind.NodeNext : undefined);
  }
  const { Node16, NodeNext, Bundler } = ts.ModuleResolutionKind;
  if (resolution === Node16 || resolution === NodeNext) return '.js';
  if (resolution === Bundler) return '';
  const pkg = nearest(dir, 'package.json');
  try {
    return pkg && JSON.parse(readFileSync(pkg, 'utf8'))?.type === 'module' ? '.js' : '';
  } catch {
    return '';
  }
}

/** The closest file of that name in `dir` or a folder above it. */
function nearest(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, name))) return join(at, name);
    if (dirname(at) === at) return undefined;
  }
}

/** How an entity names the property of a column: camelCase (createdAt for created_at), or the column name itself. */
export type PropertyConvention = 'camel' | 'column';

/** The convention a list of (property, column) pairs follows; undefined where it cannot tell (id, name…). */
export function conventionOf(pairs: Array<{ name: string; column: string }>): PropertyConvention | undefined {
  if (pairs.some((p) => p.name !== p.column && !p.name.includes('_'))) return 'camel';
  if (pairs.some((p) => p.name.includes('_'))) return 'column';
  return undefined;
}

/** The property name for a column under a convention. */
export function propertyFor(column: string, convention: PropertyConvention, naming: Naming): string {
  return convention === 'camel' ? naming.columnNameToProperty(column) : column;
}
