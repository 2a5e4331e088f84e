import type { StoreContext } from './store-context.js';

const contexts = new WeakMap<object, StoreContext>();

/** Remembers the internals of a Database for package-internal helpers (the dev seed). */
export function registerContext(db: object, ctx: StoreContext): void {
  contexts.set(db, ctx);
}

/** The internals of a Database opened by this package. @throws TypeError for any other object. */
export function contextOf(db: object): StoreContext {
  const ctx = contexts.get(db);
  if (ctx === undefined) throw new TypeError('not a Database opened by openDatabase()');
  return ctx;
}
