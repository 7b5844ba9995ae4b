import { dirname, join, resolve } from 'node:path';
import type { ArrayLiteralExpression, ExportDeclaration, SourceFile } from 'ts-morph';
import { dropUnusedImport, ensureImport, importer } from './imports.js';
import { extensionStyle, type ImportExtension, moduleExtension, specifierFor } from './names.js';
import { keyOf } from './options.js';
import { type Change, insertItem, insertItems, ownStart, quoted, quoteOf, removeItem, removeLines } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntityRegistry, EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

// Where a config lists its entities one by one (`entities: [User, Feature]`), a new entity is added to that
// list and imported; a dropped one leaves both. Where the list comes through a barrel (`index.ts`), the barrel
// re-exports it too; where the config takes the barrel whole (`Object.values(entities)`), only the barrel changes.

const CONFIG_KEYS = ['entities', 'entitiesTs'];

/** The array literals of the registry: `entities` and `entitiesTs` of a config, or the exported variable it imports. */
export function registryArrays(file: SourceFile, registry: EntityRegistry): ArrayLiteralExpression[] {
  const { Node, SyntaxKind } = tsMorph();
  const names = CONFIG_KEYS.includes(registry.name) ? CONFIG_KEYS : [registry.name];
  const values = [
    ...file.getDescendantsOfKind(SyntaxKind.PropertyAssignment).filter((p) => names.includes(keyOf(p) ?? '')),
    ...file.getVariableDeclarations().filter((v) => names.includes(v.getName())),
  ].map((node) => node.getInitializer());
  return values.filter(
    (v): v is ArrayLiteralExpression => v !== undefined && Node.isArrayLiteralExpression(v) && v.getElements().some((e) => Node.isIdentifier(e)),
  );
}

/**
 * The extension style of the file's relative imports (`./entities/user.js`), else of any project file's; where none
 * has one, what the project's tsconfig and package.json make them need.
 */
export function importStyle(ws: Workspace, files: string[]): ImportExtension {
  for (const path of files) {
    const style = fileImportStyle(ws, path);
    if (style !== undefined) return style;
  }
  return files.length > 0 ? moduleExtension(files[0]) : '';
}

/** The extension style of one file's relative imports; undefined where it has none. */
export function fileImportStyle(ws: Workspace, path: string): ImportExtension | undefined {
  if (!ws.has(path)) return undefined;
  return extensionStyle(
    ws
      .file(path)
      .getImportDeclarations()
      .map((d) => d.getModuleSpecifierValue()),
  );
}

/** Lists new entities in the registry and imports them there, in one edit (the registry is parsed once, however many). */
export function register(ws: Workspace, registry: EntityRegistry, entities: EntitySource[], projectFiles: string[], stepwise = false): void {
  if (entities.length === 0) return;
  const file = ws.file(registry.file);
  // Where the config imports its entities through a barrel, new ones are imported from it and exported there.
  const barrel =
    registry.barrel && file.getImportDeclarations().find((d) => resolvesTo(registry.file, d.getModuleSpecifierValue(), registry.barrel!));
  if (!registry.wholeBarrel) {
    const arrays = registryArrays(file, registry);
    if (arrays.length === 0) return;
    const changes: Change[] = [];
    for (const array of arrays) {
      const listed = new Set(array.getElements().map((e) => e.getText()));
      const missing = entities.map((e) => e.declaration).filter((d) => !listed.has(d));
      if (missing.length > 0) changes.push(insertItems(array, array.getElements(), missing));
    }
    const style = importStyle(ws, [registry.file, ...projectFiles]);
    const specifier = (e: EntitySource) => (barrel ? barrel.getModuleSpecifierValue() : specifierFor(registry.file, e.file, style));
    const add = importer(file);
    const imports = entities.flatMap((e) => add(specifier(e), e.declaration));
    ws.change(registry.file, [...changes, ...joinInsertions(imports)]);
  }
  if (!barrel) return;
  const barrelStyle = () => importStyle(ws, [registry.barrel!, ...projectFiles]);
  if (!stepwise && reExportAll(ws, registry.barrel!, entities, barrelStyle())) return;
  for (const entity of entities) reExport(ws, registry.barrel!, entity, specifierFor(registry.barrel!, entity.file, barrelStyle()));
}

/**
 * The entities added to a barrel in one edit, each as `reExport` adds it (a thousand new entities would re-parse the
 * barrel a thousand times); false where one edit could differ from those one by one (an `export { … }` list in a
 * file without imports, or importing from a module it imports already): they are added one by one then.
 */
