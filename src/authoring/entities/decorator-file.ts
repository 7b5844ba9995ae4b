import { memberStyle, propertyLines, statesTypes, writesNull } from './decorator-nodes.js';
import { entityClass } from './detect.js';
import type { NewEntity } from './editor.js';
import { mikroModule } from './imports.js';
import { REFLECTED_TYPES } from './property.js';
import { blankLinesBetween, indentUnit, quoted, quoteOf } from './text-edits.js';
import type { EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

/** A new decorator entity, written as the neighbour is: its quotes, indentation, blank lines, `public` and `!`, and `type` where it states them. */
export function decoratorFile(ws: Workspace, neighbour: EntitySource, entity: NewEntity): string {
  const f = ws.file(neighbour.file);
  const cls = entityClass(f, neighbour);
  const quote = quoteOf(f);
  const unit = indentUnit(f);
  const explicit = statesTypes(cls);
  const nullUnion = explicit && writesNull(cls);
  const members = cls.getMembers();
  const blank = members.length < 2 || blankLinesBetween(members);
  const blocks = entity.properties.map((p) => {
    const withType = explicit || !REFLECTED_TYPES.includes(p.column.type);
    return propertyLines(p, withType, nullUnion, quote, memberStyle(cls))
      .map((line) => unit + line)
      .join('\n');
  });
  const used = new Set(['Entity', ...entity.properties.map((p) => (p.column.primary ? 'PrimaryKey' : 'Property'))]);
  const names = [...used].sort((a, b) => a.localeCompare(b)).join(', ');
  const module = mikroModule(f, ['Entity']) ?? '@mikro-orm/core';
  return [
    `import { ${names} } from ${quoted(module, quote)};`,
    '',
    `@Entity({ tableName: ${quoted(entity.table, quote)} })`,
    `export class ${entity.declaration} {`,
    blocks.join(blank ? '\n\n' : '\n'),
    '}',
    '',
  ].join('\n');
}
