// A real-size history for the apply/revert benchmark: 44 revisions of a shop's schema in the shape real projects
// have (tables with foreign keys, indexes, unique and enum/check constraints, columns added later), each written as
// MikroORM's `migration:create` writes it (a Migration subclass, `this.addSql(\`…\`)` per statement, MikroORM's
// quoting, types and constraint names for the dialect), so both tools run the same files on SQLite, PostgreSQL and
// MariaDB. BENCH_DB_URL in the environment picks the database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchConfig } from './project.js';

const TABLES = [
  {
    name: 'user',
    cols: [
      ['email', 'string'],
      ['role', ['admin', 'member', 'guest']],
      ['created_at', 'datetime'],
    ],
    unique: 'email',
  },
  {
    name: 'organization',
    cols: [
      ['name', 'string'],
      ['plan', ['free', 'team', 'enterprise']],
    ],
    fks: ['user'],
    unique: 'name',
  },
  {
    name: 'category',
    cols: [
      ['name', 'string'],
      ['slug', 'string'],
    ],
    unique: 'slug',
  },
  {
    name: 'product',
    cols: [
      ['title', 'string'],
      ['price', 'decimal'],
      ['status', ['draft', 'active', 'archived']],
    ],
    fks: ['category', 'organization'],
  },
  {
    name: 'address',
    cols: [
      ['line1', 'string'],
      ['city', 'string'],
      ['country', 'string'],
    ],
    fks: ['user'],
  },
  {
    name: 'order',
    cols: [
      ['total', 'decimal'],
      ['state', ['new', 'paid', 'shipped', 'cancelled']],
      ['created_at', 'datetime'],
    ],
    fks: ['user', 'address'],
  },
  {
    name: 'order_item',
    cols: [
      ['quantity', 'integer'],
      ['price', 'decimal'],
    ],
    fks: ['order', 'product'],
  },
  {
    name: 'review',
    cols: [
      ['rating', 'integer'],
      ['body', 'text'],
    ],
    fks: ['product', 'user'],
  },
  {
    name: 'coupon',
    cols: [
      ['code', 'string'],
      ['kind', ['percent', 'fixed']],
      ['amount', 'decimal'],
    ],
    unique: 'code',
  },
  {
    name: 'payment',
    cols: [
      ['amount', 'decimal'],
      ['method', ['card', 'transfer', 'wallet']],
    ],
    fks: ['order'],
  },
  {
    name: 'shipment',
    cols: [
      ['carrier', 'string'],
      ['tracking', 'string'],
    ],
    fks: ['order', 'address'],
  },
  {
    name: 'audit_log',
    cols: [
      ['action', 'string'],
      ['payload', 'json'],
      ['created_at', 'datetime'],
    ],
    fks: ['user'],
  },
];

/** Later revisions on those tables: a column (with an index, a foreign key or an enum check), or an index. */
const CHANGES = [
  ['addColumn', 'user', 'display_name', 'string', { nullable: true }],
  ['addIndex', 'user', 'created_at'],
  ['addColumn', 'product', 'sku', 'string', { nullable: true, index: true }],
  ['addColumn', 'product', 'visibility', ['public', 'hidden'], { default: 'public' }],
  ['addForeignKey', 'review', 'order', { nullable: true }],
  ['addIndex', 'order', 'created_at'],
  ['addColumn', 'order', 'note', 'text', { nullable: true }],
  ['addColumn', 'category', 'position', 'integer', { default: 0, index: true }],
  ['addForeignKey', 'order', 'coupon', { nullable: true }],
  ['addColumn', 'address', 'kind', ['billing', 'shipping'], { default: 'shipping' }],
  ['addIndex', 'address', 'country'],
  ['addColumn', 'shipment', 'shipped_at', 'datetime', { nullable: true, index: true }],
  ['addForeignKey', 'product', 'user', { nullable: true, column: 'owner_id' }],
  ['addColumn', 'payment', 'state', ['pending', 'settled', 'refunded'], { default: 'pending' }],
  ['addIndex', 'payment', 'amount'],
  ['addColumn', 'coupon', 'expires_at', 'datetime', { nullable: true }],
  ['addForeignKey', 'audit_log', 'organization', { nullable: true }],
  ['addColumn', 'organization', 'slug', 'string', { nullable: true, index: true }],
  ['addColumn', 'review', 'state', ['visible', 'flagged', 'removed'], { default: 'visible' }],
  ['addIndex', 'review', 'rating'],
  ['addColumn', 'order_item', 'discount', 'decimal', { nullable: true }],
  ['addForeignKey', 'shipment', 'user', { nullable: true, column: 'courier_id' }],
  ['addColumn', 'user', 'locale', 'string', { default: 'en' }],
  ['addIndex', 'product', 'title'],
  ['addColumn', 'audit_log', 'level', ['info', 'warn', 'error'], { default: 'info', index: true }],
  ['addForeignKey', 'coupon', 'organization', { nullable: true }],
  ['addColumn', 'shipment', 'weight', 'integer', { nullable: true }],
  ['addIndex', 'order_item', 'quantity'],
  ['addColumn', 'category', 'description', 'text', { nullable: true }],
  ['addColumn', 'user', 'last_seen_at', 'datetime', { nullable: true, index: true }],
  ['addForeignKey', 'category', 'category', { nullable: true, column: 'parent_id' }],
  ['addColumn', 'product', 'stock', 'integer', { default: 0 }],
];

