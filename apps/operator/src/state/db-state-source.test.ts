import { randomBytes } from 'node:crypto';
import { openDatabase, seedDevelopmentEnvironment, type Database } from '@uid2-operator/db';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { OptOutRecord } from '@uid2-operator/optout';
import { firstLevelHash, planRotation, type SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { withFreshPostgres } from '../test-support/postgres.js';
import { dbStateSource } from './db-state-source.js';
import { OperatorState } from './operator-state.js';

const logger = createLogger('silent');
const config = testConfig({ refreshPollMs: 100_000 });

/** Writes made through a second `Database` must reach a running state within one refresh. */
function describeFollowing(
  name: string,
  open: () => Promise<{ writer: Database; reader: Database; cleanup: () => Promise<void> }>,
) {
  describe(`OperatorState following ${name}`, () => {
    let writer: Database;
    let reader: Database;
    let cleanup: () => Promise<void>;
    let state: OperatorState;
    let apiKey: string;

    beforeAll(async () => {
      ({ writer, reader, cleanup } = await open());
      const seeded = await seedDevelopmentEnvironment(writer, { nowMs: Date.now(), bucketCount: 1024 });
      apiKey = seeded?.apiKey ?? '';
      state = await OperatorState.load(dbStateSource(reader), config, logger);
    });
    afterAll(async () => {
      await state.stop();
      await cleanup();
    });

    it('applies an opt-out written by another process', async () => {
      const dii = diiHashOf('email', 'raw', 'follow.me@example.com');
      if (dii === null) throw new Error('bad test email');
      const flh = firstLevelHash(dii, (await writer.salts.metadata())?.firstLevelSalt ?? '');
      expect(state.optOuts.isOptedOut(flh)).toBe(false);
      await writer.optouts.add([
        {
          firstLevelHash: flh,
          advertisingId: randomBytes(32),
          scope: 'UID2',
          type: 'email',
          optedOutAtSeconds: 1_700_000_000,
        },
      ]);
      await state.refreshNow();
      expect(state.optOuts.isOptedOut(flh)).toBe(true);
    });

    it('applies a salt rotation by reading only the rotated buckets', async () => {
      const buckets: SaltBucket[] = [];
      for await (const batch of writer.salts.streamBuckets()) buckets.push(...batch);
      const nowMs = Date.now() + 400 * 86_400_000;
      const rotated = planRotation({
        buckets,
        fraction: 0.01,
        nowMs,
        randomSalt: () => randomBytes(32).toString('base64'),
      });
      expect(rotated.length).toBeGreaterThan(0);
      await writer.salts.applySaltRotation(rotated);
      const seen: SaltBucket[] = [];
      const stop = state.onSaltsChanged((changed) => seen.push(...changed));
      await state.refreshNow();
      stop();
      expect(seen.map((bucket) => bucket.index).sort((a, b) => a - b)).toEqual(
        rotated.map((bucket) => bucket.index).sort((a, b) => a - b),
      );
      const first = rotated[0] as SaltBucket;
      expect(state.salts.bucket(first.index).currentSalt).toBe(first.currentSalt);
    });

    it('writes an opt-out snapshot once enough records follow it; a later start loads it and reads on', async () => {
      const lines: { msg: string; errCode?: string; optOuts?: number }[] = [];
      const capture = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
      const snapshotting = testConfig({ refreshPollMs: 100_000, optOutSnapshotRecords: 3 });
      const makeRecord = (): OptOutRecord => ({
        firstLevelHash: randomBytes(32),
        advertisingId: randomBytes(33),
        scope: 'UID2',
        type: 'email',
        optedOutAtSeconds: 1_700_000_000,
      });
      const before = [makeRecord(), makeRecord(), makeRecord()];
      await writer.optouts.add(before);
      const first = await OperatorState.load(dbStateSource(reader), snapshotting, capture);
      first.follow();
      await first.snapshotWriting;
      await first.stop();
      const stored = await writer.optouts.latestSnapshot();
      expect(stored?.entries).toBe(first.optOuts.size);
      expect(lines.map((line) => line.msg)).toContain('opt-out snapshot written');

      const after = [makeRecord(), makeRecord()];
      await writer.optouts.add(after);
      lines.length = 0;
      const second = await OperatorState.load(dbStateSource(reader), snapshotting, capture);
      second.follow();
      await second.snapshotWriting;
      await second.stop();
      expect(lines.find((line) => line.msg === 'opt-out index loaded from snapshot')?.optOuts).toBe(stored?.entries);
      for (const record of [...before, ...after]) expect(second.optOuts.isOptedOut(record.firstLevelHash)).toBe(true);
      // Two records after the snapshot: below the threshold of 3, no new write.
      expect((await writer.optouts.latestSnapshot())?.id).toBe(stored?.id);

      // A damaged snapshot is refused; the start reads every record instead.
      await writer.optouts.saveSnapshot({
        throughSeq: stored?.throughSeq ?? 0,
        entries: 1,
        chunks: [randomBytes(100)],
      });
      lines.length = 0;
      const third = await OperatorState.load(dbStateSource(reader), snapshotting, capture);
      await third.stop();
      expect(lines.find((line) => line.msg.startsWith('opt-out snapshot not usable'))?.errCode).toBe(
        'ERR_OPTOUT_BAD_SNAPSHOT',
      );
      for (const record of [...before, ...after]) expect(third.optOuts.isOptedOut(record.firstLevelHash)).toBe(true);
      expect(third.optOuts.size).toBe(second.optOuts.size);
    });

    it('applies an API-key disable and a key rotation', async () => {
      expect(state.snapshot.apiKeys.find(apiKey)?.disabled).toBe(false);
      const keyId = (await writer.apiKeys.list())[0]?.keyId ?? '';
      await writer.apiKeys.disable(keyId);
      const before = state.snapshot.keyRing.keys.length;
      await writer.keys.rotateKeys({ nowMs: Date.now(), keysetIds: [-1] });
      await state.refreshNow();
      expect(state.snapshot.apiKeys.find(apiKey)?.disabled).toBe(true);
      expect(state.snapshot.keyRing.keys.length).toBe(before + 1);
    });
  });
}

describeFollowing('embedded PGlite', async () => {
  const db = await openDatabase({ kek: randomBytes(32) });
  return { writer: db, reader: db, cleanup: () => db.close() };
});

if (process.env.DATABASE_URL) {
  let finish: (() => void) | undefined;
  let done: Promise<void> | undefined;
  describeFollowing('PostgreSQL (two connections)', async () => {
    const kek = randomBytes(32);
    const url = await new Promise<string>((resolveUrl) => {
      done = withFreshPostgres(async (fresh) => {
        resolveUrl(fresh);
        await new Promise<void>((release) => (finish = release));
      });
    });
    const writer = await openDatabase({ url, kek });
    const reader = await openDatabase({ url, kek });
    return {
      writer,
      reader,
      async cleanup() {
        await reader.close();
        await writer.close();
        finish?.();
        await done;
      },
    };
  });
}
