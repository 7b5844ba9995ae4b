// Character-level readers for the tokenizer. Each takes the index where a construct starts and
// returns the index just after it ends, or the end of the text when it never does.

/** True for the characters SQL treats as blank between tokens. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** True for a decimal digit. */
export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** True for a character that may begin an unquoted name or keyword. */
export function isWordStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) > 127;
}

/** True for a character that may continue an unquoted name or keyword. */
export function isWordPart(c: string | undefined): boolean {
  return isWordStart(c) || isDigit(c) || c === '$';
}

/** End of a `--` or `#` comment: the line break stays, it separates tokens anyway. */
export function lineCommentEnd(sql: string, i: number): number {
  const end = sql.indexOf('\n', i);
  return end === -1 ? sql.length : end;
}

/** End of a block comment starting at `i` (on `/*`); PostgreSQL nests them, the others do not. */
export function blockCommentEnd(sql: string, i: number, nested: boolean): number {
  let depth = 0;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth = nested ? depth + 1 : 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** End of a quoted string or name starting at `i` (on the quote); a doubled quote is the quote itself. */
export function quotedEnd(sql: string, i: number, close: string, backslash: boolean): number {
  let k = i + 1;
  while (k < sql.length) {
    const c = sql[k];
    if (backslash && c === '\\') {
      k += 2;
    } else if (c === close) {
      if (close !== ']' && sql[k + 1] === close) k += 2;
      else return k + 1;
    } else {
      k++;
    }
  }
  return sql.length;
}

const BACKSLASH_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

/** The content between the quotes, with escapes resolved (quotes left off when unterminated). */
export function unquote(raw: string, close: string, backslash: boolean): string {
  const terminated = raw.length >= 2 && raw.endsWith(close) && quotedEnd(raw, 0, close, backslash) === raw.length;
  const body = raw.slice(1, terminated ? -1 : undefined);
  let value = '';
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (backslash && c === '\\' && k + 1 < body.length) {
      const escaped = body[++k];
      value += BACKSLASH_ESCAPES[escaped] ?? escaped;
    } else {
      value += c;
      if (c === close && close !== ']' && body[k + 1] === close) k++;
    }
  }
  return value;
}

/** The `$tag$` opening a PostgreSQL dollar-quoted body at `i`, if one does. */
export function dollarTag(sql: string, i: number): string | undefined {
  let k = i + 1;
  if (isDigit(sql[k])) return undefined;
  while (k < sql.length && isWordPart(sql[k]) && sql[k] !== '$') k++;
  return sql[k] === '$' ? sql.slice(i, k + 1) : undefined;
}

/** End of a number: decimal, with fraction and exponent, or hexadecimal `0x…`. */
export function numberEnd(sql: string, i: number): number {
  let k = i;
  if (sql[k] === '0' && (sql[k + 1] === 'x' || sql[k + 1] === 'X')) {
    k += 2;
    while (isDigit(sql[k]) || 'abcdefABCDEF'.includes(sql[k] || '#')) k++;
    return k;
  }
  while (isDigit(sql[k])) k++;
  if (sql[k] === '.') {
    k++;
    while (isDigit(sql[k])) k++;
  }
  if ((sql[k] === 'e' || sql[k] === 'E') && (isDigit(sql[k + 1]) || ((sql[k + 1] === '+' || sql[k + 1] === '-') && isDigit(sql[k + 2])))) {
    k += 2;
    while (isDigit(sql[k])) k++;
  }
  return k;
}

/** End of an unquoted name or keyword. */
export function wordEnd(sql: string, i: number): number {
  let k = i + 1;
  while (k < sql.length && isWordPart(sql[k])) k++;
  return k;
}
