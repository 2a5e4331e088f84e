import { Worker } from 'node:worker_threads';

const SOURCE_CONDITION = '@uid2-operator/source';

/**
 * The default worker entry beside this module: `hash-worker.ts` when running from TypeScript
 * sources (tests, `npm start` under tsx), `hash-worker.js` in the built `dist/`.
 */
export function defaultHashWorkerEntry(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './hash-worker.ts' : './hash-worker.js', import.meta.url);
}

/**
 * Starts a worker thread running `entry`. A `.js` entry starts directly with the parent's
 * `execArgv`. A `.ts` entry cannot: Node 20 does not apply a parent's `--import tsx` to a worker's
 * main module, so a tiny bootstrap registers tsx's ESM loader inside the worker and then imports
 * the entry; the workspace source condition is added so `@uid2-operator/*` packages resolve to
 * their TypeScript sources, as in the parent.
 *
 * @throws when tsx cannot be resolved for a `.ts` entry (no dev dependencies installed)
 */
export function startHashWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { execArgv: process.execArgv });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: withSourceCondition(process.execArgv) });
}

/** `execArgv` plus `--conditions=@uid2-operator/source` unless it is already there. */
export function withSourceCondition(execArgv: readonly string[]): string[] {
  const has = execArgv.some((arg) => arg === SOURCE_CONDITION || arg.endsWith(`=${SOURCE_CONDITION}`));
  return has ? [...execArgv] : [...execArgv, `--conditions=${SOURCE_CONDITION}`];
}
