import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the reference defaults and freezes the result', () => {
    const config = loadConfig({}, '/srv');
    expect(config.port).toBe(8080);
    expect(config.identityScope).toBe('UID2');
    expect(config.identityTokenExpiresAfterSeconds).toBe(3600);
    expect(config.refreshTokenExpiresAfterSeconds).toBe(86_400);
    expect(config.refreshIdentityTokenAfterSeconds).toBe(900);
    expect(config.dataDir).toBe('/srv/.data');
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad setting by name in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', IDENTITY_SCOPE: 'XYZ', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('IDENTITY_SCOPE');
    expect(message).toContain('DATABASE_URL');
  });

  it('requires UID2_KEK with DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1/db' })).toThrow(/UID2_KEK/);
  });

  it('refuses lifetimes that break refresh ≥ identity ≥ refresh-after', () => {
    expect(() =>
      loadConfig({
        IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS: '600',
        REFRESH_IDENTITY_TOKEN_AFTER_SECONDS: '900',
      }),
    ).toThrow(/IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS/);
    expect(() =>
      loadConfig({
        IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS: '100000',
        REFRESH_TOKEN_EXPIRES_AFTER_SECONDS: '90000',
      }),
    ).toThrow(/REFRESH_TOKEN_EXPIRES_AFTER_SECONDS/);
  });

  it('lowers the hashing threads by nice 10 unless HASH_WORKER_NICE says otherwise (0–19)', () => {
    expect(loadConfig({}).hashWorkerNice).toBe(10);
    expect(loadConfig({ HASH_WORKER_NICE: '0' }).hashWorkerNice).toBe(0);
    expect(() => loadConfig({ HASH_WORKER_NICE: '20' })).toThrow(/HASH_WORKER_NICE/);
  });

  it('answers large maps whole on a worker when busy unless MAP_WHOLE_REQUESTS=always', () => {
    expect(loadConfig({}).mapWholeRequests).toBe('when-busy');
    expect(loadConfig({ MAP_WHOLE_REQUESTS: 'always' }).mapWholeRequests).toBe('always');
    expect(() => loadConfig({ MAP_WHOLE_REQUESTS: 'never' })).toThrow(/MAP_WHOLE_REQUESTS/);
  });

  it('writes an opt-out snapshot every 500,000 opt-outs unless OPTOUT_SNAPSHOT_RECORDS says otherwise', () => {
    expect(loadConfig({}).optOutSnapshotRecords).toBe(500_000);
    expect(loadConfig({ OPTOUT_SNAPSHOT_RECORDS: '0' }).optOutSnapshotRecords).toBe(0);
    expect(() => loadConfig({ OPTOUT_SNAPSHOT_RECORDS: '-1' })).toThrow(/OPTOUT_SNAPSHOT_RECORDS/);
    expect(() => loadConfig({ OPTOUT_SNAPSHOT_RECORDS: '1.5' })).toThrow(/OPTOUT_SNAPSHOT_RECORDS/);
  });

  it('reads booleans written as true/false/1/0', () => {
    expect(loadConfig({ ENABLE_PHONE_SUPPORT: '0', IDENTITY_V3: 'true' })).toMatchObject({
      phoneSupport: false,
      identityV3: true,
    });
  });
});
