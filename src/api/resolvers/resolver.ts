import type { RequestContext } from '../context.js';

/**
 * A field resolver that takes the arguments and our request context (mercurius types the context as its
 * own; ours is built by buildContext in src/api/context.ts). The one wrapper every feature uses.
 */
export const resolver =
  (answer: (args: unknown, context: RequestContext) => Promise<unknown>) =>
  (_root: unknown, args: unknown, context: unknown) =>
    answer(args, context as RequestContext);
