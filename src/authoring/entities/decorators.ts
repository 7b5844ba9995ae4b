import type { ClassDeclaration, PropertyDeclaration, SourceFile } from 'ts-morph';
import type { ColumnSpec } from '../spec.js';
import {
  decoratorOption,
  findProperty,
  type MemberStyle,
  memberStyle,
  propertyLines,
  readIndexes,
  readProperties,
  projectStatesTypes,
  statesTypes,
  writesNull,
} from './decorator-nodes.js';
import { hasNull, withoutNull } from './type-text.js';
import { decoratorDraft } from './decorator-file.js';
import { decoratorOptions, entityClass } from './detect.js';
import type { EditContext, StyleEditor } from './editor.js';
import { ensureImport, mikroModule } from './imports.js';
import { objectText, optionNode } from './options.js';
import { type ColumnField, columnOptions, REFLECTED_TYPES, relationOptions, TS_TYPES } from './property.js';
import { tsMorph } from './ts-morph.js';
import { type Change, blankLinesBetween, indentOf, indentUnit, insertLines, ownStart, quoted, quoteOf, removeLines } from './text-edits.js';

// Decorator classes: `@Entity()` on the class, `@Property()` / `@PrimaryKey()` / `@ManyToOne()` on its properties.

const file = (ctx: EditContext) => ctx.ws.file(ctx.entity.file);
const mikro = (f: SourceFile) => mikroModule(f, ['Entity', 'Property', 'PrimaryKey']) ?? '@mikro-orm/core';

/** New lines after the class's last property (before its first member where it has no property, inside an empty one). */
function insertIntoClass(cls: ClassDeclaration, lines: string[]): Change {
  const last = cls.getProperties().at(-1);
  const first = cls.getMembers()[0];
  // One member shows no habit; a blank line between properties is what new entity files get too.
  const blank = cls.getMembers().length < 2 || blankLinesBetween(cls.getMembers());
  if (last) return insertLines(last, lines, indentOf(last), blank);
  if (first) return insertLines(first, lines, indentOf(first), true, 'before');
  const close = cls.getEnd() - 1;
  const indent = indentOf(cls) + indentUnit(cls.getSourceFile());
  return { start: close, end: close, text: `\n${lines.map((l) => indent + l).join('\n')}\n${indentOf(cls)}` };
}

/** The TS type annotation and `?`/`!` of a property after a column change. */
function retype(node: PropertyDeclaration, column: ColumnSpec, fields: ColumnField[], nullUnion: boolean, style: MemberStyle): Change[] {
  const changes: Change[] = [];
  const type = node.getTypeNode();
  if (type) {
    const base = fields.includes('type') ? TS_TYPES[column.type] : withoutNull(type);
    const text = column.nullable && (hasNull(type) || (nullUnion && fields.includes('nullable'))) ? `${base} | null` : base;
    if (text !== type.getText()) changes.push({ start: type.getStart(), end: type.getEnd(), text });
  }
  if (!fields.includes('nullable')) return changes;
  const mark = node.getQuestionTokenNode() ?? node.getExclamationTokenNode();
  const wanted = column.nullable ? '?' : node.hasInitializer() || !style.definite ? '' : '!';
  if (mark && mark.getText() !== wanted) changes.push({ start: mark.getStart(), end: mark.getEnd(), text: wanted });
  if (!mark && wanted) changes.push({ start: node.getNameNode().getEnd(), end: node.getNameNode().getEnd(), text: wanted });
  return changes;
}

