import type { PrismaClient } from '../generated/prisma/client.js';
import type { RandomSource } from '../kek.js';
import type { BucketCipher } from './bucket-cipher.js';
import type { SecretBox } from './secret-box.js';
import type { SqlClient } from './sql-client.js';

/** Everything a store needs; one per open Database. */
export interface StoreContext {
  readonly sql: SqlClient;
  readonly prisma: PrismaClient;
  readonly box: SecretBox;
  readonly bucketCipher: BucketCipher;
  readonly random: RandomSource;
  /** How old (ms) a row after an id gap must be before readers skip the gap. */
  readonly gapGraceMs: number;
  /** @throws DbError `ERR_DB_CLOSED` after `close()`. */
  assertOpen(): void;
}
