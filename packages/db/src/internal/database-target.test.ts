import { describe, expect, it } from 'vitest';
import { resolveDatabaseTarget } from './database-target.js';

describe('resolveDatabaseTarget', () => {
  it('chooses PostgreSQL for postgres:// and postgresql:// URLs, with a host:port for messages', () => {
    expect(resolveDatabaseTarget('postgresql://u:p@db.internal:6543/uid2', undefined)).toEqual({
      engine: 'postgres',
      pg: {
        connectionString: 'postgresql://u:p@db.internal:6543/uid2',
        hostPort: 'db.internal:6543',
        settingName: 'DATABASE_URL',
      },
    });
    expect(resolveDatabaseTarget('postgres://db/uid2', 'ignored')).toMatchObject({
      pg: { hostPort: 'db:5432' },
    });
    expect(resolveDatabaseTarget('postgres:///uid2?host=/run/postgresql', undefined)).toMatchObject({
      pg: { hostPort: '/run/postgresql:5432' },
    });
  });

  it('chooses PGlite without a URL, in memory without a directory', () => {
    expect(resolveDatabaseTarget(undefined, '.data/pglite')).toEqual({
      engine: 'pglite',
      dataDir: '.data/pglite',
    });
    expect(resolveDatabaseTarget('', '  ')).toEqual({ engine: 'pglite', dataDir: undefined });
  });

  it('names the configured setting in errors', () => {
    expect(() => resolveDatabaseTarget('sqlite:db', undefined, 'UID2_DATABASE_URL')).toThrow(
      /^UID2_DATABASE_URL uses unsupported scheme 'sqlite:\/\/'/,
    );
    expect(() => resolveDatabaseTarget('::', undefined)).toThrow(/^DATABASE_URL is not a valid URL/);
  });
});
