import Hashids from 'hashids';

/** Minimum length of the hashids part of a bucket id (operator `RotatingSaltProvider`). */
export const BUCKET_ID_MIN_LENGTH = 9;

/**
 * Creates a bucket-id encoder (spec/internals.md §3.10): `idPrefix + Hashids(idSecret, 9).encode(id)`,
 * with the npm `hashids` 2.x implementation of the algorithm of Java `org.hashids:hashids:1.0.3`.
 * Building the encoder shuffles the alphabet once; reuse it for many ids.
 *
 * @param idPrefix - `id_prefix` of the salt metadata (e.g. `b`).
 * @param idSecret - `id_secret` of the salt metadata, used as the hashids salt text.
 * @returns `(id) => bucketId`; `id` is the salt-file row id (a non-negative integer).
 * @throws TypeError (from the returned function) if `id` is not a non-negative safe integer.
 */
export function createBucketIdEncoder(idPrefix: string, idSecret: string): (id: number) => string {
  const hashids = new Hashids(idSecret, BUCKET_ID_MIN_LENGTH);
  return (id: number): string => {
    if (!(Number.isSafeInteger(id) && id >= 0))
      throw new TypeError('a bucket row id is a non-negative integer');
    return idPrefix + hashids.encode(id);
  };
}

let lastPrefix: string | undefined;
let lastSecret: string | undefined;
let lastEncoder: ((id: number) => string) | undefined;

/**
 * Bucket id of one salt row: `idPrefix + Hashids(idSecret, 9).encode(id)` (spec/internals.md §3.10).
 * Remembers the encoder of the last prefix/secret pair, so repeated calls with the same metadata
 * are cheap; prefer {@link createBucketIdEncoder} in loops.
 *
 * @param idPrefix - `id_prefix` of the salt metadata.
 * @param idSecret - `id_secret` of the salt metadata.
 * @param id - salt-file row id (non-negative integer).
 * @throws TypeError if `id` is not a non-negative safe integer.
 */
export function bucketIdFor(idPrefix: string, idSecret: string, id: number): string {
  if (lastEncoder === undefined || lastPrefix !== idPrefix || lastSecret !== idSecret) {
    lastEncoder = createBucketIdEncoder(idPrefix, idSecret);
    lastPrefix = idPrefix;
    lastSecret = idSecret;
  }
  return lastEncoder(id);
}
