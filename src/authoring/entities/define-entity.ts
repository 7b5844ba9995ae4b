import type { SourceFile } from 'ts-morph';
import { argumentOf, setRoot } from './chain.js';
import { schemaOptions } from './detect.js';
import type { EditContext, StyleEditor } from './editor.js';
import { ensureImport, mikroModule } from './imports.js';
import { objectText, renameKey, stringOption } from './options.js';
import { builderCalls, columnOptions, newOptions, type NewProperty, relationOptions } from './property.js';
import { defineEntityDraft, importedBuilder } from './schema-file.js';
import {
  declarationStatement,
  findSchemaProperty,
  propertiesOf,
  readSchemaIndexes,
  readSchemaProperties,
  schemaProperties,
  setPropertyOption,
  schemaObjectEdits,
} from './schema-object.js';
import { type Change, insertItem, ownStart, quoted, quoteOf, removeItem, removeLines } from './text-edits.js';
import type { EntitySource } from './types.js';

// `defineEntity({ … })` (MikroORM 6.6): properties as builder chains, `p.string().nullable()`, or as option objects.

const file = (ctx: EditContext) => ctx.ws.file(ctx.entity.file);
const mikro = (f: SourceFile) => mikroModule(f, ['defineEntity']) ?? '@mikro-orm/core';

/** The name the entity's properties call the builders by, and the import that brings it where it is not in scope yet. */
function builderOf(f: SourceFile, entity: EntitySource): { name: string; imports: Change[] } {
  const callback = propertiesOf(schemaOptions(f, entity)).builder;
  if (callback) return { name: callback, imports: [] };
  const imported = importedBuilder(f);
  return imported ? { name: imported, imports: [] } : { name: 'p', imports: ensureImport(f, mikro(f), 'p') };
}

/** Whether the entity writes properties as option objects rather than builder chains. */
const usesObjects = (f: SourceFile, entity: EntitySource) => {
  const scalars = schemaProperties(f, entity);
  return scalars.length > 0 && scalars.every((p) => p.object !== undefined);
};

function propertyValue(f: SourceFile, entity: EntitySource, property: NewProperty, builder: string): string {
  const options = newOptions(property, true, quoteOf(f));
  if (property.column.primary) options.splice(1, 0, ['primary', 'true']);
  if (usesObjects(f, entity)) return objectText(options);
  return `${builder}.${property.column.type}()${builderCalls(options.filter(([key]) => key !== 'type'))}`;
}

export const defineEntityEditor: StyleEditor = {
  properties: readSchemaProperties,
  indexes: readSchemaIndexes,
  ...schemaObjectEdits,

  addProperty(ctx, property) {
    const f = file(ctx);
    const builder = builderOf(f, ctx.entity);
    const { object } = propertiesOf(schemaOptions(f, ctx.entity));
    const item = `${property.name}: ${propertyValue(f, ctx.entity, property, builder.name)}`;
    ctx.ws.change(ctx.entity.file, [insertItem(object, object.getProperties(), item), ...(usesObjects(f, ctx.entity) ? [] : builder.imports)]);
  },

  alterProperty(ctx, name, column, fields) {
    const entries = columnOptions(column, fields, quoteOf(file(ctx)));
    if (fields.includes('type')) entries.push(['columnType', undefined]);
    for (const [key, value] of entries) {
      const p = findSchemaProperty(file(ctx), ctx.entity, name);
      ctx.ws.change(ctx.entity.file, p.chain && key === 'type' ? setRoot(p.chain, column.type) : setPropertyOption(p, key, value));
    }
  },

  renameProperty(ctx, from, to) {
    ctx.ws.change(ctx.entity.file, [renameKey(findSchemaProperty(file(ctx), ctx.entity, from).node, to)]);
  },

  setColumnName(ctx, name, column) {
    const p = findSchemaProperty(file(ctx), ctx.entity, name);
    const written = (k: string) =>
      p.chain ? argumentOf(p.chain, k) !== undefined : p.object !== undefined && stringOption(p.object, k) !== undefined;
    const key = ['fieldName', 'name', 'joinColumn'].find(written) ?? 'fieldName';
    ctx.ws.change(ctx.entity.file, setPropertyOption(p, key, quoted(column, quoteOf(file(ctx)))));
  },

  removeProperty(ctx, name) {
    const f = file(ctx);
    const { object } = propertiesOf(schemaOptions(f, ctx.entity));
    ctx.ws.change(ctx.entity.file, removeItem(object, object.getProperties(), findSchemaProperty(f, ctx.entity, name).node));
  },

  toRelation(ctx, name, relation) {
    const f = file(ctx);
    const quote = quoteOf(f);
    const p = findSchemaProperty(f, ctx.entity, name);
    const target = relation.target.declaration;
    const options = relationOptions(relation, quote);
    const builder = builderOf(f, ctx.entity);
    const value = p.chain
      ? `${builder.name}.manyToOne(${target})${builderCalls(options)}`
      : objectText([['kind', quoted('m:1', quote)], ['entity', `() => ${target}`], ...options]);
    const changes: Change[] = [{ start: p.node.getStart(), end: p.node.getEnd(), text: `${relation.name}: ${value}` }];
    if (relation.target.file !== ctx.entity.file) changes.push(...ensureImport(f, ctx.specifier(relation.target.file), target));
    ctx.ws.change(ctx.entity.file, changes);
  },

  removeDeclaration(ctx) {
    const f = file(ctx);
    const statement = declarationStatement(f, ctx.entity);
    ctx.ws.change(ctx.entity.file, [removeLines(f.getFullText(), ownStart(statement), statement.getEnd())]);
  },

  newDraft: defineEntityDraft,
};
