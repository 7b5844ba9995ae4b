import type { ImportDeclaration, SourceFile } from 'ts-morph';
import { type Change, insertItem, ownStart, quoted, quoteOf, removeItem, removeLines } from './text-edits.js';
import { tsMorph } from './ts-morph.js';

const MIKRO = '@mikro-orm/';

/** The module a file imports MikroORM from: the one giving it any of `names`, else any `@mikro-orm/*` import. */
export function mikroModule(file: SourceFile, names: string[]): string | undefined {
  const imports = file.getImportDeclarations();
  const giving = imports.find((d) => d.getNamedImports().some((n) => names.includes(n.getName())));
  return (giving ?? imports.find((d) => d.getModuleSpecifierValue().startsWith(MIKRO)))?.getModuleSpecifierValue();
}

/** Whether the file already has `name` in scope through an import. */
function imported(file: SourceFile, name: string): boolean {
  return file
    .getImportDeclarations()
    .some(
      (d) => d.getDefaultImport()?.getText() === name || d.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name),
    );
}

/** Adds `name` to what the file imports from `module`: to an import of that module, else as a new import after the last. */
export function ensureImport(file: SourceFile, module: string, name: string, typeOnly = false): Change[] {
  if (imported(file, name) || file.getClass(name) || file.getVariableDeclaration(name)) return [];
  const same = file
    .getImportDeclarations()
    .find(
      (d) =>
        d.getModuleSpecifierValue() === module &&
        d.isTypeOnly() === typeOnly &&
        d.getImportClause()?.getNamedBindings()?.getKind() === tsMorph().SyntaxKind.NamedImports,
    );
  if (same) return [addSpecifier(same, name)];
  const statement = `import ${typeOnly ? 'type ' : ''}{ ${name} } from ${quoted(module, quoteOf(file))};`;
  const last = file.getImportDeclarations().at(-1);
  if (last) return [{ start: last.getEnd(), end: last.getEnd(), text: `\n${statement}` }];
  return [{ start: 0, end: 0, text: `${statement}\n\n` }];
}

/** A named import added where it sorts, when the list is sorted; at the end otherwise. */
function addSpecifier(declaration: ImportDeclaration, name: string): Change {
  const named = declaration.getImportClause()!.getNamedBindings()!;
  const elements = declaration.getNamedImports();
  const names = elements.map((e) => e.getName());
  const sorted = names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0);
  const next = sorted ? elements.find((e) => e.getName().localeCompare(name) > 0) : undefined;
  return insertItem(named, elements, name, next ? { before: next } : undefined);
}

/** Removes `name` from the file's imports where nothing else in the file uses it any more. */
export function dropUnusedImport(file: SourceFile, name: string): Change[] {
  if (usedOutsideImports(file, name)) return [];
  for (const declaration of file.getImportDeclarations()) {
    const elements = declaration.getNamedImports();
    const specifier = elements.find((e) => (e.getAliasNode() ?? e.getNameNode()).getText() === name);
    if (!specifier) continue;
    if (elements.length > 1) return removeItem(declaration.getImportClause()!.getNamedBindings()!, elements, specifier);
    if (declaration.getDefaultImport()) continue;
    return [removeLines(file.getFullText(), ownStart(declaration), declaration.getEnd())];
  }
  return [];
}

/** Whether an identifier `name` appears outside the imports; walks TypeScript's own nodes (wrapping each in ts-morph's costs far more). */
function usedOutsideImports(file: SourceFile, name: string): boolean {
  const { ts } = tsMorph();
  const visit = (node: import('ts-morph').ts.Node): boolean =>
    !ts.isImportDeclaration(node) &&
    ((ts.isIdentifier(node) && node.text === name) || Boolean(ts.forEachChild(node, (child) => visit(child) || undefined)));
  return visit(file.compilerNode);
}
