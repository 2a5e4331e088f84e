/**
 * Entry file of an identity-map hashing worker thread (started by `HashPool`): applies the pool's
 * messages to a {@link HashWorkerState} in order and posts each job's result back, transferring its
 * typed arrays. Nothing here logs: results and errors travel only to the parent.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { HashWorkerState, type ToHashWorker } from './hash-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('hash-worker must run in a worker thread');
const state = new HashWorkerState();
port.on('message', (message: ToHashWorker) => {
  if (message.kind === 'init' && message.nice > 0) lowerPriority(message.nice);
  const reply = state.handle(message);
  if (reply !== undefined) port.postMessage(reply.message, reply.transfer);
});

/**
 * Raises this thread's nice value by `increment` (capped at 19). On Linux the nice value is per
 * thread, so only this hashing thread yields the CPU to the event loop; elsewhere it may apply to
 * the process or fail, and failing is harmless (hashing just runs at normal priority).
 */
function lowerPriority(increment: number): void {
  try {
    setPriority(Math.min(19, getPriority() + increment));
  } catch {
    // Not permitted or not supported: keep the default priority.
  }
}
