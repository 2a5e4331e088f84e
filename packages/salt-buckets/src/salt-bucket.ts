/**
 * Key material of a salt bucket, used for raw UID v4 (spec/internals.md §3.7, §3.10). `key` and
 * `salt` are used as their UTF-8/ASCII **text bytes**, never base64-decoded; the key text must be
 * 16, 24 or 32 bytes (AES-128/192/256; 32 in all known data).
 */
export interface KeyMaterial {
  /** Key id; only its low 24 bits are written into the raw UID. */
  readonly id: number;
  /** AES key text (32 ASCII characters in practice). */
  readonly key: string;
  /** Salt text hashed into the IV. */
  readonly salt: string;
}

/**
 * One rotating salt bucket (spec/internals.md §3.10, salt-file columns; api.md §5.4 `salt_entry`).
 * Exactly the row shape `packages/db` streams. Salts are used as text. A bucket produces raw UID
 * v2/v3 while `currentSalt` is set and raw UID v4 from `currentKey` otherwise; an empty string
 * counts as absent.
 */
export interface SaltBucket {
  /** Position in the salt table (the salt-file line number, 0-based); what the FLH selects. */
  readonly index: number;
  /** Opaque bucket id (`hashedId`) reported by identity map v2 and `/v2/identity/buckets`. */
  readonly bucketId: string;
  /** Epoch ms of the bucket's last rotation. */
  readonly lastUpdatedMs: number;
  /** Epoch ms before which the bucket's raw UIDs will not change. */
  readonly refreshFromMs: number;
  /** Current rotating salt text, or `null` when the bucket uses key material. */
  readonly currentSalt: string | null;
  /** Salt before the last rotation, or `null`. */
  readonly previousSalt: string | null;
  /** Current v4 key material, or `null`. */
  readonly currentKey: KeyMaterial | null;
  /** v4 key material before the last rotation, or `null`. */
  readonly previousKey: KeyMaterial | null;
}

/**
 * Read side of a salt snapshot, what identity mapping needs (spec/api.md §5.4). Implemented by the
 * compact in-memory table of {@link createSaltTable}; other implementations are accepted by
 * `mapIdentity` through the slower generic path.
 */
export interface SaltSource {
  /** First-level salt text (`first_level` of the salt metadata), hashed as text. */
  readonly firstLevelSalt: string;
  /** Number of buckets (1,048,576 in production; any positive count works with the modulo rule). */
  readonly bucketCount: number;
  /**
   * The bucket at `index` (0 ≤ index < bucketCount).
   *
   * @throws SaltError `ERR_SALT_BUCKET_MISSING` if that bucket has not been loaded.
   */
  bucket(index: number): SaltBucket;
}
