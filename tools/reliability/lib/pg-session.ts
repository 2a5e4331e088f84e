import { randomBytes } from 'node:crypto';
import { type Database, openDatabase, parseKek } from '@uid2-operator/db';
import type { DevCredentials } from './operator-process.js';
import { type OperatorSession, startSession } from './session.js';
import type { SuiteContext } from './suite-context.js';

/** An operator on its own database of the suite's private PostgreSQL cluster, plus a harness connection. */
export interface PostgresSession extends OperatorSession {
  readonly databaseUrl: string;
  /** `UID2_KEK` (base64). */
  readonly kek: string;
  /** The harness's own connection (admin writes, raw checks). */
  readonly db: Database;
}

let databases = 0;

/** Creates a database on the private cluster and returns its URL and a fresh KEK. */
export async function freshPostgresDatabase(
  ctx: SuiteContext,
  name: string,
): Promise<{ url: string; kek: string }> {
  const cluster = await ctx.postgres();
  databases += 1;
  const url = await cluster.createDatabase(`rel_${name.replace(/[^a-z0-9_]/g, '_')}_${databases}`);
  const kek = randomBytes(32).toString('base64');
  ctx.sensitive.add('UID2_KEK', kek);
  ctx.sensitive.add('UID2_KEK (bytes)', Buffer.from(kek, 'base64'));
  return { url, kek };
}

/**
 * Starts an operator on a new database of the private cluster (`DATABASE_URL`, `UID2_KEK`,
 * `REFRESH_POLL_MS=250`) and opens the harness's connection to the same database.
 */
export async function startPostgresSession(
  ctx: SuiteContext,
  name: string,
  options: {
    env?: Record<string, string>;
    database?: { url: string; kek: string };
    credentials?: DevCredentials;
  } = {},
): Promise<PostgresSession> {
  const { url, kek } = options.database ?? (await freshPostgresDatabase(ctx, name));
  const session = await startSession(
    ctx,
    {
      name,
      dataDir: ctx.path(name),
      env: { DATABASE_URL: url, UID2_KEK: kek, REFRESH_POLL_MS: '250', ...options.env },
    },
    options.credentials,
  );
  const db = await openDatabase({ url, kek: parseKek(kek) });
  return {
    ...session,
    databaseUrl: url,
    kek,
    db,
    async close() {
      await db.close();
      await session.close();
    },
  };
}
