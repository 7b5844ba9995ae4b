const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** The spinner's glyph at beat `n` of a clock that turns ten times a second. */
export function spinnerAt(n: number): string {
  return FRAMES[n % FRAMES.length];
}
