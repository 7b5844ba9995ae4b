import type { ClassDeclaration, Decorator, ObjectLiteralExpression, PropertyDeclaration, SourceFile } from 'ts-morph';
import { entityClass } from './detect.js';
import type { IndexEntry, PropertyInfo } from './editor.js';
import { flagOrName, objectIndex, propertyIndex } from './indexes.js';
import { objectText, optionNode, setOption, stringOption } from './options.js';
import { newOptions, type NewProperty, tsTypeOf } from './property.js';
import type { DraftProperty } from './draft.js';
import { type Change, ownStart, quoted, quoteOf, removeLines } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import { hasNull } from './type-text.js';
import type { EntitySource, Naming } from './types.js';
import type { Workspace } from './workspace.js';

// Reading decorator entities: which class properties map to columns, and the indexes the class declares.

const COLUMN_DECORATORS = ['Property', 'PrimaryKey', 'Enum', 'ManyToOne', 'OneToOne'];
const RELATIONS = ['ManyToOne', 'OneToOne'];

export interface DecoratedProperty {
  node: PropertyDeclaration;
  decorator: Decorator;
  options?: ObjectLiteralExpression;
}

function objectArgument(decorator: Decorator): ObjectLiteralExpression | undefined {
  const { Node } = tsMorph();
  return decorator.getArguments().find((a): a is ObjectLiteralExpression => Node.isObjectLiteralExpression(a));
}

/** The class's properties that map to a column, with the decorator that maps each. */
export function decorated(cls: ClassDeclaration): DecoratedProperty[] {
  return cls.getProperties().flatMap((node) => {
    const decorator = node.getDecorators().find((d) => COLUMN_DECORATORS.includes(d.getName()));
    if (!decorator) return [];
    const options = objectArgument(decorator);
    if (decorator.getName() === 'OneToOne' && options && optionNode(options, 'mappedBy')) return [];
    if (options && optionNode(options, 'persist')?.getInitializer()?.getText() === 'false') return [];
    return [{ node, decorator, options }];
  });
}

export function findProperty(file: SourceFile, entity: EntitySource, name: string): DecoratedProperty {
  const found = decorated(entityClass(file, entity)).find((p) => p.node.getName() === name);
  if (!found) throw new Error(`entity edits: ${entity.declaration} has no property ${name}`);
  return found;
}

/** The entity a relation decorator points to: `() => User`, or `{ entity: () => User }`. */
function targetOf(p: DecoratedProperty): string | undefined {
  const { Node } = tsMorph();
  const first = p.decorator.getArguments()[0];
  const entity = p.options && optionNode(p.options, 'entity')?.getInitializer();
  const fn = Node.isArrowFunction(first) ? first : entity && Node.isArrowFunction(entity) ? entity : undefined;
  return fn ? fn.getBody().getText() : (entity?.getText() ?? p.node.getTypeNode()?.getText());
}

export function readProperties(file: SourceFile, entity: EntitySource, naming: Naming): PropertyInfo[] {
  return decorated(entityClass(file, entity)).map((p) => {
    const name = p.node.getName();
    const relation = RELATIONS.includes(p.decorator.getName());
    const o = p.options;
    const explicit = o && (stringOption(o, 'fieldName') ?? stringOption(o, 'name') ?? (relation ? stringOption(o, 'joinColumn') : undefined));
    return {
      name,
      column: explicit ?? (relation ? naming.joinColumnName(name) : naming.propertyToColumnName(name)),
      explicitColumn: explicit !== undefined,
      relation,
      target: relation ? targetOf(p) : undefined,
      primary: p.decorator.getName() === 'PrimaryKey' || (o !== undefined && optionNode(o, 'primary')?.getInitializer()?.getText() === 'true'),
      nullable: p.node.hasQuestionToken() || (o !== undefined && optionNode(o, 'nullable')?.getInitializer()?.getText() === 'true'),
      explicitType: o !== undefined && (optionNode(o, 'type') !== undefined || optionNode(o, 'columnType') !== undefined),
    };
  });
}

