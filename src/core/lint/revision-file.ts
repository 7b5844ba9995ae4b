// A revision file's source read once, never imported (DESIGN §4: `status` runs no migration code): its migration class,
// what that class extends, the bodies of the methods a revision kind reads, the `op.*` calls in them with their literal
// arguments, the strings they hold, and the `@migrate-ui` markers of its comments. The kinds (core/revisions.ts), the
// static lint (lint/source.ts) and the authoring that reopens a generated file (authoring/file.ts) all read this one
// structure, kept per file text. Comments and strings never pass for code here.
import { REVISION_KINDS } from '../revisions.js';
import { type Markers, scanSource } from './scan.js';
import { classMethods, type Literal, Script } from './script.js';

/** The methods a revision's kind is told by, and the static lint reads: each kind's parts of up(), and down(). */
const METHODS = [...new Set([...REVISION_KINDS.flatMap((kind) => kind.up), 'down'])];

/** One `op.<method>(…)` call of a method body. */
export interface OperationCall {
  method: string;
  /** Each argument's literal value; undefined where it is not a literal (a variable, a call, a `${…}` template). */
  args: Array<Literal | undefined>;
  /** The call as written. */
  text: string;
}

/** What a method body holds, in the order it is written: operation calls and string literals (outside those calls). */
export type BodyPart = { call: OperationCall } | { string: string; substituted?: boolean; argumentOf?: string };

/** One method of the migration class, as far as its text tells. */
export interface MethodBody {
  parts: BodyPart[];
  /** True when the body calls anything at all (an operation, `this.addSql`, a helper). */
  calls: boolean;
  /** The SQL strings handed to `this.addSql(…)` as literals. */
  addSql: string[];
}

/** A revision file's source, read. */
export interface RevisionReading {
  /** The migration class: the first class with a method some kind reads; undefined when there is none. */
  className?: string;
  /** The name it extends (`DataMigration` for `extends mui.DataMigration`). */
  extends?: string;
  /** Its methods a kind reads (up, down, steps, beforeSteps, afterSteps), by name. */
  methods: Map<string, MethodBody>;
  /** The `@migrate-ui <name> <value>` markers of its comments: `spec` holds the spec of a file migrate-ui wrote. */
  markers: Markers;
}

const KEPT = 64;
const readings = new Map<string, RevisionReading>();

/** The reading of a revision file's text; the same text is read once (the last few texts are kept). */
export function readRevisionFile(source: string): RevisionReading {
  const known = readings.get(source);
  if (known) return known;
  const reading = read(source);
  if (readings.size >= KEPT) readings.delete(readings.keys().next().value as string);
  readings.set(source, reading);
  return reading;
}

function read(source: string): RevisionReading {
  const { tokens, markers } = scanSource(source);
  const script = new Script(tokens);
  const ranges = classMethods(script, METHODS);
  const reading: RevisionReading = { methods: new Map(), markers };
  const first = Math.min(...[...ranges.values()].map(([start]) => start));
  if (ranges.size > 0) Object.assign(reading, classOf(script, first));
  // A file migrate-ui wrote calls its operations through `op` (`const op = ops(this)`).
  const generated = markers.has('spec');
  for (const [name, range] of ranges) reading.methods.set(name, readBody(script, source, range, generated));
  return reading;
}

/** The name and base of the class whose body holds token `inside`. */
function classOf(script: Script, inside: number): { className?: string; extends?: string } {
  let at = -1;
  for (let i = 0; i < inside; i++) if (script.isName(i, 'class') && !script.is(i - 1, '.')) at = i;
  if (at < 0) return {};
  const className = script.isName(at + 1) && !script.isName(at + 1, 'extends') ? script.tokens[at + 1].value : undefined;
  let base: string | undefined;
  for (let i = at + 1; i < inside && !script.is(i, '{'); i++) {
    if (!script.isName(i, 'extends')) continue;
    // `extends a.b.DataMigration`: the last name of the dotted path.
    let j = i + 1;
    while (script.isName(j) && script.is(j + 1, '.')) j += 2;
    if (script.isName(j)) base = script.tokens[j].value;
  }
  return { ...(className && { className }), ...(base && { extends: base }) };
}

/** The variable `ops(this)` is assigned to in [start, end), if any: `const op = ops(this)`. */
function operationsVariable(script: Script, [start, end]: [number, number]): string | undefined {
  for (let i = start; i + 3 < end; i++) {
    if (script.isName(i) && script.is(i + 1, '=') && script.isName(i + 2, 'ops') && script.is(i + 3, '(')) return script.tokens[i].value;
  }
  return undefined;
}

function readBody(script: Script, source: string, range: [number, number], generated: boolean): MethodBody {
  const body: MethodBody = { parts: [], calls: false, addSql: [] };
  const op = operationsVariable(script, range) ?? (generated ? 'op' : undefined);
  const [start, end] = range;
  for (let i = start; i < end; i++) {
    const token = script.tokens[i];
    if (
      op !== undefined &&
      script.isName(i, op) &&
      !script.is(i - 1, '.') &&
      script.is(i + 1, '.') &&
      script.isName(i + 2) &&
      script.is(i + 3, '(')
    ) {
      const close = script.close(i + 3);
      const args = script.items(i + 4, close).map(([from, to]) => script.literal(from, to));
      const text = source.slice(token.start, script.tokens[close]?.end ?? source.length);
      body.parts.push({ call: { method: script.tokens[i + 2].value, args, text } });
      body.calls = true;
      i = close;
    } else if (token.kind === 'punctuation' && token.value === '(') {
      body.calls = true;
    } else if (token.kind === 'string') {
      // The function a string is the first argument of: `this.addSql('…')`.
      const argumentOf = script.is(i - 1, '(') && script.isName(i - 2) ? script.tokens[i - 2].value : undefined;
      body.parts.push({ string: token.value, ...(token.substituted && { substituted: true }), ...(argumentOf && { argumentOf }) });
      if (argumentOf === 'addSql' && !token.substituted && (script.is(i + 1, ')') || script.is(i + 1, ','))) body.addSql.push(token.value);
    }
  }
  return body;
}
