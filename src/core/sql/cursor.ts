import type { TableRef } from './statement.js';
import type { Token } from './tokens.js';

/** True when the token is this keyword (a quoted name never is). */
export function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token?.kind === 'word' && token.value.toLowerCase() === keyword;
}

/** True for a name: an unquoted word or a quoted identifier. */
export function isName(token: Token | undefined): token is Token {
  return token?.kind === 'word' || token?.kind === 'quoted-identifier';
}

/** True when the token is this punctuation, e.g. `(`. */
export function isPunctuation(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punctuation' && token.value === value;
}

/** Cuts tokens at each comma outside parentheses. */
export function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunctuation(token, '(')) depth++;
    if (isPunctuation(token, ')')) depth--;
    if (depth === 0 && isPunctuation(token, ',')) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** Where the keywords come, in this order, outside parentheses; -1 when they do not. */
export function topLevelIndex(tokens: Token[], ...keywords: string[]): number {
  let depth = 0;
  for (const [index, token] of tokens.entries()) {
    if (isPunctuation(token, '(')) depth++;
    else if (isPunctuation(token, ')')) depth--;
    else if (depth === 0 && keywords.every((keyword, k) => isKeyword(tokens[index + k], keyword))) return index;
  }
  return -1;
}

/** Reads a statement's tokens front to back; every read either consumes what it matched or nothing. */
export class Cursor {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    /** The source text the tokens point into. */
    readonly text: string,
  ) {}

  /** The token `ahead` places on, without consuming it. */
  peek(ahead = 0): Token | undefined {
    return this.tokens[this.position + ahead];
  }

  /** True when every token has been read. */
  get done(): boolean {
    return this.position >= this.tokens.length;
  }

  /** Consumes one token, whatever it is. */
  next(): Token | undefined {
    return this.tokens[this.position++];
  }

  /** True when the next tokens are these keywords, in order; consumes nothing. */
  at(...keywords: string[]): boolean {
    return keywords.every((keyword, k) => isKeyword(this.peek(k), keyword));
  }

  /** Consumes the keywords when they come next, in order. */
  accept(...keywords: string[]): boolean {
    if (!this.at(...keywords)) return false;
    this.position += keywords.length;
    return true;
  }

  /** Consumes whichever one of the keywords comes next and says which. */
  acceptOneOf(...keywords: string[]): string | undefined {
    const keyword = keywords.find((k) => isKeyword(this.peek(), k));
    if (keyword) this.position++;
    return keyword;
  }

  /** True when this punctuation comes next; consumes nothing. */
  atPunctuation(value: string): boolean {
    return isPunctuation(this.peek(), value);
  }

  /** Consumes this punctuation when it comes next. */
  acceptPunctuation(value: string): boolean {
    if (!this.atPunctuation(value)) return false;
    this.position++;
    return true;
  }

  /** A name, unquoted. */
  name(): string | undefined {
    return isName(this.peek()) ? this.next()?.value : undefined;
  }

  /** A table (or index, view) name, maybe schema-qualified; of `db.schema.table` the last two parts count. */
  tableRef(): TableRef | undefined {
    const parts: string[] = [];
    for (let part = this.name(); part !== undefined; part = this.acceptPunctuation('.') ? this.name() : undefined) {
      parts.push(part);
    }
    if (parts.length === 0) return undefined;
    const name = parts[parts.length - 1];
    return parts.length === 1 ? { name } : { name, schema: parts[parts.length - 2] };
  }

  /** Comma-separated items, as many as `read` finds. */
  list<T>(read: () => T | undefined): T[] {
    const items: T[] = [];
    for (let item = read(); item !== undefined; item = this.acceptPunctuation(',') ? read() : undefined) items.push(item);
    return items;
  }

  /** Consumes a parenthesised group and gives the tokens inside it. */
  group(): Token[] | undefined {
    if (!this.atPunctuation('(')) return undefined;
    const start = this.position + 1;
    let depth = 0;
    do {
      const token = this.next();
      if (isPunctuation(token, '(')) depth++;
      if (isPunctuation(token, ')')) depth--;
    } while (depth > 0 && !this.done);
    return this.tokens.slice(start, depth === 0 ? this.position - 1 : this.position);
  }

  /** Consumes everything left. */
  rest(): Token[] {
    const rest = this.tokens.slice(this.position);
    this.position = this.tokens.length;
    return rest;
  }

  /** A cursor over other tokens of the same text. */
  over(tokens: Token[]): Cursor {
    return new Cursor(tokens, this.text);
  }
}

/** The source text the tokens were read from, from the first to the last. */
export function sourceOf(text: string, tokens: Token[]): string {
  return tokens.length === 0 ? '' : text.slice(tokens[0].start, tokens[tokens.length - 1].end);
}