export const REAL_REVISIONS = TABLES.length + CHANGES.length;

/** MikroORM's quoting, column types and constraint statements for each database, as its schema generator writes them. */
const DIALECTS = {
  postgresql: {
    q: (id) => `"${id}"`,
    id: (c) => `"${c}" serial primary key`,
    fkType: 'int',
    types: { string: 'varchar(255)', text: 'text', integer: 'int', decimal: 'numeric(10,2)', datetime: 'timestamptz', json: 'jsonb' },
    enumType: (c, values) => `text check ("${c}" in (${values.map((v) => `'${v}'`).join(', ')}))`,
    tableSuffix: '',
    inlineFks: false,
    addFk: (t, name, c, ref) =>
      `alter table "${t}" add constraint "${name}" foreign key ("${c}") references "${ref}" ("id") on update cascade on delete set null;`,
    dropFk: (t, name) => `alter table "${t}" drop constraint "${name}";`,
    index: (t, name, c) => `create index "${name}" on "${t}" ("${c}");`,
    dropIndex: (_t, name) => `drop index "${name}";`,
    unique: (t, name, c) => `alter table "${t}" add constraint "${name}" unique ("${c}");`,
    dropTable: (t) => `drop table if exists "${t}" cascade;`,
  },
  mariadb: {
    q: (id) => `\`${id}\``,
    id: (c) => `\`${c}\` int unsigned not null auto_increment primary key`,
    fkType: 'int unsigned',
    types: { string: 'varchar(255)', text: 'text', integer: 'int', decimal: 'numeric(10,2)', datetime: 'datetime', json: 'json' },
    enumType: (_c, values) => `enum(${values.map((v) => `'${v}'`).join(', ')})`,
    tableSuffix: ' default character set utf8mb4 engine = InnoDB',
    inlineFks: false,
    addFk: (t, name, c, ref) =>
      `alter table \`${t}\` add constraint \`${name}\` foreign key (\`${c}\`) references \`${ref}\` (\`id\`) on update cascade on delete set null;`,
    dropFk: (t, name) => `alter table \`${t}\` drop foreign key \`${name}\`;`,
    index: (t, name, c) => `alter table \`${t}\` add index \`${name}\`(\`${c}\`);`,
    dropIndex: (t, name) => `alter table \`${t}\` drop index \`${name}\`;`,
    unique: (t, name, c) => `alter table \`${t}\` add unique \`${name}\`(\`${c}\`);`,
    dropTable: (t) => `drop table if exists \`${t}\`;`,
  },
  sqlite: {
    q: (id) => `\`${id}\``,
    id: (c) => `\`${c}\` integer not null primary key autoincrement`,
    fkType: 'integer',
    types: { string: 'text', text: 'text', integer: 'integer', decimal: 'numeric(10,2)', datetime: 'datetime', json: 'json' },
    enumType: (c, values) => `text check (\`${c}\` in (${values.map((v) => `'${v}'`).join(', ')}))`,
    tableSuffix: '',
    inlineFks: true,
    index: (t, name, c) => `create index \`${name}\` on \`${t}\` (\`${c}\`);`,
    dropIndex: (_t, name) => `drop index \`${name}\`;`,
    unique: (t, name, c) => `create unique index \`${name}\` on \`${t}\` (\`${c}\`);`,
    dropTable: (t) => `drop table if exists \`${t}\`;`,
  },
};

function columnSql(d, name, type, { nullable = false, default: def } = {}) {
  const sqlType = Array.isArray(type) ? d.enumType(name, type) : d.types[type];
  const defaultSql = def === undefined ? '' : ` default ${typeof def === 'number' ? def : `'${def}'`}`;
  return `${d.q(name)} ${sqlType} ${nullable ? 'null' : 'not null'}${defaultSql}`;
}

