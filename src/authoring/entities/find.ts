import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import type { Node, Project, PropertyAssignment, SourceFile } from 'ts-morph';
import type { Database } from '../../core/database.js';
import { sourcesIn } from './detect.js';
import { discoverEntities } from './metadata.js';
import { namingOf } from './names.js';
import { keyOf } from './options.js';
import { tsMorph } from './ts-morph.js';
import type { EntityProject, EntityRegistry, EntitySource } from './types.js';

export interface FindEntitiesInput {
  configPath: string;
  projectDir: string;
  /** MikroORM's `baseDir`, which entity paths and globs are relative to. */
  baseDir: string;
  /** The config's `entities` and `entitiesTs` as loaded: classes and schemas, or paths and globs. */
  entities: unknown[];
  entitiesTs?: unknown[];
  /** The config's `namingStrategy` (a class), where it sets one. */
  namingStrategy?: unknown;
  /** The opened project, whose config MikroORM's discovery then reads as check does; without it, the entities listed. */
  db?: Database;
}

/** Reads project files (TypeScript only) into an in-memory ts-morph project, once each. */
class Reader {
  readonly project: Project = new (tsMorph().Project)({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });

  parse(path: string): SourceFile | undefined {
    const cached = this.project.getSourceFile(path);
    if (cached) return cached;
    if (!existsSync(path) || !statSync(path).isFile()) return undefined;
    return this.project.createSourceFile(path, readFileSync(path, 'utf8'));
  }
}

const TS_FOR_JS: Array<[string, string]> = [
  ['.js', '.ts'],
  ['.mjs', '.mts'],
  ['.cjs', '.cts'],
  ['.jsx', '.tsx'],
];

