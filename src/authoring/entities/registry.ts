import type { ArrayLiteralExpression, SourceFile } from 'ts-morph';
import { dropUnusedImport, ensureImport } from './imports.js';
import { extensionStyle, specifierFor } from './names.js';
import { keyOf } from './options.js';
import { insertItem, removeItem } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntityRegistry, EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

// Where a config lists its entities one by one (`entities: [User, Feature]`), a new entity is added to that
// list and imported; a dropped one leaves both.

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

/** The extension style of the file's relative imports (`./entities/user.js`), else of any project file's. */
export function importStyle(ws: Workspace, files: string[]) {
  for (const path of files) {
    if (!ws.has(path)) continue;
    const style = extensionStyle(
      ws
        .file(path)
        .getImportDeclarations()
        .map((d) => d.getModuleSpecifierValue()),
    );
    if (style !== undefined) return style;
  }
  return '' as const;
}

/** Lists a new entity in the registry and imports it there. */
export function register(ws: Workspace, registry: EntityRegistry, entity: EntitySource, projectFiles: string[]): void {
  const file = ws.file(registry.file);
  const arrays = registryArrays(file, registry);
  if (arrays.length === 0) return;
  const changes = arrays
    .filter((a) => !a.getElements().some((e) => e.getText() === entity.declaration))
    .map((a) => insertItem(a, a.getElements(), entity.declaration));
  const specifier = specifierFor(registry.file, entity.file, importStyle(ws, [registry.file, ...projectFiles]));
  ws.change(registry.file, [...changes, ...ensureImport(file, specifier, entity.declaration)]);
}

/** Takes a dropped entity out of the registry, and its import where nothing else uses it. */
export function unregister(ws: Workspace, registry: EntityRegistry, entity: EntitySource): void {
  const listing = (array: ArrayLiteralExpression) => array.getElements().find((e) => e.getText() === entity.declaration);
  for (;;) {
    const array = registryArrays(ws.file(registry.file), registry).find(listing);
    if (!array) break;
    ws.change(registry.file, removeItem(array, array.getElements(), listing(array)!));
  }
  ws.change(registry.file, dropUnusedImport(ws.file(registry.file), entity.declaration));
}
