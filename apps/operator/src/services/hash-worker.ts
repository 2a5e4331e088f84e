/**
 * Entry file of an identity-map hashing worker thread (started by `HashPool`): applies the pool's
 * messages to a {@link HashWorkerState} in order and posts each job's result back, transferring its
 * typed arrays. Nothing here logs: results and errors travel only to the parent.
 */
import { parentPort } from 'node:worker_threads';
import { HashWorkerState, type ToHashWorker } from './hash-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('hash-worker must run in a worker thread');
const state = new HashWorkerState();
port.on('message', (message: ToHashWorker) => {
  const reply = state.handle(message);
  if (reply !== undefined) port.postMessage(reply.message, reply.transfer);
});
