/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight. Results are the caller's
 * business (workers write into index-addressed slots), so completion order does not matter.
 * After the first failure no new item starts; in-flight ones finish, then that failure is thrown.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await worker(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== undefined) throw failure.error;
}

/**
 * Cuts `items` into slices of at most `size`, runs `work` on them with bounded parallelism and
 * concatenates the answers in slice order.
 */
export async function inSlices<T, R>(
  items: readonly T[],
  size: number,
  concurrency: number,
  work: (slice: readonly T[]) => Promise<readonly R[]>,
): Promise<R[]> {
  const slices: (readonly T[])[] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  const results: (readonly R[])[] = [];
  await runPool(slices, concurrency, async (slice, index) => {
    results[index] = await work(slice);
  });
  return results.flat();
}
