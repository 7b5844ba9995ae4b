import type { CallExpression, ClassDeclaration, NewExpression, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { stringOption } from './options.js';
import { tsMorph } from './ts-morph.js';
import type { EntitySource, EntityStyle, Naming } from './types.js';

/** An entity a file declares: a class with `@Entity()`, or a variable holding `new EntitySchema(…)` / `defineEntity(…)`. */
export interface DeclaredEntity {
  style: EntityStyle;
  declaration: string;
  entityName: string;
  /** The table when the definition names it (`tableName`, or `collection` as MikroORM also reads it). */
  tableName?: string;
  typeName?: string;
}

/** The entities a file declares, in file order. */
export function entitiesIn(file: SourceFile): DeclaredEntity[] {
  const found: Array<DeclaredEntity & { at: number }> = [];
  for (const cls of file.getClasses()) {
    const decorator = cls.getDecorator('Entity');
    const name = cls.getName();
    if (!decorator || !name) continue;
    const options = firstObject(decorator.getArguments());
    found.push({ style: 'decorator', declaration: name, entityName: name, tableName: options && tableOf(options), at: cls.getStart() });
  }
  for (const variable of file.getVariableDeclarations()) {
    const call = definitionCall(variable.getInitializer());
    const options = call && firstObject(call.getArguments());
    if (!call || !options) continue;
    const isSchema = tsMorph().Node.isNewExpression(call);
    const entityName = stringOption(options, 'name') ?? options.getProperty('class')?.getLastChild()?.getText() ?? variable.getName();
    const typeArgument = isSchema ? call.getTypeArguments()[0]?.getText() : undefined;
    const typeName = typeArgument && (file.getInterface(typeArgument) ?? file.getTypeAlias(typeArgument)) ? typeArgument : undefined;
    const style = isSchema ? 'entity-schema' : 'define-entity';
    found.push({ style, declaration: variable.getName(), entityName, tableName: tableOf(options), typeName, at: variable.getStart() });
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...entity }) => entity);
}

/** The source of each entity a file declares, with the table each maps to (explicit, or by the naming strategy). */
export function sourcesIn(file: SourceFile, naming: Naming): EntitySource[] {
  return entitiesIn(file).map((e) => ({
    table: e.tableName ?? naming.classToTableName(e.entityName),
    entityName: e.entityName,
    file: file.getFilePath(),
    style: e.style,
    declaration: e.declaration,
    ...(e.typeName ? { typeName: e.typeName } : {}),
  }));
}

function tableOf(options: ObjectLiteralExpression): string | undefined {
  return stringOption(options, 'tableName') ?? stringOption(options, 'collection');
}

function firstObject(args: import('ts-morph').Node[]): ObjectLiteralExpression | undefined {
  const first = args[0];
  return first && tsMorph().Node.isObjectLiteralExpression(first) ? first : undefined;
}

/** `new EntitySchema(…)` or `defineEntity(…)` (also through a namespace: `core.defineEntity`). */
function definitionCall(node: import('ts-morph').Node | undefined): NewExpression | CallExpression | undefined {
  const { Node } = tsMorph();
  if (!node) return undefined;
  const callee = (Node.isNewExpression(node) || Node.isCallExpression(node)) && node.getExpression();
  if (!callee) return undefined;
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
  if (Node.isNewExpression(node) && name === 'EntitySchema') return node;
  if (Node.isCallExpression(node) && name === 'defineEntity') return node;
  return undefined;
}

/** The class of a decorator entity. */
export function entityClass(file: SourceFile, entity: EntitySource): ClassDeclaration {
  return file.getClassOrThrow(entity.declaration);
}

/** The options object of an EntitySchema or defineEntity entity (its only argument). */
export function schemaOptions(file: SourceFile, entity: EntitySource): ObjectLiteralExpression {
  const call = definitionCall(file.getVariableDeclarationOrThrow(entity.declaration).getInitializer());
  const options = call && firstObject(call.getArguments());
  if (!options) throw new Error(`entity edits: ${entity.declaration} in ${entity.file} is no longer an entity definition`);
  return options;
}

/** The `@Entity()` options object of a decorator entity, if it has one. */
export function decoratorOptions(file: SourceFile, entity: EntitySource): ObjectLiteralExpression | undefined {
  const decorator = entityClass(file, entity).getDecorator('Entity');
  return decorator ? firstObject(decorator.getArguments()) : undefined;
}
