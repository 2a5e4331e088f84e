import { generateKeyPairSync } from 'node:crypto';
import type { ApiKeyRole } from './api-key-store.js';
import { DbError } from './db-error.js';
import { hashApiKey } from './hash-api-key.js';
import { contextOf } from './internal/context-registry.js';
import { credentialPrefix, generateApiKey, randomAlphanumeric } from './internal/credentials.js';
import type { SqlQueryable } from './internal/sql-client.js';
import type { StoreContext } from './internal/store-context.js';
import { requireInteger } from './internal/validate.js';
import type { Database } from './open-database.js';
import { initSaltsWith, readSaltMetadata } from './internal/salt-writes.js';

/** Options of {@link seedDevelopmentEnvironment}. */
export interface SeedOptions {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Salt buckets to create; default 1,048,576 (tests use fewer). */
  readonly bucketCount?: number;
  /** The publisher site id; default 999. */
  readonly siteId?: number;
}

/** Credentials of a freshly seeded development environment (shown once; never stored in plaintext). */
export interface SeededEnvironment {
  readonly siteId: number;
  /** API key holding GENERATOR, MAPPER, ID_READER, SHARER and OPTOUT. */
  readonly apiKey: string;
  /** Its client secret, standard base64 of 32 bytes. */
  readonly secret: string;
  /** CSTG subscription id of the site's keypair. */
  readonly subscriptionId: string;
  /** `UID2-X-L-…` public key of that keypair. */
  readonly publicKey: string;
}

const SEED_SALTS = 'seed:salts';
const SEED_COMPLETE = 'seed:complete';
const SEED_LOCK_ID = 0x75696433;
const DEV_ROLES: readonly ApiKeyRole[] = ['GENERATOR', 'MAPPER', 'ID_READER', 'SHARER', 'OPTOUT'];
const DAY_SECONDS = 86_400;

async function marker(sql: SqlQueryable, key: string): Promise<boolean> {
  return (await sql.query(`SELECT 1 FROM db_meta WHERE key = $1`, [key])).length > 0;
}

async function writeMarker(sql: SqlQueryable, key: string, value: object): Promise<void> {
  await sql.query(`INSERT INTO db_meta (key, value) VALUES ($1, $2)`, [key, JSON.stringify(value)]);
}

/**
 * Seeds an empty database for local development: one publisher site (`domain_names`
 * `['localhost']`, app `com.uid2.devapp`), one API key with every publisher role, keysets −1
 * (master), −2 (refresh), 2 (fallback publisher, default) and the site's default keyset, one key
 * each (active from now − 1 h for 365 days), the salt table, and one CSTG keypair for the site.
 *
 * Idempotent and crash-safe: salts (with a `seed:salts` marker) and the rest (with `seed:complete`)
 * are written in two transactions; a rerun after a crash resumes, a rerun after success returns
 * `null`. Two processes seeding together serialize on an advisory lock.
 *
 * @returns the new credentials, or `null` when the database was already seeded.
 * @throws DbError `ERR_DB_SEED_CONFLICT` when the database holds salts, sites or reserved keysets
 *   the seed did not write (e.g. `salts init` was run by hand).
 */
export async function seedDevelopmentEnvironment(
  db: Database,
  options: SeedOptions,
): Promise<SeededEnvironment | null> {
  const ctx = contextOf(db);
  ctx.assertOpen();
  const nowMs = requireInteger('nowMs', options.nowMs, 0);
  const siteId = requireInteger('site id', options.siteId ?? 999, 3, 0x7fff_ffff);
  return ctx.sql.withAdvisoryLock(SEED_LOCK_ID, async (connection) => {
    if (await marker(connection, SEED_COMPLETE)) return null;
    if (!(await marker(connection, SEED_SALTS))) {
      if ((await readSaltMetadata(connection, ctx)) !== undefined) {
        throw new DbError(
          'ERR_DB_SEED_CONFLICT',
          'Cannot seed: the database already has salts that the development seed did not create',
        );
      }
      await initSaltsWith(ctx, { nowMs, bucketCount: options.bucketCount ?? 1_048_576 }, (tx) =>
        writeMarker(tx, SEED_SALTS, { nowMs }),
      );
    }
    return connection.transaction((tx) => seedTheRest(tx, ctx, siteId, nowMs));
  });
}

