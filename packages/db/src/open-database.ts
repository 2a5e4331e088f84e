import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createApiKeyStore } from './api-key-store.js';
import type { ApiKeyStore } from './api-key-store.js';
import { ChangeHub, currentChangeCursor, readChangesSince } from './change-feed.js';
import type { ChangeFeed } from './change-feed.js';
import { DbError } from './db-error.js';
import { PrismaClient } from './generated/prisma/client.js';
import { BucketCipher } from './internal/bucket-cipher.js';
import { registerContext } from './internal/context-registry.js';
import { resolveDatabaseTarget } from './internal/database-target.js';
import { verifyKek } from './internal/kek-check.js';
import { readMigrationFiles } from './internal/migration-files.js';
import { migrationStatus, runMigrations } from './internal/migration-runner.js';
import type { MigrationStatus } from './internal/migration-runner.js';
import { openPgSqlClient, PgSqlClient } from './internal/pg-sql-client.js';
import { embeddedCorrupt, openPGliteSqlClient } from './internal/pglite-sql-client.js';
import type { PGliteSqlClient } from './internal/pglite-sql-client.js';
import { SecretBox } from './internal/secret-box.js';
import type { StoreContext } from './internal/store-context.js';
import { KEK_BYTES } from './kek.js';
import type { RandomSource } from './kek.js';
import { createKeyStore } from './key-store.js';
import type { KeyStore } from './key-store.js';
import { createKeypairStore } from './keypair-store.js';
import type { KeypairStore } from './keypair-store.js';
import { createKeysetStore } from './keyset-store.js';
import type { KeysetStore } from './keyset-store.js';
import { loadSnapshot } from './load-snapshot.js';
import type { OperatorSnapshot } from './load-snapshot.js';
import { createOptOutDbStore } from './optout-db-store.js';
import type { OptOutDbStore } from './optout-db-store.js';
import { createSaltStore } from './salt-store.js';
import type { SaltStore } from './salt-store.js';
import { createSiteStore } from './site-store.js';
import type { SiteStore } from './site-store.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `postgres://` or `postgresql://` URL (the app's `DATABASE_URL`); unset/empty = embedded PGlite. */
  readonly url?: string;
  /** PGlite data directory (created if missing); unset = in memory. Ignored when `url` is set. */
  readonly dataDir?: string;
  /** The 32-byte key-encryption key (see `parseKek` / `loadOrCreateKekFile`). */
  readonly kek: Uint8Array;
  /** Apply pending migrations while opening (default true). With false, call `migrate()` before using the stores. */
  readonly migrate?: boolean;
  /** Random source for keys, salts, IVs; default `node:crypto` `randomBytes`. */
  readonly random?: RandomSource;
  /** PostgreSQL connection timeout in ms (default 5,000). */
  readonly connectTimeoutMs?: number;
  /** How long (ms) change readers wait at a sequence gap before skipping it (default 3,000). */
  readonly gapGraceMs?: number;
  /** Name of the URL setting in error messages (default `DATABASE_URL`). */
  readonly urlSettingName?: string;
  /** Migrations directory; default this package's `prisma/migrations` (tests point elsewhere). */
  readonly migrationsDir?: string;
}

