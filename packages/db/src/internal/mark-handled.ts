/**
 * Returns `promise` after attaching a no-op rejection handler, so a request made ahead of its
 * consumer (a read-ahead) that fails before it is awaited, or after the consumer stopped early,
 * is not reported as an unhandled rejection. Awaiting the returned promise still throws.
 */
export function markHandled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
