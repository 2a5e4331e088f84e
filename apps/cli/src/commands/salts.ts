import type { Database, SaltMetadataRecord } from '@uid2-operator/db';
import type { Command } from 'commander';
import { CliError, usageError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { emit, formatRecord, isoMs, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, positiveInt, withDatabase as withDatabaseFlags } from './options.js';

const DAY_MS = 86_400_000;

/** Bucket rotation statistics of `salts status --detail`. */
interface RotationStats {
  readonly buckets: number;
  readonly rotatedLastDay: number;
  readonly rotatedLast30Days: number;
  readonly oldestLastUpdatedMs: number | null;
  readonly newestLastUpdatedMs: number | null;
  readonly withPreviousSalt: number;
}

async function rotationStats(db: Database, nowMs: number): Promise<RotationStats> {
  let buckets = 0;
  let rotatedLastDay = 0;
  let rotatedLast30Days = 0;
  let withPreviousSalt = 0;
  let oldest = Infinity;
  let newest = -Infinity;
  for await (const batch of db.salts.streamBuckets()) {
    for (const bucket of batch) {
      buckets++;
      const age = nowMs - bucket.lastUpdatedMs;
      if (age < DAY_MS) rotatedLastDay++;
      if (age < 30 * DAY_MS) rotatedLast30Days++;
      if (bucket.previousSalt !== null || bucket.previousKey !== null) withPreviousSalt++;
      oldest = Math.min(oldest, bucket.lastUpdatedMs);
      newest = Math.max(newest, bucket.lastUpdatedMs);
    }
  }
  return {
    buckets,
    rotatedLastDay,
    rotatedLast30Days,
    withPreviousSalt,
    oldestLastUpdatedMs: buckets === 0 ? null : oldest,
    newestLastUpdatedMs: buckets === 0 ? null : newest,
  };
}

/** The metadata fields that are safe to print (never the first-level salt or the id secret). */
function publicMetadata(metadata: SaltMetadataRecord): {
  bucketCount: number;
  idPrefix: string;
  createdSeconds: number;
} {
  return {
    bucketCount: metadata.bucketCount,
    idPrefix: metadata.idPrefix,
    createdSeconds: metadata.createdSeconds,
  };
}

/** `uid2 salts init|status|rotate`: the salt table (spec/internals.md §3.10). */
export function registerSaltsCommands(program: Command, io: CliIo): void {
  const salts = program
    .command('salts')
    .description('first-level salt and rotating salt buckets (secrets are never shown)');

  withDatabaseFlags(salts.command('init'))
    .description('create the first-level salt and the salt buckets (once per database)')
    .option('--buckets <n>', 'number of salt buckets (production: 1048576)', '1048576')
    .action(async (flags: DatabaseFlags & { buckets?: string }) => {
      const bucketCount = positiveInt(flags.buckets, '--buckets', 1_048_576, 1_048_576);
      const metadata = await withDatabase(io, flags, (db) =>
        db.salts.initSalts({ bucketCount, nowMs: io.now() }),
      );
      await emit(io, flags, publicMetadata(metadata), () => `created ${metadata.bucketCount} salt buckets\n`);
    });

  withDatabaseFlags(salts.command('status'))
    .description('salt table size and, with --detail, how many buckets rotated recently')
    .option('--detail', 'scan every bucket for rotation statistics')
    .action(async (flags: DatabaseFlags & { detail?: boolean }) => {
      const nowMs = io.now();
      const { metadata, stats } = await withDatabase(io, flags, async (db) => {
        const found = await db.salts.metadata();
        return {
          metadata: found,
          stats: found !== undefined && flags.detail === true ? await rotationStats(db, nowMs) : undefined,
        };
      });
      if (metadata === undefined) throw new CliError('salts are not initialized: run "uid2 salts init"');
      await emit(io, flags, { ...publicMetadata(metadata), ...(stats ?? {}) }, () =>
        formatRecord([
          ['buckets', metadata.bucketCount],
          ['bucket id prefix', metadata.idPrefix],
          ['created', isoSeconds(metadata.createdSeconds)],
          ...(stats === undefined
            ? []
            : ([
                ['rotated in the last day', stats.rotatedLastDay],
                ['rotated in the last 30 days', stats.rotatedLast30Days],
                ['with a previous salt', stats.withPreviousSalt],
                [
                  'oldest rotation',
                  stats.oldestLastUpdatedMs === null ? null : isoMs(stats.oldestLastUpdatedMs),
                ],
                [
                  'newest rotation',
                  stats.newestLastUpdatedMs === null ? null : isoMs(stats.newestLastUpdatedMs),
                ],
              ] as const)),
        ]),
      );
    });

  withDatabaseFlags(salts.command('rotate'))
    .description(
      'rotate a fraction of the salt buckets (default 1/365): only buckets past their refresh time, oldest first',
    )
    .option('--fraction <f>', 'fraction of all buckets to rotate, 0 < f <= 1', String(1 / 365))
    .action(async (flags: DatabaseFlags & { fraction?: string }) => {
      const fraction = fractionOf(flags.fraction);
      const result = await withDatabase(io, flags, (db) => db.salts.rotate({ fraction, nowMs: io.now() }));
      await emit(io, flags, result, () =>
        formatRecord([
          ['rotated', result.rotated],
          ['eligible', result.eligible],
          ['buckets', result.bucketCount],
        ]),
      );
    });
}

/** Parses `--fraction` (default 1/365). @throws CliError (usage) unless 0 < f ≤ 1 */
function fractionOf(text: string | undefined): number {
  if (text === undefined) return 1 / 365;
  const trimmed = text.trim();
  // Also accepts "1/365".
  const ratio = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(trimmed);
  const value = ratio === null ? Number(trimmed) : Number(ratio[1]) / Number(ratio[2]);
  if (trimmed === '' || !(value > 0 && value <= 1))
    throw usageError('--fraction must be a number with 0 < f <= 1');
  return value;
}
