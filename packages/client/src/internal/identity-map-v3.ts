import type { IdentityMapV3Input, IdentityMapV3Item, IdentityMapV3Result } from '../types.js';
import { runPool } from './run-pool.js';
import { DII_FIELDS, type DiiKey, type WireObject, asArray, badFormat } from './wire.js';

/** The most identifiers one `/v3/identity/map` request may carry (UID2 docs; spec/api.md §2.4). */
export const MAX_MAP_BATCH_SIZE = 5_000;

interface Slice {
  readonly key: DiiKey;
  readonly field: string;
  readonly start: number;
  readonly end: number;
}

/** Sends one batch (wire field → identifiers) and resolves to the decrypted success `body`. */
export type MapBatchSender = (payload: Record<string, readonly string[]>) => Promise<unknown>;

/** Batching settings of {@link mapInBatches}. */
export interface MapBatchOptions {
  /** Identifiers per request, 1–5,000 (default 5,000). */
  readonly batchSize?: number | undefined;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number | undefined;
  /** Called after each batch with the number of identifiers finished so far and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * Splits a mixed v3 input into batches of at most `batchSize` identifiers (types may share a
 * batch), sends them with bounded parallelism and writes every answer back at its input index.
 *
 * @throws TypeError on a batch size outside 1–5,000 or a concurrency below 1
 * @throws Uid2ClientError from the sender, or `ERR_RESPONSE_FORMAT` when an answer array does not
 *   match its request
 */
export async function mapInBatches(
  input: IdentityMapV3Input,
  send: MapBatchSender,
  options: MapBatchOptions = {},
): Promise<IdentityMapV3Result> {
  const batchSize = options.batchSize ?? MAX_MAP_BATCH_SIZE;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_MAP_BATCH_SIZE) {
    throw new TypeError(`batchSize must be an integer from 1 to ${MAX_MAP_BATCH_SIZE}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError('concurrency must be a positive integer');

  const result = { email: [], emailHash: [], phone: [], phoneHash: [] } as Record<
    DiiKey,
    IdentityMapV3Item[]
  >;
  const batches = planBatches(input, batchSize);
  let total = 0;
  for (const [key] of DII_FIELDS) total += input[key]?.length ?? 0;
  let done = 0;

  await runPool(batches, concurrency, async (batch) => {
    const payload: Record<string, readonly string[]> = {};
    for (const slice of batch) payload[slice.field] = (input[slice.key] ?? []).slice(slice.start, slice.end);
    const body = await send(payload);
    const object = body as WireObject | null;
    if (typeof object !== 'object' || object === null) badFormat('body is not an object');
    for (const slice of batch) {
      const items = asArray(object[slice.field], slice.field);
      if (items.length !== slice.end - slice.start) badFormat(`${slice.field} has the wrong length`);
      const target = result[slice.key];
      for (let i = 0; i < items.length; i++) target[slice.start + i] = itemFromWire(items[i]);
    }
    done += batch.reduce((sum, slice) => sum + slice.end - slice.start, 0);
    options.onProgress?.(done, total);
  });
  return result;
}

function planBatches(input: IdentityMapV3Input, batchSize: number): Slice[][] {
  const batches: Slice[][] = [];
  let current: Slice[] = [];
  let room = batchSize;
  for (const [key, field] of DII_FIELDS) {
    const length = input[key]?.length ?? 0;
    let start = 0;
    while (start < length) {
      const end = Math.min(length, start + room);
      current.push({ key, field, start, end });
      room -= end - start;
      start = end;
      if (room === 0) {
        batches.push(current);
        current = [];
        room = batchSize;
      }
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Reads one `{u, p, r}` / `{e}` element (spec/api.md §7.2). */
export function itemFromWire(value: unknown): IdentityMapV3Item {
  if (typeof value === 'object' && value !== null) {
    const { u, p, r, e } = value as { u?: unknown; p?: unknown; r?: unknown; e?: unknown };
    if (
      typeof u === 'string' &&
      (p === null || p === undefined || typeof p === 'string') &&
      typeof r === 'number'
    ) {
      return { mapped: true, rawUid: u, previousRawUid: p ?? null, refreshFromSeconds: r };
    }
    if (typeof e === 'string') return { mapped: false, reason: e };
  }
  return badFormat('identity map item is neither {u,p,r} nor {e}');
}
