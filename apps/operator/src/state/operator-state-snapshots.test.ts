import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { OptOutRecord } from '@uid2-operator/optout';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createFixture } from '../test-support/fixture.js';
import { MemoryStateSource } from '../test-support/memory-source.js';
import { OperatorState } from './operator-state.js';

function optOut(): OptOutRecord {
  return {
    firstLevelHash: randomBytes(32),
    advertisingId: randomBytes(33),
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds: 1_700_000_000,
  };
}

function setup(optOutCount: number) {
  const fixture = createFixture(Date.now());
  const records = Array.from({ length: optOutCount }, optOut);
  const source = new MemoryStateSource(fixture.tables, fixture.buckets, [...records]);
  const lines: { msg: string; errCode?: string }[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as { msg: string });
        done();
      },
    }),
  );
  const config = testConfig({ refreshPollMs: 100_000, optOutSnapshotRecords: 10 });
  return { source, records, lines, logger, config };
}

describe('OperatorState opt-out snapshots', () => {
  it('writes none below OPTOUT_SNAPSHOT_RECORDS, one at it, and starts from it', async () => {
    const { source, records, logger, config } = setup(9);
    const few = await OperatorState.load(source, config, logger);
    few.follow();
    expect(few.snapshotWriting).toBeUndefined();
    await few.stop();
    expect(source.snapshot).toBeNull();

    source.optOuts.push(optOut());
    const enough = await OperatorState.load(source, config, logger);
    enough.follow();
    await enough.snapshotWriting;
    await enough.stop();
    expect(source.snapshot).toMatchObject({ throughSeq: 10, entries: 10 });

    // Records after the snapshot are read on top of it; a record missing from the log but in the
    // snapshot proves the start used the snapshot.
    const later = optOut();
    source.optOuts.push(later);
    const onlyInSnapshot = records[0]!;
    source.optOuts[0] = optOut();
    const restarted = await OperatorState.load(source, config, logger);
    await restarted.stop();
    expect(restarted.optOuts.isOptedOut(onlyInSnapshot.firstLevelHash)).toBe(true);
    expect(restarted.optOuts.isOptedOut(later.firstLevelHash)).toBe(true);
    expect(restarted.optOuts.isOptedOut(source.optOuts[0].firstLevelHash)).toBe(false);
    expect(restarted.optOuts.size).toBe(11);
  });

  it('skips the write while another process writes one, and logs a failed write by code only', async () => {
    const { source, lines, logger, config } = setup(12);
    source.snapshotBusy = true;
    const busy = await OperatorState.load(source, config, logger);
    busy.follow();
    await busy.snapshotWriting;
    await busy.stop();
    expect(source.snapshot).toBeNull();
    expect(lines.map((line) => line.msg)).not.toContain('opt-out snapshot written');

    source.snapshotBusy = false;
    source.saveOptOutSnapshot = () =>
      Promise.reject(Object.assign(new Error('disk full'), { code: 'ERR_DB_QUERY' }));
    const failing = await OperatorState.load(source, config, logger);
    failing.follow();
    await failing.snapshotWriting;
    await failing.stop();
    const warning = lines.find((line) => line.msg.startsWith('opt-out snapshot write failed'));
    expect(warning?.errCode).toBe('ERR_DB_QUERY');
    expect(JSON.stringify(lines)).not.toContain('disk full');
  });

  it('abandons a write when stopped, quietly, leaving no snapshot', async () => {
    const { source, lines, logger, config } = setup(5_000);
    const state = await OperatorState.load(source, { ...config, optOutSnapshotRecords: 1 }, logger);
    state.follow();
    expect(state.snapshotWriting).toBeDefined();
    await state.stop();
    expect(source.snapshot).toBeNull();
    expect(lines.map((line) => line.msg)).not.toContain('opt-out snapshot write failed; retrying later');
  });
});