/** An open database: stores, migrations, the operator snapshot and the change feed. */
export interface Database {
  /** `postgres` or `pglite`. */
  readonly engine: 'postgres' | 'pglite';
  readonly sites: SiteStore;
  readonly apiKeys: ApiKeyStore;
  readonly keysets: KeysetStore;
  readonly keys: KeyStore;
  readonly salts: SaltStore;
  readonly optouts: OptOutDbStore;
  readonly keypairs: KeypairStore;
  readonly changes: ChangeFeed;
  /** Applied and pending migrations (the CLI's `db status`). @throws DbError `ERR_DB_MIGRATION_*`. */
  migrationStatus(): Promise<MigrationStatus>;
  /** Applies pending migrations; returns their names. @throws DbError `ERR_DB_MIGRATION_*`, `ERR_DB_KEK_MISMATCH`. */
  migrate(): Promise<string[]>;
  /** Everything the operator needs except salt buckets, decrypted, with a change cursor. */
  loadSnapshot(): Promise<OperatorSnapshot>;
  /** Closes the pool / PGlite and the LISTEN connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the UID2 operator database: PostgreSQL through `@prisma/adapter-pg` and a `pg` Pool when
 * `url` is a postgres URL, otherwise embedded PGlite (`dataDir` on disk, or in memory). Then
 * applies pending migrations (unless `migrate: false`) under an advisory lock and verifies the KEK.
 *
 * @throws DbError `ERR_DB_CONFIG` (bad URL or data directory), `ERR_DB_CONNECT` (PostgreSQL
 *   unreachable, within `connectTimeoutMs`), `ERR_DB_EMBEDDED_CORRUPT`, `ERR_DB_EMBEDDED_LOCKED`,
 *   `ERR_DB_MIGRATION_CHECKSUM`, `ERR_DB_MIGRATION_UNKNOWN`, `ERR_DB_MIGRATION_FAILED`, `ERR_DB_KEK_MISMATCH`.
 * @throws TypeError if `kek` is not 32 bytes.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (!(options.kek instanceof Uint8Array) || options.kek.length !== KEK_BYTES) {
    throw new TypeError(`kek must be ${KEK_BYTES} bytes`);
  }
  const target = resolveDatabaseTarget(options.url, options.dataDir, options.urlSettingName);
  const sql =
    target.engine === 'postgres'
      ? await openPgSqlClient(target.pg, options.connectTimeoutMs ?? 5000)
      : await openPGliteSqlClient(target.dataDir);
  return openDatabaseOn(sql, options, target.engine === 'pglite' ? target.dataDir : undefined);
}

/**
 * The second half of {@link openDatabase}, on an already open SQL client (tests hand in a PGlite
 * restored from a migrated template). Takes ownership of `sql`: closes it on failure.
 * Not part of the package API.
 */
export async function openDatabaseOn(
  sql: PgSqlClient | PGliteSqlClient,
  options: OpenDatabaseOptions,
  dataDir?: string,
): Promise<Database> {
  const kek = Buffer.from(options.kek);
  const random = options.random ?? randomBytes;
  const box = new SecretBox(kek, random);
  try {
    const files = await readMigrationFiles(options.migrationsDir);
    const prepare = async (): Promise<void> => {
      if (options.migrate ?? true) await runMigrations(sql, files, random);
      else await migrationStatus(sql, files);
      await verifyKek(sql, box);
    };
    await prepare().catch((error: unknown) => {
      // PGlite reports damaged files as engine errors (or a WebAssembly abort) on first use.
      if (dataDir !== undefined && !(error instanceof DbError)) throw embeddedCorrupt(dataDir, error);
      throw error;
    });
    return buildDatabase(sql, { kek, random, box, files, gapGraceMs: options.gapGraceMs ?? 3000 });
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
}

interface Parts {
  readonly kek: Buffer;
  readonly random: RandomSource;
  readonly box: SecretBox;
  readonly files: Awaited<ReturnType<typeof readMigrationFiles>>;
  readonly gapGraceMs: number;
}

function buildDatabase(sql: PgSqlClient | PGliteSqlClient, parts: Parts): Database {
  const adapter = sql instanceof PgSqlClient ? new PrismaPg(sql.pool) : new PrismaPGlite(sql.lite);
  const prisma = new PrismaClient({ adapter });
  let closing: Promise<void> | undefined;
  const ctx: StoreContext = {
    sql,
    prisma,
    box: parts.box,
    bucketCipher: new BucketCipher(parts.kek),
    random: parts.random,
    gapGraceMs: parts.gapGraceMs,
    assertOpen() {
      if (closing !== undefined) throw new DbError('ERR_DB_CLOSED', 'The database is closed');
    },
  };
  const hub = new ChangeHub(sql);
  const graceSeconds = parts.gapGraceMs / 1000;
  const db: Database = {
    engine: sql.engine,
    sites: createSiteStore(ctx),
    apiKeys: createApiKeyStore(ctx),
    keysets: createKeysetStore(ctx),
    keys: createKeyStore(ctx),
    salts: createSaltStore(ctx),
    optouts: createOptOutDbStore(ctx),
    keypairs: createKeypairStore(ctx),
    changes: {
      subscribe: (listener) => {
        ctx.assertOpen();
        return hub.subscribe(listener);
      },
      readSince: async (cursor, options = {}) => {
        ctx.assertOpen();
        return readChangesSince(sql, cursor, options.limit ?? 1000, graceSeconds);
      },
      currentCursor: async () => {
        ctx.assertOpen();
        return currentChangeCursor(sql, graceSeconds);
      },
    },
    async migrationStatus() {
      ctx.assertOpen();
      return migrationStatus(sql, parts.files);
    },
    async migrate() {
      ctx.assertOpen();
      const applied = await runMigrations(sql, parts.files, parts.random);
      await verifyKek(sql, parts.box);
      return applied;
    },
    loadSnapshot: () => loadSnapshot(ctx),
    close() {
      closing ??= (async () => {
        await hub.close();
        await prisma.$disconnect().catch(() => undefined);
        await sql.close();
      })();
      return closing;
    },
  };
  registerContext(db, ctx);
  return db;
}
