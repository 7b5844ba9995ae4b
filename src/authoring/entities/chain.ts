import type { CallExpression, Node } from 'ts-morph';
import type { Change } from './text-edits.js';
import { tsMorph } from './ts-morph.js';

// defineEntity's property builders: `p.string().nullable().default('x')`, a chain of calls on a root `p.<type>()`.

export interface BuilderCall {
  name: string;
  call: CallExpression;
}

export interface Chain {
  /** The whole expression, outermost call. */
  node: Node;
  /** `p.string()`: the builder object's name and the root method. */
  builder: string;
  root: BuilderCall;
  /** The calls after the root, in source order. */
  calls: BuilderCall[];
}

/** The builder chain of an expression; undefined for anything else (an options object, a variable). */
export function parseChain(node: Node | undefined): Chain | undefined {
  const { Node } = tsMorph();
  const calls: BuilderCall[] = [];
  let current = node;
  while (current && Node.isCallExpression(current)) {
    const callee = current.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    calls.unshift({ name: callee.getName(), call: current });
    const target = callee.getExpression();
    if (Node.isIdentifier(target)) {
      const [root, ...rest] = calls;
      return { node: node!, builder: target.getText(), root, calls: rest };
    }
    current = target;
  }
  return undefined;
}

/** The first argument of a call in the chain, as written. */
export function argumentOf(chain: Chain, name: string): Node | undefined {
  return chain.calls.find((c) => c.name === name)?.call.getArguments()[0];
}

/** Whether the chain calls `name` (`.primary()`, `.nullable()`), and not with `false`. */
export function calls(chain: Chain, name: string): boolean {
  const call = chain.calls.find((c) => c.name === name);
  return Boolean(call) && call!.call.getArguments()[0]?.getText() !== 'false';
}

/** Sets a call's arguments (`''` for none), adding the call at the end of the chain; undefined removes it. */
export function setCall(chain: Chain, name: string, args: string | undefined): Change[] {
  const existing = chain.calls.find((c) => c.name === name);
  if (!existing) return args === undefined ? [] : [{ start: chain.node.getEnd(), end: chain.node.getEnd(), text: `.${name}(${args})` }];
  const callee = existing.call.getExpression();
  if (args === undefined) {
    const before = tsMorph().Node.isPropertyAccessExpression(callee) ? callee.getExpression().getEnd() : existing.call.getStart();
    return [{ start: before, end: existing.call.getEnd(), text: '' }];
  }
  const open = existing.call.getFirstChildByKindOrThrow(tsMorph().SyntaxKind.OpenParenToken).getEnd();
  const close = existing.call.getEnd() - 1;
  return existing.call.getSourceFile().getFullText().slice(open, close) === args ? [] : [{ start: open, end: close, text: args }];
}

/** Replaces the root (`p.string()` → `p.bigint()`). */
export function setRoot(chain: Chain, type: string): Change[] {
  const text = `${chain.builder}.${type}()`;
  const root = chain.root.call;
  return root.getText() === text ? [] : [{ start: root.getStart(), end: root.getEnd(), text }];
}
