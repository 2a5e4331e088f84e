import { DbError } from '../db-error.js';
import type { SecretBox } from './secret-box.js';
import type { SqlQueryable } from './sql-client.js';

const KEK_CHECK_KEY = 'kek_check';
const KEK_CHECK_PLAINTEXT = 'uid2-operator key-encryption key check v1';

/**
 * Proves the caller's KEK is the one this database was created with: the first open stores an
 * encrypted check value in `db_meta`, every later open decrypts it. Skipped (returns false) while
 * the schema is not migrated yet.
 *
 * @throws DbError `ERR_DB_KEK_MISMATCH`.
 */
export async function verifyKek(sql: SqlQueryable, box: SecretBox): Promise<boolean> {
  const [table] = await sql.query<{ present: boolean }>(
    `SELECT to_regclass('"db_meta"') IS NOT NULL AS present`,
  );
  if (table?.present !== true) return false;
  const candidate = box.sealText('kek_check', KEK_CHECK_KEY, KEK_CHECK_PLAINTEXT).toString('base64');
  // Two processes may open a new database together: the first insert wins, both verify it.
  await sql.query(`INSERT INTO "db_meta" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO NOTHING`, [
    KEK_CHECK_KEY,
    candidate,
  ]);
  const [row] = await sql.query<{ value: string }>(`SELECT "value" FROM "db_meta" WHERE "key" = $1`, [
    KEK_CHECK_KEY,
  ]);
  let plaintext: string | undefined;
  try {
    plaintext =
      row === undefined
        ? undefined
        : box.openText('kek_check', KEK_CHECK_KEY, Buffer.from(row.value, 'base64'));
  } catch {
    plaintext = undefined;
  }
  if (plaintext !== KEK_CHECK_PLAINTEXT) {
    throw new DbError(
      'ERR_DB_KEK_MISMATCH',
      'UID2_KEK does not match the key-encryption key this database was created with',
    );
  }
  return true;
}