/** The TypeScript file a relative import names (`./user.js` → user.ts, `./entities` → entities/index.ts). */
function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const mapped = TS_FOR_JS.filter(([js]) => base.endsWith(js)).map(([js, ts]) => base.slice(0, -js.length) + ts);
  const candidates = [...mapped, base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.cts`, `${base}/index.ts`];
  return candidates.find((c) => TS_FOR_JS.some(([, ts]) => c.endsWith(ts)) && existsSync(c) && statSync(c).isFile());
}

/** The file that declares what `name` refers to in `file`: a local declaration, or an import followed through re-exports. */
function declaringFile(reader: Reader, file: SourceFile, name: string, depth = 0): { file: SourceFile; node: Node } | undefined {
  const local = file.getClass(name) ?? file.getVariableDeclaration(name);
  if (local) return { file, node: local };
  if (depth > 4) return undefined;
  for (const declaration of file.getImportDeclarations()) {
    const named = declaration.getNamedImports().find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name);
    const isDefault = declaration.getDefaultImport()?.getText() === name;
    const target = (named || isDefault) && resolveModule(file.getFilePath(), declaration.getModuleSpecifierValue());
    const parsed = target ? reader.parse(target) : undefined;
    if (!parsed) continue;
    if (isDefault) return { file: parsed, node: parsed.getClasses().find((c) => c.isDefaultExport()) ?? parsed };
    return exported(reader, parsed, named!.getName(), depth + 1);
  }
  return undefined;
}

/** What a module exports as `name`: its own declaration, or one it re-exports (`export { X } from`, `export * from`). */
function exported(reader: Reader, file: SourceFile, name: string, depth: number): { file: SourceFile; node: Node } | undefined {
  const own = declaringFile(reader, file, name, depth);
  if (own) return own;
  for (const declaration of file.getExportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    const target = specifier && resolveModule(file.getFilePath(), specifier);
    const parsed = target ? reader.parse(target) : undefined;
    const named = declaration.getNamedExports().find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name);
    if (parsed && named) return exported(reader, parsed, named.getName(), depth + 1);
    if (parsed && declaration.isNamespaceExport()) {
      const found = exported(reader, parsed, name, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The TypeScript file a name is imported from (the first hop, a barrel where there is one). */
function importedFrom(file: SourceFile, name: string): string | undefined {
  const declaration = file
    .getImportDeclarations()
    .find((d) => d.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name));
  return declaration && resolveModule(file.getFilePath(), declaration.getModuleSpecifierValue());
}

/** A config's `key: …`: in its file, or in an object it spreads in from another module (`{ ...base, host }`). */
function configProperty(reader: Reader, file: SourceFile, key: string, depth = 0): { file: SourceFile; assignment: PropertyAssignment } | undefined {
  const { Node, SyntaxKind } = tsMorph();
  const assignment = file.getDescendantsOfKind(SyntaxKind.PropertyAssignment).find((p) => keyOf(p) === key);
  if (assignment) return { file, assignment };
  if (depth > 2) return undefined;
  for (const spread of file.getDescendantsOfKind(SyntaxKind.SpreadAssignment)) {
    const expression = spread.getExpression();
    const found = Node.isIdentifier(expression) ? declaringFile(reader, file, expression.getText()) : undefined;
    const inner = found && found.file !== file ? configProperty(reader, found.file, key, depth + 1) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The barrel of `Object.values(entities)` over `import * as entities from './entities'`: every export an entity. */
function namespaceValues(config: SourceFile, value: Node): string | undefined {
  const { Node } = tsMorph();
  if (!Node.isCallExpression(value) || value.getExpression().getText() !== 'Object.values') return undefined;
  const [argument] = value.getArguments();
  if (!argument || !Node.isIdentifier(argument)) return undefined;
  const name = argument.getText();
  const declaration = config.getImportDeclarations().find((d) => d.getNamespaceImport()?.getText() === name);
  return declaration && resolveModule(config.getFilePath(), declaration.getModuleSpecifierValue());
}

/** The files of the entities a config lists by reference, and the array (in the config or a module) that lists them. */
function followConfig(reader: Reader, configPath: string, key: string, notes: string[]): { registry?: EntityRegistry; files: string[] } {
  const { Node } = tsMorph();
  const parsed = reader.parse(configPath);
  const property = parsed && configProperty(reader, parsed, key);
  const config = property?.file ?? parsed;
  let value = property?.assignment.getInitializer();
  let registry: EntityRegistry = { file: config?.getFilePath() ?? configPath, name: key };
  if (config && value && Node.isIdentifier(value)) {
    const found = declaringFile(reader, config, value.getText());
    if (found && Node.isVariableDeclaration(found.node)) {
      registry = { file: found.file.getFilePath(), name: found.node.getName() };
      value = found.node.getInitializer();
    }
  }
  const barrel = config && value && namespaceValues(config, value);
  if (barrel) return { registry: { file: config.getFilePath(), name: key, barrel, wholeBarrel: true }, files: [] };
  if (!config || !value || !Node.isArrayLiteralExpression(value)) {
    notes.push(`${key} in ${basename(configPath)} is not a list of entities written out; a new entity is not registered there`);
    return { files: [] };
  }
  const holder = reader.parse(registry.file)!;
  const files: string[] = [];
  for (const element of value.getElements()) {
    if (Node.isStringLiteral(element) || Node.isNoSubstitutionTemplateLiteral(element)) continue;
    const found = Node.isIdentifier(element) ? declaringFile(reader, holder, element.getText()) : undefined;
    if (found) files.push(found.file.getFilePath());
    else notes.push(`cannot follow ${element.getText()} in ${key} to its file; its entity is not edited`);
    const from = found && importedFrom(holder, element.getText());
    if (from && from !== found.file.getFilePath()) registry.barrel = from;
  }
  return { registry, files };
}

/** The TypeScript files that entity paths and globs match, filtered as MikroORM's discovery filters them. */
function matchPaths(paths: string[], baseDir: string, notes: string[]): string[] {
  if (paths.length === 0) return [];
  // MikroORM's own glob library (a dependency of @mikro-orm/core), so paths match what its discovery finds.
  const core = createRequire(import.meta.url).resolve('@mikro-orm/core');
  const globby = createRequire(core)('globby') as { sync(patterns: string[], options: { cwd: string; absolute: boolean }): string[] };
  const found = globby
    .sync(
      paths.map((p) => p.replaceAll('\\', '/')),
      { cwd: baseDir.replaceAll('\\', '/'), absolute: true },
    )
    .filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !basename(f).startsWith('.') && !/^index\.[cm]?[jt]s$/.test(basename(f)));
  const sources = found.filter((f) => TS_FOR_JS.some(([, ts]) => f.endsWith(ts)));
  if (found.length > sources.length && sources.length === 0) {
    notes.push(`entities are listed as compiled files (${paths.join(', ')}); name their sources in entitiesTs to have them edited`);
  }
  return sources.map((f) => resolve(f));
}

/**
 * Finds the entity definitions of a project: the files its config's `entities`/`entitiesTs` name, parsed, and what
 * MikroORM's discovery says of each (tables, keys, inherited properties). ts-morph loads before the first await.
 */
export async function findEntities(input: FindEntitiesInput): Promise<EntityProject> {
  const naming = namingOf(input.namingStrategy);
  const useTs = (input.entitiesTs?.length ?? 0) > 0;
  const listed = useTs ? input.entitiesTs! : input.entities;
  const reader = new Reader();
  const notes: string[] = [];
  const paths = listed.filter((e): e is string => typeof e === 'string');
  const followed = paths.length < listed.length ? followConfig(reader, input.configPath, useTs ? 'entitiesTs' : 'entities', notes) : { files: [] };
  const texts = new Map<string, string>();
  const entities: EntitySource[] = [];
  for (const path of new Set([...followed.files, ...matchPaths(paths, input.baseDir, notes)])) {
    const file = reader.parse(path);
    const found = file ? sourcesIn(file, naming) : [];
    if (found.length === 0) continue;
    texts.set(path, file!.getFullText());
    entities.push(...found);
  }
  for (const file of [followed.registry?.file, followed.registry?.barrel]) if (file) texts.set(file, reader.parse(file)!.getFullText());
  const discovered = await discoverEntities({ db: input.db, baseDir: input.baseDir, entities: listed, namingStrategy: input.namingStrategy }, naming);
  // What MikroORM found where the config could not be followed (a list built at run time…): read from the files it names.
  const known = new Set(entities.map((e) => e.entityName));
  for (const { file: path } of discovered?.values() ?? []) {
    if (!path || texts.has(path) || /[\\/]node_modules[\\/]/.test(path) || !TS_FOR_JS.some(([, ts]) => path.endsWith(ts))) continue;
    const file = reader.parse(path);
    const found = file ? sourcesIn(file, naming).filter((e) => !known.has(e.entityName)) : [];
    if (found.length === 0) continue;
    texts.set(path, file!.getFullText());
    entities.push(...found);
  }
  for (const entity of entities) entity.table = discovered?.get(entity.entityName)?.table ?? entity.table;
  return {
    configPath: input.configPath,
    projectDir: input.projectDir,
    entities,
    registry: followed.registry,
    files: texts,
    naming,
    notes,
    discovered,
  };
}
