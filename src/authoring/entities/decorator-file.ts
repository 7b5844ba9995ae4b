import {
  type Decorated,
  decoratedLines,
  decoratedProperty,
  type MemberStyle,
  memberStyle,
  decided,
  projectStatesTypes,
  statesTypes,
  writesNull,
} from './decorator-nodes.js';
import { entityClass } from './detect.js';
import { type DraftIndex, type DraftProperty, EntityDraft } from './draft.js';
import type { NewEntity, Relation } from './editor.js';
import { mikroModule } from './imports.js';
import { type NewProperty, REFLECTED_TYPES, relationOptions } from './property.js';
import { blankLinesBetween, eolOf, indentUnit, quoted, quoteOf } from './text-edits.js';
import type { EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

/** A new decorator entity, written as the neighbour is: its quotes, indentation, blank lines, `public` and `!`, and `type` where it states them. */
class DecoratorDraft extends EntityDraft {
  declare readonly props: Decorated[];
  readonly #unit: string;
  /** Whether new properties state `type` where metadata could give it. */
  readonly #explicit: boolean;

  constructor(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource) {
    const read = ws.fact(neighbour.file, `decorator ${neighbour.declaration}`, (f) => {
      const cls = entityClass(f, neighbour);
      const members = cls.getMembers();
      return {
        quote: quoteOf(f),
        unit: indentUnit(f),
        eol: eolOf(f.getFullText()),
        explicit: statesTypes(cls),
        writesNull: writesNull(cls),
        blank: members.length < 2 || blankLinesBetween(members),
        style: memberStyle(cls),
        module: mikroModule(f, ['Entity']) ?? '@mikro-orm/core',
      };
    });
    // The neighbour's way with `type`; where it does not tell, the project's; where nothing tells, stated.
    const explicit = read.explicit ?? projectStatesTypes(ws) ?? true;
    const nullUnion = explicit && read.writesNull;
    const props = entity.properties.map((p, i) => ({
      ...decoratedProperty(p, explicit || !REFLECTED_TYPES.includes(p.column.type), nullUnion, read.quote, read.style),
      blankBefore: i > 0 && read.blank,
    }));
    const used = new Set(['Entity', ...entity.properties.map((p) => (p.column.primary ? 'PrimaryKey' : 'Property'))]);
    const names = [...used].sort((a, b) => a.localeCompare(b));
    super(source, read.quote, read.eol, { module: read.module, names }, props);
    this.#unit = read.unit;
    this.#explicit = explicit;
  }

  protected body(): string[] {
    const unit = this.#unit;
    const decorators = this.indexList.map((i) => {
      const properties = i.properties.map((p) => quoted(p, this.quote)).join(', ');
      return `@${i.unique ? 'Unique' : 'Index'}({ name: ${quoted(i.name, this.quote)}, properties: [${properties}] })`;
    });
    const blocks = this.props.map(
      (p, i) =>
        `${i > 0 && p.blankBefore ? '\n' : ''}${decoratedLines(p)
          .map((line) => unit + line)
          .join('\n')}`,
    );
    return [
      `@Entity({ tableName: ${quoted(this.entity.table, this.quote)} })`,
      ...decorators,
      `export class ${this.entity.declaration} {`,
      blocks.join('\n'),
      '}',
      '',
    ];
  }

  protected targetOf(relation: Relation): string {
    return relation.target.declaration;
  }

  protected override explicitType(p: DraftProperty): boolean {
    return p.options.some(([key]) => key === 'type' || key === 'columnType');
  }

  /** `memberStyle` of the class as it is now. */
  #style(): MemberStyle {
    const scoped = this.props.filter((p) => p.scope !== '');
    const required = this.props.filter((p) => p.mark !== '?');
    return {
      scope: scoped.length * 2 > this.props.length ? scoped[0].scope : '',
      definite: required.length === 0 || required.filter((p) => p.mark === '!').length * 2 >= required.length,
    };
  }

  #module(): string {
    return this.specifiers()[0];
  }

  addProperty(property: NewProperty): void {
    // As the file written out would say (its properties metadata could type), else as the draft was begun.
    const said = this.props.filter((p) => p.column && !p.relation && REFLECTED_TYPES.includes(p.column.type));
    const stated = said.filter((p) => this.explicitType(p)).length;
    const explicit = decided({ stated, omitted: said.length - stated }) ?? this.#explicit;
    const withType = explicit || !REFLECTED_TYPES.includes(property.column.type);
    const nullUnion = withType && this.props.some((p) => p.type.endsWith(' | null'));
    const blank = this.props.length < 2 || this.props[1].blankBefore;
    this.props.push({ ...decoratedProperty(property, withType, nullUnion, this.quote, this.#style()), blankBefore: blank });
    this.ensureImport(this.#module(), property.column.primary ? 'PrimaryKey' : 'Property');
  }

  toRelation(name: string, relation: Relation, specifier: (toFile: string) => string): void {
    const p = this.property(name) as Decorated;
    const mark = relation.nullable ? '?' : p.mark === '!' || this.#style().definite ? '!' : '';
    Object.assign(p, { name: relation.name, options: relationOptions(relation, this.quote), relation, fieldName: relation.fieldName, mark });
    p.column = undefined;
    p.unique = undefined;
    p.type = relation.target.declaration;
    this.ensureImport(this.#module(), 'ManyToOne');
    if (relation.target.file !== this.entity.file) this.ensureImport(specifier(relation.target.file), relation.target.declaration);
  }

  addIndex(index: DraftIndex): void {
    this.indexList.push({ ...index, properties: [...index.properties] });
    this.ensureImport(this.#module(), index.unique ? 'Unique' : 'Index');
  }
}

export function decoratorDraft(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource): EntityDraft {
  return new DecoratorDraft(ws, neighbour, entity, source);
}
