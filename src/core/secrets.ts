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

/** The password part of a URL's authority runs to its last `@`: `s3/cr3t@PW` is one password. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):(\S*)@/gi;

/** Replaces the password of every URL in `text`, and every remembered password, with `***`. */
export function maskPasswords(text: string): string {
  let masked = text.replace(URL_PASSWORD, '$1:***@');
  // Longest first, so a password that contains another one is hidden whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) masked = masked.split(secret).join('***');
  return masked;
}
