import { Readable } from 'node:stream';
import type { Database } from '@uid2-operator/db';
import { diiHashOf } from '@uid2-operator/dii-normalize';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { OptOutIndex } from '@uid2-operator/optout';
// The CLI never maps identities itself; this test uses salt-buckets as the independent oracle of
// the raw UID the operator computes (the operator maps with exactly these functions).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createSaltTableFrom, mapIdentity } from '@uid2-operator/salt-buckets';
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { IdentityEnvironment, SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { type AdminEngine, adminEngineNames, createAdminEngine } from '../test-support/admin-engines.js';
import { runJson, runUid2 } from '../test-support/run-cli.js';

// `optout add` / `optout import` store what the operator's /v2/token/logout stores: the
// first-level hash and the current raw UID (advertising id) for the operator's identity settings.

interface Settings {
  readonly scope: 'UID2' | 'EUID';
  readonly identityV3: boolean;
  readonly environment: IdentityEnvironment;
}

describe.each(adminEngineNames())('optout add and import on %s', (engineName) => {
  let engine: AdminEngine;

  const open = <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: process.stdout,
      stderr: process.stderr,
      env: engine.env,
      cwd: engine.dir,
      now: () => Date.now(),
      random: (n) => Buffer.alloc(n),
    };
    return withDatabase(io, {}, work);
  };

  const operatorTable = async (db: Database) => {
    const buckets: SaltBucket[] = [];
    for await (const batch of db.salts.streamBuckets()) buckets.push(...batch);
    return createSaltTableFrom((await db.salts.metadata())!.firstLevelSalt, buckets);
  };

  /**
   * For each identifier: the mapping the operator computes (over the whole salt table, loaded the
   * way the operator loads it) and the stored opt-out record with that first-level hash.
   */
  const lookUp = (settings: Settings, identifiers: readonly (readonly ['email' | 'phone', string])[]) =>
    open(async (db) => {
      const table = await operatorTable(db);
      const { records } = await db.optouts.scan({ afterCursor: null, limit: 1000 });
      return Promise.all(
        identifiers.map(async ([type, dii]) => {
          const mapped = mapIdentity(diiHashOf(type, 'raw', dii)!, table, { ...settings, type, nowMs: 0 });
          const record = records.find(
            (r) => Buffer.from(r.firstLevelHash).equals(mapped.firstLevelHash) && r.scope === settings.scope,
          );
          return { mapped, record, since: await db.optouts.optedOutSince(mapped.rawUid), all: records };
        }),
      );
    });
  const DEFAULTS: Settings = { scope: 'UID2', identityV3: false, environment: 'test' };

  beforeAll(async () => {
    engine = await createAdminEngine(engineName);
    expect((await runUid2(['db', 'migrate'], { env: engine.env })).code).toBe(0);
    expect(
      (await runUid2(['optout', 'add', '--email', 'early@example.com'], { env: engine.env })).stderr,
    ).toBe('uid2: salts are not initialized: run "uid2 salts init" first\n');
    expect((await runUid2(['salts', 'init', '--buckets', '64'], { env: engine.env })).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await engine?.dispose();
  });

  it('stores the raw UID the operator computes as the advertising id of `optout add --email`', async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(await runJson(['optout', 'add', '--email', 'x@example.com'], { env: engine.env })).toEqual({
      inserted: true,
    });
    const [found] = await lookUp(DEFAULTS, [['email', 'x@example.com']]);
    const { mapped, record, since } = found!;
    expect(record).toBeDefined();
    expect(record!.advertisingId).toEqual(mapped.rawUid);
    expect(record!.advertisingId).toHaveLength(32);
    expect(record!.optedOutAtSeconds).toBeGreaterThanOrEqual(before);
    expect(since).toBe(record!.optedOutAtSeconds);
  });

  it('follows IDENTITY_SCOPE / IDENTITY_V3 / IDENTITY_ENVIRONMENT, and flags over them', async () => {
    const env = { ...engine.env, IDENTITY_SCOPE: 'EUID', IDENTITY_V3: 'true', IDENTITY_ENVIRONMENT: 'prod' };
    expect((await runUid2(['optout', 'add', '--phone', '+12345678901'], { env })).code).toBe(0);
    const flags = ['--scope', 'uid2', '--identity-v3', 'false', '--identity-environment', 'integ'];
    expect((await runUid2(['optout', 'add', '--phone', '+12345678901', ...flags], { env })).code).toBe(0);
    const [euid] = await lookUp({ scope: 'EUID', identityV3: true, environment: 'prod' }, [
      ['phone', '+12345678901'],
    ]);
    expect(euid!.record?.advertisingId).toEqual(euid!.mapped.rawUid);
    expect(euid!.mapped.rawUid).toHaveLength(33);
    const [uid2] = await lookUp({ scope: 'UID2', identityV3: false, environment: 'integ' }, [
      ['phone', '+12345678901'],
    ]);
    expect(uid2!.record?.advertisingId).toEqual(uid2!.mapped.rawUid);

    const add = (args: string[], extraEnv: Record<string, string> = {}) =>
      runUid2(['optout', 'add', '--email', 'y@example.com', ...args], {
        env: { ...engine.env, ...extraEnv },
      });
    expect(await add(['--identity-v3', 'maybe'])).toMatchObject({
      code: 2,
      stderr: 'uid2: --identity-v3 must be true or false\n',
    });
    expect(await add(['--identity-environment', 'local'])).toMatchObject({ code: 2 });
    expect(await add(['--scope', 'other'])).toMatchObject({ code: 2 });
    expect(await add([], { IDENTITY_ENVIRONMENT: 'staging' })).toMatchObject({
      code: 1,
      stderr: 'uid2: IDENTITY_ENVIRONMENT must be test, integ or prod\n',
    });
  });

  it('stores raw UIDs for imported rows and fills those of opt-outs stored without one', async () => {
    // An opt-out recorded before advertising ids were computed (first-level hash only).
    await open(async (db) => {
      const table = await operatorTable(db);
      const { firstLevelHash } = mapIdentity(diiHashOf('email', 'raw', 'old@example.com')!, table, {
        ...DEFAULTS,
        type: 'email',
        nowMs: 0,
      });
      await db.optouts.add([
        { firstLevelHash, advertisingId: null, scope: 'UID2', type: 'email', optedOutAtSeconds: 1 },
      ]);
    });
    const stdin = 'type,identifier\nemail,old@example.com\nemail,new@example.com\nphone,+15550001111\n';
    const summary = await runJson(['optout', 'import', '-'], { env: engine.env, stdin });
    expect(summary).toMatchObject({ read: 3, inserted: 2, alreadyPresent: 1, invalid: 0 });
    const found = await lookUp(DEFAULTS, [
      ['email', 'old@example.com'],
      ['email', 'new@example.com'],
      ['phone', '+15550001111'],
    ]);
    for (const { mapped, record } of found) expect(record?.advertisingId).toEqual(mapped.rawUid);
    expect(found[0]!.record?.optedOutAtSeconds).toBe(1);
    expect(found[0]!.all.every((record) => record.advertisingId !== null)).toBe(true);
  });
  it('shows, rebuilds and drops the opt-out index snapshot operators start from', async () => {
    const env = engine.env;
    expect((await runUid2(['optout', 'snapshot'], { env })).stdout).toBe(
      'no opt-out snapshot stored: operators read every record at start\n',
    );
    const { records } = await open((db) => db.optouts.scan({ afterCursor: null, limit: 1000 }));
    expect(records.length).toBeGreaterThan(0);
    // One entry per first-level hash: the operator's index keeps every scope.
    const stored = new Set(records.map((record) => Buffer.from(record.firstLevelHash).toString('hex'))).size;
    const written = await runJson<{ snapshot: { entries: number; throughSeq: number; bytes: number } }>(
      ['optout', 'snapshot', '--write'],
      { env },
    );
    expect(written.snapshot.entries).toBe(stored);
    expect(written.snapshot.bytes).toBeGreaterThan(0);
    const shown = await runUid2(['optout', 'snapshot'], { env });
    expect(shown.stdout).toMatch(new RegExp(`^opt-outs: +${stored}$`, 'm'));
    // The stored bytes are the index of every record.
    const index = await open(async (db) => {
      const info = await db.optouts.latestSnapshot();
      return OptOutIndex.fromSnapshot(db.optouts.readSnapshot(info!));
    });
    for (const record of records) expect(index.isOptedOut(record.firstLevelHash)).toBe(true);
    expect((await runUid2(['optout', 'snapshot', '--drop'], { env })).stdout).toBe('deleted 1 snapshot(s)\n');
    expect((await runUid2(['optout', 'snapshot', '--write', '--drop'], { env })).stderr).toMatch(
      /at most one of --write, --drop/,
    );
  });
});