export const decoratorEditor: StyleEditor = {
  properties: readProperties,
  indexes: readIndexes,

  addProperty(ctx, property) {
    const f = file(ctx);
    const cls = entityClass(f, ctx.entity);
    const withType = (statesTypes(cls) ?? projectStatesTypes(ctx.ws) ?? true) || !REFLECTED_TYPES.includes(property.column.type);
    const lines = propertyLines(property, withType, withType && writesNull(cls), quoteOf(f), memberStyle(cls));
    const decorator = property.column.primary ? 'PrimaryKey' : 'Property';
    ctx.ws.change(ctx.entity.file, [insertIntoClass(cls, lines), ...ensureImport(f, mikro(f), decorator)]);
  },

  alterProperty(ctx, name, column, fields) {
    const quote = quoteOf(file(ctx));
    const explicit = readProperties(file(ctx), ctx.entity, ctx.naming).find((p) => p.name === name)?.explicitType;
    let entries = columnOptions(column, fields, quote);
    if (fields.includes('type')) {
      if (!explicit && REFLECTED_TYPES.includes(column.type)) entries = entries.filter(([key]) => key !== 'type');
      entries.push(['columnType', undefined]);
    }
    for (const [key, value] of entries)
      ctx.ws.change(ctx.entity.file, decoratorOption(findProperty(file(ctx), ctx.entity, name).decorator, key, value));
    const cls = entityClass(file(ctx), ctx.entity);
    const nullUnion = statesTypes(cls) !== false && writesNull(cls);
    ctx.ws.change(ctx.entity.file, retype(findProperty(file(ctx), ctx.entity, name).node, column, fields, nullUnion, memberStyle(cls)));
  },

  renameProperty(ctx, from, to) {
    const nameNode = findProperty(file(ctx), ctx.entity, from).node.getNameNode();
    ctx.ws.change(ctx.entity.file, [{ start: nameNode.getStart(), end: nameNode.getEnd(), text: to }]);
  },

  setColumnName(ctx, name, column) {
    const p = findProperty(file(ctx), ctx.entity, name);
    const key = ['fieldName', 'name', 'joinColumn'].find((k) => p.options && optionNode(p.options, k)) ?? 'fieldName';
    ctx.ws.change(ctx.entity.file, decoratorOption(p.decorator, key, quoted(column, quoteOf(file(ctx)))));
  },

  removeProperty(ctx, name) {
    const f = file(ctx);
    const node = findProperty(f, ctx.entity, name).node;
    ctx.ws.change(ctx.entity.file, [removeLines(f.getFullText(), ownStart(node), node.getEnd())]);
  },

  toRelation(ctx, name, relation) {
    const f = file(ctx);
    const node = findProperty(f, ctx.entity, name).node;
    const quote = quoteOf(f);
    const target = relation.target.declaration;
    const options = relationOptions(relation, quote);
    // The property keeps its own modifiers (`public`, `readonly`) and `!` or not.
    const modifiers = node.getModifiers().filter((m) => !tsMorph().Node.isDecorator(m));
    const scope = modifiers.map((m) => `${m.getText()} `).join('');
    const mark = relation.nullable ? '?' : node.hasExclamationToken() || memberStyle(entityClass(f, ctx.entity)).definite ? '!' : '';
    const lines = [`@ManyToOne(() => ${target}, ${objectText(options)})`, `${scope}${relation.name}${mark}: ${target};`];
    const changes = [
      { start: node.getStart(), end: node.getEnd(), text: lines.join(`\n${indentOf(node)}`) },
      ...ensureImport(f, mikro(f), 'ManyToOne'),
    ];
    if (relation.target.file !== ctx.entity.file) changes.push(...ensureImport(f, ctx.specifier(relation.target.file), target));
    ctx.ws.change(ctx.entity.file, changes);
  },

  addIndex(ctx, index) {
    const f = file(ctx);
    const quote = quoteOf(f);
    const decorator = index.unique ? 'Unique' : 'Index';
    const properties = index.properties.map((p) => quoted(p, quote)).join(', ');
    const line = `@${decorator}({ name: ${quoted(index.name, quote)}, properties: [${properties}] })`;
    const last = entityClass(f, ctx.entity).getDecorators().at(-1)!;
    ctx.ws.change(ctx.entity.file, [insertLines(last, [line], indentOf(last), false), ...ensureImport(f, mikro(f), decorator)]);
  },

  setTableName(ctx, table) {
    const f = file(ctx);
    const decorator = entityClass(f, ctx.entity).getDecoratorOrThrow('Entity');
    const options = decoratorOptions(f, ctx.entity);
    const key = options && optionNode(options, 'collection') ? 'collection' : 'tableName';
    ctx.ws.change(ctx.entity.file, decoratorOption(decorator, key, quoted(table, quoteOf(f))));
  },

  removeDeclaration(ctx) {
    const f = file(ctx);
    const cls = entityClass(f, ctx.entity);
    ctx.ws.change(ctx.entity.file, [removeLines(f.getFullText(), ownStart(cls), cls.getEnd())]);
  },

  newDraft: decoratorDraft,
};
