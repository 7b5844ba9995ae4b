// The operation table's lint shapes, handed to core's static lint (core holds no operation), and the lint of a
// revision file with them: what `status` and the timeline give.
import type { LintShapes } from '../../core/lint/shapes.js';
import { lintSource } from '../../core/lint/source.js';
import type { LintWarning, LiveSchema } from '../../core/sql/lint.js';
import type { Dialect } from '../../core/url.js';
import { OPERATIONS } from './index.js';

/** Each `op.<method>` a generated file calls, with its shape, from the entries that bring it. */
export const LINT_SHAPES: LintShapes = new Map(Object.values(OPERATIONS).flatMap((def) => Object.entries(def.lint ?? {})));

/** The lint warnings of a migration file's source, its operation calls read through the operation table. */
export function lintFile(source: string, dialect: Dialect, live?: LiveSchema): LintWarning[] {
  return lintSource(source, dialect, LINT_SHAPES, live);
}
