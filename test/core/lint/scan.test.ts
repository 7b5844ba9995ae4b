import { describe, expect, it } from 'vitest';
import { classMethods, Script } from '../../../src/core/lint/revision-file.js';
import { scanScript } from '../../../src/core/lint/scan.js';

function strings(source: string): Array<string | [string, 'substituted']> {
  return scanScript(source)
    .filter((t) => t.kind === 'string')
    .map((t) => (t.substituted ? [t.value, 'substituted'] : t.value));
}

function bodyText(source: string, name: string): string | undefined {
  const script = new Script(scanScript(source));
  const range = classMethods(script, ['up', 'down']).get(name);
  if (!range) return undefined;
  const [start, end] = range;
  return start === end ? '' : source.slice(script.tokens[start].start, script.tokens[end - 1].end);
}

describe('scanScript', () => {
  it('reads single, double and template strings with their escapes unescaped', () => {
    expect(strings(`a('it\\'s', "say \\"hi\\"", \`tick \\\` \\n\`, '\\x41\\u0042\\u{43}')`)).toEqual(["it's", 'say "hi"', 'tick ` \n', 'ABC']);
  });

  it('leaves comments out, strings in them included', () => {
    expect(strings("// 'drop table a'\n/* \"drop table b\" */ x('kept') /** `c` */")).toEqual(['kept']);
  });

  it('keeps a template with substitutions as one substituted token, braces and strings inside it included', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test is a template literal
    expect(strings("f(`alter table ${t} add ${cols.map((c) => `'${c}'`).join('}')}`, 'after')")).toEqual([
      ['alter table  add ', 'substituted'],
      'after',
    ]);
  });

  it('tells a regular expression from division, so quotes and braces in it do not count', () => {
    const tokens = scanScript("const r = /['{]\\/`/g; const half = a / 2 / b; return /}/.test(x) ? '}' : ''");
    expect(tokens.filter((t) => t.kind === 'regex').map((t) => t.value)).toEqual(["/['{]\\/`/g", '/}/']);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(['}', '']);
  });

  it('does not throw on unterminated strings, templates and comments', () => {
    expect(scanScript("a('open").at(-1)?.kind).toBe('string');
    expect(scanScript('a(`open ${ b').at(-1)?.kind).toBe('string');
    expect(scanScript('a /* open').map((t) => t.value)).toEqual(['a']);
  });
});

describe('classMethods', () => {
  it("finds up() and down() of a MikroORM migration class, TypeScript's return types and modifiers included", () => {
    const source = `import { Migration } from '@mikro-orm/migrations';
export class Migration1 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table a (id int)');
  }
  public async down(): Promise<void> { this.addSql('drop table a'); }
}`;
    expect(bodyText(source, 'up')).toBe("this.addSql('create table a (id int)');");
    expect(bodyText(source, 'down')).toBe("this.addSql('drop table a');");
  });

  it('finds compiled JavaScript methods and arrow-function properties', () => {
    expect(bodyText('class M extends Migration { async up() { x(); } }', 'up')).toBe('x();');
    expect(bodyText('class M { up = async () => { y(); }; down = function () {} }', 'up')).toBe('y();');
    expect(bodyText('class M { up = async () => { y(); }; down = function () {} }', 'down')).toBe('');
  });

  it('ignores calls named up or down, methods of other objects, and braces in strings, comments and types', () => {
    const source = `const helper = { down() { return 'x'; } };
class M extends Migration {
  private opts: { a: '}' } = { a: '}' };
  async up(): Promise<{ done: boolean }> { this.down(); /* } */ return { done: true }; }
  label() { return '{ down() {'; }
}`;
    expect(bodyText(source, 'up')).toBe('this.down(); /* } */ return { done: true };');
    expect(bodyText(source, 'down')).toBeUndefined();
  });

  it('gives nothing for a file without such a class', () => {
    expect(classMethods(new Script(scanScript('export function up() {}')), ['up']).size).toBe(0);
  });
});

describe('Script.literal', () => {
  function literal(source: string) {
    const script = new Script(scanScript(source));
    return script.literal(0, script.tokens.length);
  }

  it('reads the literals a generated file writes', () => {
    expect(literal("{ name: 'priority', type: 'integer', nullable: true, default: 0 }")).toEqual({
      name: 'priority',
      type: 'integer',
      nullable: true,
      default: 0,
    });
    expect(literal("[{ name: 'id', 'primary': true, }, { default: { sql: 'now()' }, n: -1.5, x: null, u: undefined }]")).toEqual([
      { name: 'id', primary: true },
      { default: { sql: 'now()' }, n: -1.5, x: null },
    ]);
  });

  it('gives undefined for anything it cannot know without running it', () => {
    expect(literal('name')).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test is a template literal
    expect(literal('`a ${b}`')).toBeUndefined();
    expect(literal("{ name, type: 'x' }")).toBeUndefined();
    expect(literal("['a', b()]")).toBeUndefined();
    expect(literal("'a' + 'b'")).toBeUndefined();
  });
});