/** Sets (or, with undefined, removes) an option of a decorator, adding the options object or dropping an emptied one. */
export function decoratorOption(decorator: Decorator, key: string, value: string | undefined): Change[] {
  const call = decorator.getCallExpression();
  if (!call) return [];
  const args = call.getArguments();
  const options = objectArgument(decorator);
  if (!options) {
    if (value === undefined) return [];
    const text = objectText([[key, value]]);
    const last = args.at(-1);
    return last ? [{ start: last.getEnd(), end: last.getEnd(), text: `, ${text}` }] : [{ start: call.getEnd() - 1, end: call.getEnd() - 1, text }];
  }
  if (value === undefined && options.getProperties().length === 1 && optionNode(options, key)) {
    const index = args.indexOf(options);
    return [{ start: index === 0 ? options.getStart() : args[index - 1].getEnd(), end: options.getEnd(), text: '' }];
  }
  return setOption(options, key, value);
}

/** The indexes of the class: `@Index`/`@Unique` on it or on a property, and `index`/`unique` options of properties. */
export function readIndexes(file: SourceFile, entity: EntitySource): IndexEntry[] {
  const cls = entityClass(file, entity);
  const text = file.getFullText();
  const quote = quoteOf(file);
  const dropDecorator = (d: Decorator) => () => [removeLines(text, ownStart(d), d.getEnd())];
  const entries: IndexEntry[] = [];
  const fromDecorator = (d: Decorator, property?: string) => {
    const unique = d.getName() === 'Unique';
    const options = objectArgument(d);
    if (options && !property) entries.push(objectIndex(options, unique, dropDecorator(d)));
    else if (property) {
      const name = options && stringOption(options, 'name');
      entries.push(
        propertyIndex(property, name ?? true, unique, (n) => (n === undefined ? dropDecorator(d)() : decoratorOption(d, 'name', quoted(n, quote)))),
      );
    }
  };
  for (const d of cls.getDecorators()) if (['Index', 'Unique'].includes(d.getName())) fromDecorator(d);
  for (const p of decorated(cls)) {
    const name = p.node.getName();
    for (const d of p.node.getDecorators()) if (['Index', 'Unique'].includes(d.getName())) fromDecorator(d, name);
    for (const key of ['unique', 'index']) {
      const value = flagOrName(p.options, key);
      const set = (n: string | undefined) => decoratorOption(p.decorator, key, n === undefined ? undefined : quoted(n, quote));
      if (value !== undefined) entries.push(propertyIndex(name, value, key === 'unique', set));
    }
  }
  return entries;
}

/** The `type` values that say no more than the property's TypeScript type tells MikroORM's metadata. */
const SAID_BY_METADATA: Record<string, string[]> = {
  string: ['string'],
  number: ['integer', 'number', 'int'],
  boolean: ['boolean'],
};

/**
 * How a class's column properties show the file writes types: how many state a `type` their TypeScript type already
 * gives (`@Property({ type: 'string' }) name!: string`), and how many leave it out (`@Property() name!: string`, which
 * also shows the project's metadata can tell). A `type` metadata could not give (`uuid`, `text`) shows neither.
 */
