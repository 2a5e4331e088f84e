import { DbError } from '../db-error.js';
import type { PgTarget } from './pg-sql-client.js';

/** Where {@link resolveDatabaseTarget} decided to connect. */
export type DatabaseTarget =
  | { readonly engine: 'postgres'; readonly pg: PgTarget }
  | { readonly engine: 'pglite'; readonly dataDir: string | undefined };

/**
 * Chooses the engine: a `postgres://` / `postgresql://` URL selects PostgreSQL; no URL (undefined
 * or empty) selects embedded PGlite in `dataDir` (in memory when that is undefined too).
 *
 * @throws DbError `ERR_DB_CONFIG` naming the setting when the URL is unparsable or has another
 *   scheme. The URL itself (which may hold a password) is never echoed.
 */
export function resolveDatabaseTarget(
  url: string | undefined,
  dataDir: string | undefined,
  settingName = 'DATABASE_URL',
): DatabaseTarget {
  if (url === undefined || url.trim() === '') return { engine: 'pglite', dataDir: emptyToUndefined(dataDir) };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new DbError(
      'ERR_DB_CONFIG',
      `${settingName} is not a valid URL; expected postgresql://user:password@host:port/database`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    const scheme = /^[a-z][a-z0-9+.-]*:$/i.test(parsed.protocol) ? `'${parsed.protocol}//'` : 'this scheme';
    throw new DbError(
      'ERR_DB_CONFIG',
      `${settingName} uses unsupported scheme ${scheme}; use postgres:// or postgresql://, ` +
        'or leave it unset to use the embedded database',
    );
  }
  const socketHost = parsed.searchParams.get('host');
  const host = parsed.hostname === '' ? (socketHost ?? 'localhost') : parsed.hostname;
  const port = parsed.port === '' ? '5432' : parsed.port;
  return {
    engine: 'postgres',
    pg: { connectionString: url.trim(), hostPort: `${host}:${port}`, settingName },
  };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
