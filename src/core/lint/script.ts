// The parts of a scanned migration file the static lint needs: the bodies of the class's up() and down(), and the
// literal arguments of a call.
import type { ScriptToken } from './scan.js';

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
