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

/** Adds `name` to what the file imports from `module`: to an import of that module, else as a new import after the last. */
export function ensureImport(file: SourceFile, module: string, name: string, typeOnly = false): Change[] {
  return importer(file)(module, name, typeOnly);
}

/**
 * `ensureImport` for many names at once: the file is read once, and each name gets the change ensureImport would make
 * in the file as it is (a registry listing a thousand new entities).
 */
export function importer(file: SourceFile): (module: string, name: string, typeOnly?: boolean) => Change[] {
  const declarations = file.getImportDeclarations().map((declaration) => ({
    declaration,
    module: declaration.getModuleSpecifierValue(),
    typeOnly: declaration.isTypeOnly(),
    named: declaration.getImportClause()?.getNamedBindings()?.getKind() === tsMorph().SyntaxKind.NamedImports,
  }));
  const inScope = new Set<string | undefined>([
    ...file
      .getImportDeclarations()
      .flatMap((d) => [d.getDefaultImport()?.getText(), ...d.getNamedImports().map((n) => (n.getAliasNode() ?? n.getNameNode()).getText())]),
    ...file.getClasses().map((c) => c.getName()),
    ...file.getVariableDeclarations().map((v) => v.getName()),
  ]);
  const quote = quoteOf(file);
  const last = declarations.at(-1)?.declaration;
  return (module, name, typeOnly = false) => {
    if (inScope.has(name)) return [];
    const same = declarations.find((d) => d.module === module && d.typeOnly === typeOnly && d.named);
    if (same) return [addSpecifier(same.declaration, name)];
    const statement = `import ${typeOnly ? 'type ' : ''}{ ${name} } from ${quoted(module, quote)};`;
    if (last) return [{ start: last.getEnd(), end: last.getEnd(), text: `\n${statement}` }];
    return [{ start: 0, end: 0, text: `${statement}\n\n` }];
  };
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
