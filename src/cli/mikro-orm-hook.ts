// Module resolve hook (runs on Node's loader thread): resolves every @mikro-orm/* import from one folder.
let parentURL: string | undefined;

export function initialize(data: { parentURL: string }): void {
  parentURL = data.parentURL;
}

type Next = (specifier: string, context: { parentURL?: string; conditions?: string[] }) => Promise<unknown>;

export async function resolve(specifier: string, context: { parentURL?: string; conditions?: string[] }, next: Next): Promise<unknown> {
  if (parentURL && specifier.startsWith('@mikro-orm/')) {
    try {
      return await next(specifier, { ...context, parentURL });
    } catch {
      // Not in the chosen copy: resolve it as usual.
    }
  }
  return next(specifier, context);
}
