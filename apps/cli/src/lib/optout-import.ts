import type { Database, OptOutIdentity } from '@uid2-operator/db';
import { type ImportCheckpoint, readCheckpoint, removeCheckpoint, writeCheckpoint } from './checkpoint.js';
import type { CliIo } from './cli-io.js';
import { readCsv } from './csv.js';
import { type IdentifierKind, type IdentifierLayout, detectLayout, identifierOf } from './identifiers.js';
import type { IdentitySettings } from './identity-settings.js';
import type { InputFile } from './input-file.js';
import { optOutIdentityOf, requireSalts } from './optout-identity.js';
import { startProgress } from './progress.js';

/** Summary of an import, over every run that contributed to it. */
export interface ImportCounts {
  /** Rows read (not counting a header). */
  read: number;
  /** Opt-outs that were new. */
  inserted: number;
  /** Valid rows whose opt-out was already recorded (duplicates included). */
  alreadyPresent: number;
  /** Rows that are not a valid email, phone or hash. */
  invalid: number;
}

/** Settings of {@link importOptOuts}. */
export interface ImportOptions {
  readonly input: InputFile;
  /** The operator's scope, identity_v3 and identity environment (they decide the raw UIDs). */
  readonly identity: IdentitySettings;
  /** Kind of every row when the file has no type column. */
  readonly fixedKind: IdentifierKind | undefined;
  /** Rows per transaction. */
  readonly batchSize: number;
  /** Checkpoint file; `undefined` disables resuming (stdin). */
  readonly checkpoint: string | undefined;
  /** Opt-out time, epoch seconds. */
  readonly optedOutAtSeconds: number;
}

/** Result of {@link importOptOuts}. */
export interface ImportResult {
  readonly counts: ImportCounts;
  /** Rows skipped because an earlier run had committed them. */
  readonly resumedRows: number;
}

/**
 * Streams a CSV of identifiers into the opt-out store in batches, one transaction per batch
 * (`optouts.addIdentities` stores the first-level hash and current raw UID of each, and is
 * idempotent, so a batch replayed after a crash inserts nothing twice).
 * After each committed batch a checkpoint records the byte offset reached; a re-run with the same
 * file, settings and database seeks straight past the committed rows. The checkpoint is removed
 * when the import completes.
 */
export async function importOptOuts(io: CliIo, db: Database, options: ImportOptions): Promise<ImportResult> {
  const { input } = options;
  const file = { path: input.path, size: input.size, mtimeMs: input.mtimeMs };
  const { identity } = options;
  const settings = {
    scope: identity.scope,
    type: options.fixedKind ?? '',
    identityV3: String(identity.identityV3),
    environment: identity.environment,
  };
  const saved =
    options.checkpoint === undefined ? undefined : await readCheckpoint(options.checkpoint, file, settings);
  const counts: ImportCounts = {
    read: 0,
    inserted: 0,
    alreadyPresent: 0,
    invalid: 0,
    ...(saved?.counts ?? {}),
  };
  const resumedRows = saved?.counts['read'] ?? 0;
  await requireSalts(db);
  const progress = startProgress(io, input.size, 'importing');

  let layout: IdentifierLayout | undefined =
    saved?.layout == null
      ? undefined
      : { ...saved.layout, typeIndex: saved.layout.typeIndex ?? undefined, fixedKind: options.fixedKind };
  let batch: OptOutIdentity[] = [];
  let pendingRows = { read: 0, invalid: 0 };
  let offset = saved?.offset ?? 0;
  let line = saved?.line ?? 1;

  const commit = async (): Promise<void> => {
    const inserted =
      batch.length === 0
        ? 0
        : (
            await db.optouts.addIdentities({
              identities: batch,
              ...identity,
              optedOutAtSeconds: options.optedOutAtSeconds,
            })
          ).inserted;
    counts.read += pendingRows.read;
    counts.invalid += pendingRows.invalid;
    counts.inserted += inserted;
    counts.alreadyPresent += batch.length - inserted;
    batch = [];
    pendingRows = { read: 0, invalid: 0 };
    if (options.checkpoint !== undefined) {
      const saved =
        layout === undefined
          ? null
          : { header: layout.header, typeIndex: layout.typeIndex ?? null, valueIndex: layout.valueIndex };
      const checkpoint: ImportCheckpoint = {
        file,
        settings,
        offset,
        line,
        layout: saved,
        counts: { ...counts },
      };
      await writeCheckpoint(options.checkpoint, checkpoint);
    }
    progress.update(offset, { rows: counts.read });
  };

  try {
    for await (const row of readCsv(input.chunks(offset), offset, line)) {
      if (layout === undefined) {
        layout = detectLayout(row.cells, options.fixedKind);
        if (layout.header) {
          offset = row.endOffset;
          continue;
        }
      }
      pendingRows.read++;
      const identifier = identifierOf(row.cells, layout);
      const found =
        identifier.kind === undefined ? null : optOutIdentityOf(identifier.kind, identifier.value);
      if (found === null) pendingRows.invalid++;
      else batch.push(found);
      offset = row.endOffset;
      line = row.line + 1;
      if (pendingRows.read >= options.batchSize) await commit();
    }
    await commit();
  } finally {
    progress.stop();
  }
  if (options.checkpoint !== undefined) await removeCheckpoint(options.checkpoint);
  return { counts, resumedRows };
}