async function seedTheRest(
  tx: SqlQueryable,
  ctx: StoreContext,
  siteId: number,
  nowMs: number,
): Promise<SeededEnvironment> {
  const now = Math.floor(nowMs / 1000);
  const taken = await tx.query(
    `SELECT 1 FROM sites WHERE id = $1 UNION ALL SELECT 1 FROM keysets WHERE keyset_id IN (-1, -2, 2) OR site_id = $1`,
    [siteId],
  );
  if (taken.length > 0) {
    throw new DbError(
      'ERR_DB_SEED_CONFLICT',
      `Cannot seed: site ${siteId} or the reserved keysets already exist`,
    );
  }
  await tx.query(
    `INSERT INTO sites (id, name, domain_names, app_names, created) VALUES ($1, $2, $3, $4, $5)`,
    [siteId, 'Development publisher', ['localhost'], ['com.uid2.devapp'], now],
  );
  const [{ next } = { next: 3 }] = await tx.query<{ next: number }>(
    `SELECT GREATEST(3, COALESCE(max(keyset_id), 0) + 1) AS next FROM keysets`,
  );
  const keysets = [
    { keysetId: -1, siteId: -1, name: 'Master', isDefault: false },
    { keysetId: -2, siteId: -2, name: 'Refresh', isDefault: false },
    { keysetId: 2, siteId: 2, name: 'Fallback publisher', isDefault: true },
    { keysetId: next, siteId, name: 'Development publisher', isDefault: true },
  ];
  const [{ firstKeyId } = { firstKeyId: 1 }] = await tx.query<{ firstKeyId: number }>(
    `SELECT COALESCE(max(id), 0) + 1 AS "firstKeyId" FROM encryption_keys`,
  );
  for (const [i, keyset] of keysets.entries()) {
    await tx.query(
      `INSERT INTO keysets (keyset_id, site_id, name, is_default, created) VALUES ($1, $2, $3, $4, $5)`,
      [keyset.keysetId, keyset.siteId, keyset.name, keyset.isDefault, now],
    );
    const keyId = firstKeyId + i;
    await tx.query(
      `INSERT INTO encryption_keys (id, keyset_id, secret_enc, created, activates, expires) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        keyId,
        keyset.keysetId,
        ctx.box.seal('key_secret', keyId, ctx.random(32)),
        now,
        now - 3600,
        now + 365 * DAY_SECONDS,
      ],
    );
  }
  const { key, keyId } = generateApiKey(ctx.random, siteId, 'UID2', 'local');
  const salt = ctx.random(32).toString('base64');
  const secret = ctx.random(32);
  await tx.query(
    `INSERT INTO api_keys (key_id, key_hash, key_salt, secret_enc, roles, site_id, name, contact, created)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      keyId,
      hashApiKey(key, salt),
      salt,
      ctx.box.seal('api_key_secret', keyId, secret),
      DEV_ROLES,
      siteId,
      'Development key',
      'dev@localhost',
      now,
    ],
  );
  const pair = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  const subscriptionId = randomAlphanumeric(ctx.random, 10);
  const publicKey = credentialPrefix('UID2', 'X', 'local') + pair.publicKey.toString('base64');
  const privateKey = credentialPrefix('UID2', 'Y', 'local') + pair.privateKey.toString('base64');
  await tx.query(
    `INSERT INTO client_keypairs (subscription_id, site_id, public_key, private_key_enc, name, created) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      subscriptionId,
      siteId,
      publicKey,
      ctx.box.sealText('keypair_private_key', subscriptionId, privateKey),
      'Development keypair',
      now,
    ],
  );
  await writeMarker(tx, SEED_COMPLETE, { siteId, keyId, subscriptionId, nowMs });
  return { siteId, apiKey: key, secret: secret.toString('base64'), subscriptionId, publicKey };
}
