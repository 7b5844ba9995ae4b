import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { declarationFor, entityFileFor, entityNameFor, propertyFor } from './names.js';
import { notHere, type Planning } from './plan.js';
import { unregister } from './registry.js';
import type { EntityOperation, EntitySource, EntityStyle } from './types.js';

// The operations that involve more than one entity: a new table's entity, modelled on its neighbours, and a
// foreign key that turns a column into a relation to another entity.

/** The style most of the project's entities are written in. */
function commonStyle(entities: EntitySource[]): EntityStyle {
  const counts = new Map<EntityStyle, number>();
  for (const e of entities) counts.set(e.style, (counts.get(e.style) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/** A new entity file for a new table, in the project's style, beside a neighbour, registered where the config lists entities. */
export function createTable(planning: Planning, op: Extract<EntityOperation, { op: 'createTable' }>): string | undefined {
  const existing = planning.tables.get(op.table);
  if (existing) return `${planning.where(existing)} already maps table ${op.table}`;
  const all = [...planning.tables.values()];
  if (all.length === 0) return 'the project has no entity to model a new one on; write it by hand';
  const style = commonStyle(all);
  const neighbours = all.filter((e) => e.style === style);
  const neighbour = neighbours.find((e) => planning.project.files.has(e.file)) ?? neighbours[0];
  const naming = planning.project.naming;
  const entityName = entityNameFor(op.table, neighbours, naming);
  const declaration = declarationFor(entityName, neighbour);
  if (all.some((e) => e.entityName === entityName || e.declaration === declaration))
    return `an entity named ${entityName} exists already; write the entity by hand`;
  const file = entityFileFor(entityName, neighbour);
  // A file the project's entities were read from and the operations so far deleted is free again.
  if (planning.ws.has(file) || (!planning.project.files.has(file) && existsSync(file)))
    return `${relative(planning.project.projectDir, file)} exists already; write the entity by hand`;
  const convention = planning.convention();
  const keys = op.columns.filter((c) => c.primary);
  const numericKey = keys.length === 1 && ['integer', 'bigint'].includes(keys[0].type);
  const properties = op.columns.map((c) => planning.newProperty(c, convention, numericKey && c.primary && !c.autoincrement));
  const typeName = style === 'entity-schema' && neighbour.typeName ? { typeName: entityName } : {};
  const source: EntitySource = { table: op.table, entityName, file, style, declaration, ...typeName };
  const draft = planning.editor(source).newDraft(planning.ws, neighbour, { entityName, declaration, table: op.table, file, properties }, source);
  // A file read from the project and deleted by an operation before is written at once: reading it takes its original.
  const keep = !planning.stepwise && draft.keepable() && !planning.project.files.has(file);
  planning.ws.create(file, keep ? draft : draft.text());
  planning.tables.set(op.table, source);
  planning.registering.push(source);
  return undefined;
}

/** The column's property becomes a many-to-one relation to the referenced entity, keeping its column and the key's rules. */
export function addForeignKey(planning: Planning, entity: EntitySource, op: Extract<EntityOperation, { op: 'addForeignKey' }>): string | undefined {
  if (op.columns.length !== 1) return 'a foreign key over several columns is not made a relation; edit the entity by hand';
  const target = planning.tables.get(op.references.table);
  if (!target) return `no entity maps to table ${op.references.table}, which it references`;
  const [column] = op.columns;
  const properties = planning.properties(entity);
  const property = properties.find((p) => p.column === column);
  if (!property) return `${planning.where(entity)} has no property for column ${column}`;
  if (property.elsewhere) return notHere(planning, entity, property);
  if (property.relation) return `${property.name} is a relation already`;
  const keys = planning.properties(target).filter((p) => p.primary);
  if (keys.length !== 1 || keys[0].column !== op.references.columns[0]) {
    return `${op.references.table}.${op.references.columns.join(', ')} is not the primary key of ${target.declaration}; edit the entity by hand`;
  }
  const naming = planning.project.naming;
  const suffix = `_${op.references.columns[0]}`;
  const base = column.endsWith(suffix) && column.length > suffix.length ? column.slice(0, -suffix.length) : column;
  const wanted = propertyFor(base, planning.convention(entity), naming);
  const name = properties.some((p) => p.name === wanted && p !== property) ? property.name : wanted;
  const relation = {
    name,
    target,
    fieldName: column,
    nullable: property.nullable,
    // Without them MikroORM expects `on delete set null` for a nullable relation and `on update cascade`.
    deleteRule: op.onDelete ?? (property.nullable ? ('no action' as const) : undefined),
    updateRule: op.onUpdate ?? ('no action' as const),
    ...(op.name !== naming.indexName(entity.table, [column], 'foreign') ? { foreignKeyName: op.name } : {}),
  };
  planning.withImports(entity, () => {
    planning.editor(entity).toRelation(planning.context(entity), property.name, relation);
    if (name !== property.name)
      planning.ws.change(
        entity.file,
        planning.indexes(entity).flatMap((i) => i.renameProperty(property.name, name)),
      );
  });
  return undefined;
}

/** `tableName` changed; indexes named by default keep the name the database still has. */
export function renameTable(planning: Planning, entity: EntitySource, to: string): string | undefined {
  planning.pinIndexNames(entity, () => true);
  planning.editor(entity).setTableName(planning.context(entity), to);
  planning.tables.delete(entity.table);
  planning.tables.set(to, { ...entity, table: to });
  // The foreign keys and their indexes follow the table's name in the database (the operation renames them).
  return undefined;
}

/** The entity's file deleted (or its declaration, in a file that declares others) and its registration removed. */
export function dropTable(planning: Planning, entity: EntitySource): string | undefined {
  const others = [...planning.tables.values()].filter((e) => e !== entity);
  const pointing = others.flatMap((e) =>
    planning
      .properties(e)
      .filter((p) => p.relation && (p.target === entity.declaration || p.target === entity.entityName))
      .map((p) => `${e.declaration}.${p.name}`),
  );
  planning.tables.delete(entity.table);
  if (others.some((e) => e.file === entity.file))
    planning.withImports(entity, () => planning.editor(entity).removeDeclaration(planning.context(entity)));
  else planning.ws.delete(entity.file);
  const made = planning.registering.findIndex((e) => e.file === entity.file && e.declaration === entity.declaration);
  if (made >= 0) planning.registering.splice(made, 1);
  else if (planning.project.registry) unregister(planning.ws, planning.project.registry, entity);
  return pointing.length
    ? `${pointing.join(', ')} still ${pointing.length === 1 ? 'refers' : 'refer'} to ${entity.declaration}; remove or change ${pointing.length === 1 ? 'it' : 'them'} by hand`
    : undefined;
}
