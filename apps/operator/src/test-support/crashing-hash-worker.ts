/**
 * A hashing worker for tests (`HashPool` option `workerEntry`): the real worker logic, except that
 * a job holding `crash-always@worker.test` ends the thread on every attempt and one holding
 * `crash-once@worker.test` ends it on the first attempt only (the pool's retry then succeeds).
 */
import { parentPort } from 'node:worker_threads';
import { HashWorkerState, type ToHashWorker } from '../services/hash-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('must run in a worker thread');
const state = new HashWorkerState();
port.on('message', (message: ToHashWorker) => {
  if (message.kind === 'job' && message.work.kind === 'hash') {
    const values = message.work.input.values;
    if (values.includes('crash-always@worker.test')) process.exit(70);
    if (message.attempt === 0 && values.includes('crash-once@worker.test')) process.exit(71);
  }
  const reply = state.handle(message);
  if (reply !== undefined) port.postMessage(reply.message, reply.transfer);
});
