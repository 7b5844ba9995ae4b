// Passwords are hidden in everything migrate-ui prints: messages, stack traces, JSON, the TUI.

const secrets = new Set<string>();

/** Remembers a password, so that maskPasswords hides it wherever it appears, URL or not (a space in it, a stack trace). */
export function rememberSecret(secret: unknown): void {
  if (typeof secret !== 'string' || secret.length < 4) return;
  secrets.add(secret);
  for (const form of [encodeURIComponent(secret), safeDecode(secret)]) if (form.length >= 4) secrets.add(form);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query parameters that carry a credential (libpq's password, sslpassword, sslkey; tokens, secrets, keys). */
const CREDENTIAL_PARAM = /([?&;][\w.-]*(?:pass|pwd|token|secret|key|auth|credential)[\w.-]*=)([^&#\s]*)/gi;
/** The same in running text, where punctuation ends the URL: "…?password=x: connection refused". */
const CREDENTIAL_PARAM_IN_TEXT = /([?&;][\w.-]*(?:pass|pwd|token|secret|key|auth|credential)[\w.-]*=)([^&#\s]*?)(?=[:,.;)]*(?:[&#\s]|$))/gi;
/** In running text a URL ends at whitespace: its password runs to the last `@` before it. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):(\S*)@/gi;
/** A text that is one URL and nothing else: its password runs to the last `@`, spaces and all, as a URL parser reads it. */
const WHOLE_URL = /^(\s*[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^\n]*)@(?=[^@\n]*$)/i;

/** Remembers every credential of a database URL (its password, credential query parameters), wherever it later appears. */
export function rememberUrlSecrets(url: string): void {
  rememberSecret(WHOLE_URL.exec(url)?.[2]);
  for (const [, , value] of url.matchAll(CREDENTIAL_PARAM)) rememberSecret(value);
}

/** Replaces every remembered password, and the password and credential parameters of every URL in `text`, with `***`. */
export function maskPasswords(text: string): string {
  let masked = text;
  // Remembered passwords first, and longest first: a password that contains `@ `, or another password, is hidden whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) masked = masked.split(secret).join('***');
  const oneUrl = WHOLE_URL.test(masked) || !/\s/.test(masked.trim());
  if (oneUrl) return masked.replace(WHOLE_URL, '$1:***@').replace(CREDENTIAL_PARAM, '$1***');
  return masked.replace(URL_PASSWORD, '$1:***@').replace(CREDENTIAL_PARAM_IN_TEXT, '$1***');
}