/** The up and down statements of creating one table, as MikroORM's diff writes them for a new entity. */
function createTable(d, table) {
  const fks = (table.fks ?? []).map((ref) => ({ column: `${ref}_id`, ref, name: `${table.name}_${ref}_id_foreign` }));
  const columns = [d.id('id'), ...table.cols.map(([c, type]) => columnSql(d, c, type)), ...fks.map((fk) => `${d.q(fk.column)} ${d.fkType} not null`)];
  if (d.inlineFks) {
    for (const fk of fks) {
      columns.push(`constraint \`${fk.name}\` foreign key(\`${fk.column}\`) references \`${fk.ref}\`(\`id\`) on update cascade`);
    }
  }
  const up = [`create table ${d.q(table.name)} (${columns.join(', ')})${d.tableSuffix};`];
  for (const fk of fks) up.push(d.index(table.name, `${table.name}_${fk.column}_index`, fk.column));
  if (table.unique) up.push(d.unique(table.name, `${table.name}_${table.unique}_unique`, table.unique));
  if (!d.inlineFks) {
    for (const fk of fks) up.push(d.addFk(table.name, fk.name, fk.column, fk.ref).replace(' on delete set null', ''));
  }
  return { up, down: [d.dropTable(table.name)] };
}

/** The up and down statements of one later change. */
function change(d, [op, table, ...rest]) {
  if (op === 'addIndex') {
    const [column] = rest;
    const name = `${table}_${column}_index`;
    return { up: [d.index(table, name, column)], down: [d.dropIndex(table, name)] };
  }
  if (op === 'addColumn') {
    const [column, type, options] = rest;
    const up = [`alter table ${d.q(table)} add column ${columnSql(d, column, type, options)};`];
    const down = [];
    if (options.index) {
      const name = `${table}_${column}_index`;
      up.push(d.index(table, name, column));
      down.push(d.dropIndex(table, name));
    }
    down.push(`alter table ${d.q(table)} drop column ${d.q(column)};`);
    return { up, down };
  }
  // addForeignKey: a nullable reference column, its index and its constraint.
  const [ref, { column = `${ref}_id` }] = rest;
  const index = `${table}_${column}_index`;
  const fk = `${table}_${column}_foreign`;
  if (d.inlineFks) {
    // SQLite cannot add a constraint to a table, nor drop a column a constraint uses: the column and its index.
    return {
      up: [`alter table \`${table}\` add column \`${column}\` integer null;`, d.index(table, index, column)],
      down: [d.dropIndex(table, index), `alter table \`${table}\` drop column \`${column}\`;`],
    };
  }
  return {
    up: [`alter table ${d.q(table)} add column ${d.q(column)} ${d.fkType} null;`, d.addFk(table, fk, column, ref), d.index(table, index, column)],
    down: [d.dropFk(table, fk), d.dropIndex(table, index), `alter table ${d.q(table)} drop column ${d.q(column)};`],
  };
}

/** Escaped as MikroORM's MigrationGenerator.createStatement does. */
const addSql = (sql) => `    this.addSql(\`${sql.replace(/[`$\\]/g, '\\$&')}\`);\n`;

function migrationSource(className, { up, down }) {
  return `import { Migration } from '@mikro-orm/migrations';

export class ${className} extends Migration {

  override async up(): Promise<void> {
${up.map(addSql).join('')}  }

  override async down(): Promise<void> {
${down.map(addSql).join('')}  }

}
`;
}

/**
 * Writes the project for `dialect` into `dir`: mikro-orm.config.ts (the connection from BENCH_DB_URL, no entities)
 * and the 44 revisions in migrations/, named as MikroORM names them. Returns the config path.
 */
export function createRealProject(dir, dialect) {
  const d = DIALECTS[dialect];
  const revisions = [...TABLES.map((t) => createTable(d, t)), ...CHANGES.map((c) => change(d, c))];
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const [i, revision] of revisions.entries()) {
    const className = `Migration${20240101000000 + i * 100}`;
    writeFileSync(join(migrations, `${className}.ts`), migrationSource(className, revision));
  }
  const pkg = { sqlite: '@mikro-orm/sqlite', postgresql: '@mikro-orm/postgresql', mariadb: '@mikro-orm/mariadb' }[dialect];
  const connection =
    dialect === 'sqlite'
      ? `dbName: process.env.BENCH_DB_URL!.slice('sqlite:'.length),`
      : `clientUrl: process.env.BENCH_DB_URL,\n  dbName: decodeURIComponent(new URL(process.env.BENCH_DB_URL!).pathname.slice(1)),`;
  return writeBenchConfig(dir, { pkg, note: `${revisions.length} revisions of a real-size history; BENCH_DB_URL chooses the database.`, connection });
}