function reExportAll(ws: Workspace, barrel: string, entities: EntitySource[], style: ImportExtension): boolean {
  const file = ws.file(barrel);
  const exports = file.getExportDeclarations();
  const specifier = (e: EntitySource) => specifierFor(barrel, e.file, style);
  const list = exports.find((d) => !d.hasModuleSpecifier());
  if (list && !exports.some((d) => d.hasModuleSpecifier())) {
    const imports = file.getImportDeclarations();
    const modules = new Set(imports.map((d) => d.getModuleSpecifierValue()));
    if (imports.length === 0 || entities.some((e) => modules.has(specifier(e)))) return false;
    const add = importer(file);
    const names = entities.map((e) => e.declaration);
    ws.change(barrel, [
      insertItems(list, list.getNamedExports(), names),
      ...joinInsertions(entities.flatMap((e) => add(specifier(e), e.declaration))),
    ]);
    return true;
  }
  // Each line goes after the last export, written as that one is (`export * from` or `export { X } from`).
  const last = exports.at(-1);
  const star = Boolean(last?.hasModuleSpecifier() && last.isNamespaceExport());
  const lines = entities.map((e) => `export ${star ? '*' : `{ ${e.declaration} }`} from ${quoted(specifier(e), quoteOf(file))};`);
  const at = last?.getEnd() ?? file.getEnd();
  ws.change(barrel, [{ start: at, end: at, text: last ? `\n${lines.join('\n')}` : `${lines.join('\n')}\n` }]);
  return true;
}

/** Insertions at the same place made one, in order (applied one by one, each would land before the previous). */
function joinInsertions(changes: Change[]): Change[] {
  const joined = new Map<number, Change>();
  const rest: Change[] = [];
  for (const change of changes) {
    const same = change.start === change.end ? joined.get(change.start) : undefined;
    if (same) same.text += change.text;
    else if (change.start === change.end) joined.set(change.start, { ...change });
    else rest.push(change);
  }
  return [...rest, ...joined.values()];
}

/** Whether an import specifier written in `from` names the file `to` (`./entities` → entities/index.ts). */
function resolvesTo(from: string, specifier: string, to: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const base = resolve(dirname(from), specifier).replace(/\.[cm]?[jt]s$/, '');
  return [base, join(base, 'index')].includes(to.replace(/\.[cm]?ts$/, ''));
}

/** Adds the entity to a barrel as its last entry lists one (`export * from`, `export { X } from`), or to its `export { … }` list. */
function reExport(ws: Workspace, barrel: string, entity: EntitySource, specifier: string): void {
  const file = ws.file(barrel);
  const exports = file.getExportDeclarations();
  const list = exports.find((d) => !d.hasModuleSpecifier());
  if (list && !exports.some((d) => d.hasModuleSpecifier())) {
    const names = list.getNamedExports();
    ws.change(barrel, [insertItem(list, names, entity.declaration), ...ensureImport(file, specifier, entity.declaration)]);
    return;
  }
  const last = exports.at(-1);
  const star = last?.hasModuleSpecifier() && last.isNamespaceExport();
  const line = `export ${star ? '*' : `{ ${entity.declaration} }`} from ${quoted(specifier, quoteOf(file))};`;
  const at = last?.getEnd() ?? file.getEnd();
  ws.change(barrel, [{ start: at, end: at, text: last ? `\n${line}` : `${line}\n` }]);
}

/** Takes a dropped entity out of the registry and its barrel, and its import where nothing else uses it. */
export function unregister(ws: Workspace, registry: EntityRegistry, entity: EntitySource): void {
  const listing = (array: ArrayLiteralExpression) => array.getElements().find((e) => e.getText() === entity.declaration);
  for (;;) {
    const array = registryArrays(ws.file(registry.file), registry).find(listing);
    if (!array) break;
    ws.change(registry.file, removeItem(array, array.getElements(), listing(array)!));
  }
  ws.change(registry.file, dropUnusedImport(ws.file(registry.file), entity.declaration));
  if (registry.barrel && ws.has(registry.barrel)) unexport(ws, registry.barrel, entity);
}

/** Takes a dropped entity out of a barrel: its `export … from` line, or its name in the `export { … }` list and its import. */
function unexport(ws: Workspace, barrel: string, entity: EntitySource): void {
  const names = (d: ExportDeclaration) => d.getNamedExports().map((n) => (n.getAliasNode() ?? n.getNameNode()).getText());
  const fromEntity = (d: ExportDeclaration) => d.hasModuleSpecifier() && resolvesTo(barrel, d.getModuleSpecifierValue()!, entity.file);
  for (;;) {
    const file = ws.file(barrel);
    const declaration = file.getExportDeclarations().find((d) => names(d).includes(entity.declaration) || (d.isNamespaceExport() && fromEntity(d)));
    if (!declaration) break;
    const named = declaration.getNamedExports();
    const own = named.find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === entity.declaration);
    if (own && named.length > 1) ws.change(barrel, removeItem(declaration, named, own));
    else ws.change(barrel, [removeLines(file.getFullText(), ownStart(declaration), declaration.getEnd())]);
  }
  ws.change(barrel, dropUnusedImport(ws.file(barrel), entity.declaration));
}
