import { LintSql } from '../../core/sql/lint-ops.js';
import type { Literal } from '../../core/sql/lint-script-parts.js';
import type { Dialect } from '../../core/url.js';
import { OPERATIONS } from './index.js';
import type { LintShape } from './types.js';

/** Each `op.<method>` a generated file calls, with its shape, from the entries that bring it. */
const SHAPES = new Map<string, LintShape>(Object.values(OPERATIONS).flatMap((def) => Object.entries(def.lint ?? {})));

/** The statements of one `op.<method>(…)` call, or undefined when the method or its arguments are not known. */
export function operationSql(method: string, args: Array<Literal | undefined>, dialect: Dialect): string[] | undefined {
  return SHAPES.get(method)?.(args, new LintSql(dialect), dialect);
}
