import { parentPort } from 'node:worker_threads';
import { createSaltTable } from '@uid2-operator/salt-buckets';
const x: number = 1;
parentPort?.postMessage({ ok: x, t: typeof createSaltTable });
