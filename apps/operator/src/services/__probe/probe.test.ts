import { Worker } from 'node:worker_threads';
import { it, expect } from 'vitest';
it('probe', async () => {
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./w.ts', import.meta.url).href;
  console.log(api);
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); }).catch((e) => { throw e; });`;
  const t0 = Date.now();
  const w = new Worker(code, { eval: true, execArgv: [...process.execArgv] });
  const msg = await new Promise((res, rej) => { w.once('message', res); w.once('error', rej); });
  console.log('msg', msg, Date.now() - t0);
  await w.terminate();
  expect(1).toBe(1);
});
