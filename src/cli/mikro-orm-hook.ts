// Module resolve hook (runs on Node's loader thread): every @mikro-orm/* import from one folder, `migrate-ui` to ours when the project has none.
let parentURL: string | undefined;
let ownEntry: string | undefined;

export function initialize(data: { parentURL: string; ownEntry: string }): void {
  parentURL = data.parentURL;
  ownEntry = data.ownEntry;
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
  if (ownEntry && specifier === 'migrate-ui') {
    try {
      return await next(specifier, context);
    } catch {
      // The project has no migrate-ui of its own: the one running is the one its revisions use.
      return { url: ownEntry, shortCircuit: true };
    }
  }
  return next(specifier, context);
}
