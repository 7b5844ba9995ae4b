import { schemaOptions } from './detect.js';
import type { EditContext, StyleEditor } from './editor.js';
import { ensureImport } from './imports.js';
import { objectText, renameKey, stringOption } from './options.js';
import { columnOptions, newOptions, relationEntity, relationOptions } from './property.js';
import {
  declarationStatement,
  findSchemaProperty,
  propertiesOf,
  readSchemaIndexes,
  readSchemaProperties,
  setPropertyOption,
  schemaObjectEdits,
} from './schema-object.js';
import { entitySchemaDraft } from './schema-file.js';
import { type Change, insertItem, ownStart, quoted, quoteOf, removeItem, removeLines } from './text-edits.js';
import { addMember, baseTypeIn, member, retypeMember, writesNullIn } from './schema-type.js';

// `new EntitySchema<T>({ … })`: the options object, and the interface T beside it, edited together.

const file = (ctx: EditContext) => ctx.ws.file(ctx.entity.file);

export const entitySchemaEditor: StyleEditor = {
  properties: readSchemaProperties,
  indexes: readSchemaIndexes,
  ...schemaObjectEdits,

  addProperty(ctx, property) {
    const f = file(ctx);
    const options = newOptions(property, true, quoteOf(f));
    if (property.column.primary) options.splice(1, 0, ['primary', 'true']);
    const { object } = propertiesOf(schemaOptions(f, ctx.entity));
    const base = baseTypeIn(f, ctx.entity, property.column);
    const type = property.column.nullable && writesNullIn(f, ctx.entity) ? `${base} | null` : base;
    const line = `${property.name}${property.column.nullable ? '?' : ''}: ${type};`;
    ctx.ws.change(ctx.entity.file, [
      insertItem(object, object.getProperties(), `${property.name}: ${objectText(options)}`),
      ...addMember(f, ctx.entity, line),
    ]);
  },

  alterProperty(ctx, name, column, fields) {
    const entries = columnOptions(column, fields, quoteOf(file(ctx)));
    if (fields.includes('type')) entries.push(['columnType', undefined]);
    for (const [key, value] of entries)
      ctx.ws.change(ctx.entity.file, setPropertyOption(findSchemaProperty(file(ctx), ctx.entity, name), key, value));
    if (fields.includes('type') || fields.includes('nullable')) {
      ctx.ws.change(ctx.entity.file, retypeMember(file(ctx), ctx.entity, name, column, fields));
    }
  },

  renameProperty(ctx, from, to) {
    const f = file(ctx);
    const m = member(f, ctx.entity, from);
    const changes = [renameKey(findSchemaProperty(f, ctx.entity, from).node, to)];
    if (m) changes.push({ start: m.getNameNode().getStart(), end: m.getNameNode().getEnd(), text: to });
    ctx.ws.change(ctx.entity.file, changes);
  },

  setColumnName(ctx, name, column) {
    const p = findSchemaProperty(file(ctx), ctx.entity, name);
    const key = ['fieldName', 'name', 'joinColumn'].find((k) => p.object && stringOption(p.object, k) !== undefined) ?? 'fieldName';
    ctx.ws.change(ctx.entity.file, setPropertyOption(p, key, quoted(column, quoteOf(file(ctx)))));
  },

  removeProperty(ctx, name) {
    const f = file(ctx);
    const { object } = propertiesOf(schemaOptions(f, ctx.entity));
    const m = member(f, ctx.entity, name);
    const changes = removeItem(object, object.getProperties(), findSchemaProperty(f, ctx.entity, name).node);
    if (m) changes.push(removeLines(f.getFullText(), ownStart(m), m.getEnd()));
    ctx.ws.change(ctx.entity.file, changes);
  },

  toRelation(ctx, name, relation) {
    const f = file(ctx);
    const quote = quoteOf(f);
    const entity = relationEntity(relation, quote);
    const options: Array<[string, string]> = [['kind', quoted('m:1', quote)], ['entity', entity.text], ...relationOptions(relation, quote)];
    const p = findSchemaProperty(f, ctx.entity, name).node;
    const changes: Change[] = [{ start: p.getStart(), end: p.getEnd(), text: `${relation.name}: ${objectText(options)}` }];
    const m = member(f, ctx.entity, name);
    const targetType = relation.target.typeName ?? (relation.target.style === 'decorator' ? relation.target.declaration : undefined);
    if (m) {
      const type = targetType ?? 'unknown';
      changes.push({ start: m.getStart(), end: m.getEnd(), text: `${relation.name}${relation.nullable ? '?' : ''}: ${type};` });
      if (targetType && targetType !== entity.valueImport && relation.target.file !== ctx.entity.file)
        changes.push(...ensureImport(f, ctx.specifier(relation.target.file), targetType, true));
    }
    if (entity.valueImport && relation.target.file !== ctx.entity.file)
      changes.push(...ensureImport(f, ctx.specifier(relation.target.file), entity.valueImport));
    ctx.ws.change(ctx.entity.file, changes);
  },

  removeDeclaration(ctx) {
    const f = file(ctx);
    const statement = declarationStatement(f, ctx.entity);
    ctx.ws.change(ctx.entity.file, [removeLines(f.getFullText(), ownStart(statement), statement.getEnd())]);
    const type = ctx.entity.typeName && (file(ctx).getInterface(ctx.entity.typeName) ?? file(ctx).getTypeAlias(ctx.entity.typeName));
    if (type) ctx.ws.change(ctx.entity.file, [removeLines(file(ctx).getFullText(), ownStart(type), type.getEnd())]);
  },

  newDraft: entitySchemaDraft,
};
