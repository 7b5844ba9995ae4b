// A revision file's source read once, never imported (DESIGN §4: `status` runs no migration code): its migration class,
// what that class extends, the bodies of the methods a revision kind reads, the `op.*` calls in them with their literal
// arguments, the strings they hold, and the `@migrate-ui` markers of its comments. The kinds (core/revisions.ts), the
// static lint (lint/source.ts) and the authoring that reopens a generated file (authoring/file.ts) all read this one
// structure, kept per file text. Comments and strings never pass for code here.
import { REVISION_KINDS } from '../revisions.js';
import { type Markers, type ScriptToken, scanSource } from './scan.js';

// The parts of a scanned file: brackets matched, a call's literal arguments, a class's method bodies.
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** A plain value written in the source: what a call's argument is when it is a literal. */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/** Scanned tokens with each bracket's partner, so a reader can step over a whole group. */
export class Script {
  private readonly partners = new Map<number, number>();

  constructor(readonly tokens: ScriptToken[]) {
    const open: number[] = [];
    tokens.forEach((token, index) => {
      if (token.kind !== 'punctuation') return;
      if (CLOSERS[token.value]) open.push(index);
      else if (Object.values(CLOSERS).includes(token.value)) {
        const at = open.pop();
        if (at !== undefined && CLOSERS[tokens[at].value] === token.value) this.partners.set(at, index);
      }
    });
  }

  /** True when the token at `index` is this punctuation. */
  is(index: number, value: string): boolean {
    const token = this.tokens[index];
    return token?.kind === 'punctuation' && token.value === value;
  }

  /** True when the token at `index` is this name. */
  isName(index: number, value?: string): boolean {
    const token = this.tokens[index];
    return token?.kind === 'name' && (value === undefined || token.value === value);
  }

  /** The index of the bracket closing the one at `index` (the end of the tokens when it never closes). */
  close(index: number): number {
    return this.partners.get(index) ?? this.tokens.length;
  }

  /** The next index after the token at `index`, stepping over a whole bracketed group. */
  after(index: number): number {
    return CLOSERS[this.tokens[index]?.value ?? ''] && this.tokens[index].kind === 'punctuation' ? this.close(index) + 1 : index + 1;
  }

  /** The token ranges [start, end) between top-level commas of [from, to). */
  items(from: number, to: number): Array<[number, number]> {
    const items: Array<[number, number]> = [];
    let start = from;
    for (let i = from; i < to; i = this.after(i)) {
      if (this.is(i, ',')) {
        items.push([start, i]);
        start = i + 1;
      }
    }
    if (start < to) items.push([start, to]);
    return items;
  }

  /** The literal written in [from, to), or undefined when it is anything else (a variable, a call, a `${…}` template). */
  literal(from: number, to: number): Literal | undefined {
    const token = this.tokens[from];
    if (!token) return undefined;
    const single = to === from + 1;
    if (token.kind === 'string' && single) return token.substituted ? undefined : token.value;
    if (token.kind === 'number' && single) return Number(token.value.replace(/_/g, ''));
    if (this.is(from, '-') && this.tokens[from + 1]?.kind === 'number' && to === from + 2) return -Number(this.tokens[from + 1].value);
    if (token.kind === 'name' && single) return ({ true: true, false: false, null: null } as Record<string, Literal>)[token.value];
    if (this.close(from) !== to - 1) return undefined;
    if (this.is(from, '[')) {
      const values = this.items(from + 1, to - 1).map(([start, end]) => this.literal(start, end));
      return values.every((value) => value !== undefined) ? (values as Literal[]) : undefined;
    }
    if (this.is(from, '{')) return this.object(from + 1, to - 1);
    return undefined;
  }

  private object(from: number, to: number): Literal | undefined {
    const object: { [key: string]: Literal } = {};
    for (const [start, end] of this.items(from, to)) {
      const key = this.tokens[start];
      if ((key.kind !== 'name' && key.kind !== 'string') || !this.is(start + 1, ':')) return undefined;
      const value = this.literal(start + 2, end);
      // `undefined` is how a person leaves a field out.
      if (value === undefined && !(end === start + 3 && this.isName(start + 2, 'undefined'))) return undefined;
      if (value !== undefined) object[key.value] = value;
    }
    return object;
  }
}

/** The bodies of a class's methods, as token ranges [start, end) between their braces. */
export type MethodBodies = Map<string, [number, number]>;

/** After `name`: `(…) [: type] {` for a method, `= [async] (…) => {` or `= [async] function (…) {` for a property. */
function bodyStart(script: Script, index: number): number | undefined {
  let i = index + 1;
  if (script.is(i, '=')) {
    i++;
    if (script.isName(i, 'async')) i++;
    if (script.isName(i, 'function')) i++;
    if (!script.is(i, '(')) return undefined;
    i = script.after(i);
    if (script.is(i, '=') && script.is(i + 1, '>')) i += 2;
  } else if (script.is(i, '(')) {
    i = script.after(i);
  } else return undefined;
  if (script.is(i, ':')) i = afterReturnType(script, i + 1);
  return script.is(i, '{') ? i : undefined;
}

/** Steps over a return type (`Promise<{ done: boolean }>`, `{ a: string }`) to the brace that opens the body. */
function afterReturnType(script: Script, from: number): number {
  let angles = 0;
  let i = from;
  for (; i < script.tokens.length && !script.is(i, ';'); i = script.after(i)) {
    if (script.is(i, '<')) angles++;
    else if (script.is(i, '>') && !script.is(i - 1, '=')) angles--;
    // A brace right after `:`, `|` or `&`, or inside `<…>`, opens an object type, not the body.
    else if (script.is(i, '{') && angles === 0 && i > from && !['|', '&'].some((op) => script.is(i - 1, op))) return i;
  }
  return i;
}

/** The methods `names` of the first class that has any of them, found among its members (never inside other code). */
export function classMethods(script: Script, names: string[]): MethodBodies {
  for (let i = 0; i < script.tokens.length; i++) {
    if (!script.isName(i, 'class')) continue;
    let open = i + 1;
    while (open < script.tokens.length && !script.is(open, '{')) open = script.after(open);
    const found: MethodBodies = new Map();
    const end = script.close(open);
    for (let member = open + 1; member < end; member = script.after(member)) {
      const name = script.tokens[member];
      if (name.kind !== 'name' || !names.includes(name.value) || script.is(member - 1, '.') || found.has(name.value)) continue;
      const brace = bodyStart(script, member);
      if (brace === undefined) continue;
      found.set(name.value, [brace + 1, script.close(brace)]);
      member = brace;
    }
    if (found.size > 0) return found;
    i = end;
  }
  return new Map();
}

// The reading.

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

// Enough for every pending file of a long timeline: `status` reads each for its class, then lints it from the same reading.
const KEPT = 4096;
const readings = new Map<string, RevisionReading>();

/** The reading of a revision file's text; the same text is read once (the last few thousand texts are kept). */
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