export function typeEvidence(cls: ClassDeclaration): { stated: number; omitted: number } {
  let stated = 0;
  let omitted = 0;
  for (const p of decorated(cls)) {
    if (!['Property', 'PrimaryKey'].includes(p.decorator.getName())) continue;
    const type = p.options && optionNode(p.options, 'type')?.getInitializer()?.getText();
    if (type === undefined && !(p.options && optionNode(p.options, 'columnType'))) omitted++;
    const value = type?.replace(/^['"`]|['"`]$/g, '').replace(/^types\./, '');
    if (value !== undefined && SAID_BY_METADATA[p.node.getTypeNode()?.getText() ?? '']?.includes(value)) stated++;
  }
  return { stated, omitted };
}

/** Whether a class states `type` where metadata could give it; undefined where its properties do not tell (only a uuid key…). */
export function statesTypes(cls: ClassDeclaration): boolean | undefined {
  return decided(typeEvidence(cls));
}

/**
 * Whether the project's entity classes state `type` where metadata could give it, taken over every class of every
 * file read (a file that does not tell, or a new one, follows them); undefined where none tells.
 */
export function projectStatesTypes(ws: Workspace): boolean | undefined {
  // Read once per set of edits: the style is the project's as it was, and reading every file per property is quadratic.
  if (PROJECT_TYPES.has(ws)) return PROJECT_TYPES.get(ws);
  const total = { stated: 0, omitted: 0 };
  for (const path of ws.paths()) {
    if (!/\.[cm]?tsx?$/.test(path)) continue;
    for (const e of ws.file(path).getClasses().map(typeEvidence)) {
      total.stated += e.stated;
      total.omitted += e.omitted;
    }
  }
  const answer = decided(total);
  PROJECT_TYPES.set(ws, answer);
  return answer;
}

const PROJECT_TYPES = new WeakMap<Workspace, boolean | undefined>();

/** The decision evidence gives: stating where at least as many state as leave out; undefined without any. */
export function decided(evidence: { stated: number; omitted: number }): boolean | undefined {
  if (evidence.stated === 0 && evidence.omitted === 0) return undefined;
  return evidence.stated >= evidence.omitted;
}

/** Whether the class writes nullable properties as `T | null`. */
export function writesNull(cls: ClassDeclaration): boolean {
  return cls.getProperties().some((p) => hasNull(p.getTypeNode()));
}

/** How a class writes its properties: a scope keyword (`public `) or none, and `!` on required ones without a value or not. */
export interface MemberStyle {
  scope: string;
  definite: boolean;
}

/** The member style most of the class's mapped properties follow (`!` where none tells otherwise). */
export function memberStyle(cls: ClassDeclaration): MemberStyle {
  const nodes = decorated(cls).map((p) => p.node);
  const scoped = nodes.filter((n) => n.hasScopeKeyword());
  const scope = scoped.length * 2 > nodes.length ? `${scoped[0].getScope()} ` : '';
  const required = nodes.filter((n) => !n.hasQuestionToken() && !n.hasInitializer());
  const definite = required.length === 0 || required.filter((n) => n.hasExclamationToken()).length * 2 >= required.length;
  return { scope, definite };
}

/** A property's decorator and declaration lines, unindented. */
export function propertyLines(property: NewProperty, withType: boolean, nullUnion: boolean, quote: string, style: MemberStyle): string[] {
  return decoratedLines(decoratedProperty(property, withType, nullUnion, quote, style));
}

/** A decorated property: `@Property(…)` or `@ManyToOne(…)`, then `public name!: type;`. */
export interface Decorated extends DraftProperty {
  type: string;
  /** `?`, `!` or nothing after the name; the scope keyword before it (`public `) or nothing. */
  mark: string;
  scope: string;
  /** A blank line before it (not read for the first). */
  blankBefore: boolean;
}

/** A property's decorator and declaration lines, unindented. */
export function decoratedLines(p: Decorated): string[] {
  if (p.relation) {
    const target = p.relation.target.declaration;
    return [`@ManyToOne(() => ${target}, ${objectText(p.options)})`, `${p.scope}${p.name}${p.mark}: ${target};`];
  }
  return [`@${p.column?.primary ? 'PrimaryKey' : 'Property'}(${objectText(p.options)})`, `${p.scope}${p.name}${p.mark}: ${p.type};`];
}

/** A new column's property: its options, `type` where `withType`, and `?`/`!` as the class writes them. */
export function decoratedProperty(property: NewProperty, withType: boolean, nullUnion: boolean, quote: string, style: MemberStyle): Decorated {
  const mark = property.column.nullable ? '?' : style.definite ? '!' : '';
  return {
    name: property.name,
    options: newOptions(property, withType, quote),
    column: property.column,
    ...(property.fieldName ? { fieldName: property.fieldName } : {}),
    ...(property.column.unique ? { unique: true as const } : {}),
    type: tsTypeOf(property.column, nullUnion),
    mark,
    scope: style.scope,
    blankBefore: false,
  };
}
