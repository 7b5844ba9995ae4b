import { createRequire } from 'node:module';

export type TsMorph = typeof import('ts-morph');

let loaded: TsMorph | undefined;

/** ts-morph (and the TypeScript it bundles, about half a second) loads on the first entity edit, never at start-up. */
export function tsMorph(): TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return loaded;
}
