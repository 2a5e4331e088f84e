import { DbError } from './db-error.js';
import { toDbError } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';
import type { SqlQueryable } from './internal/sql-client.js';
import { requireInteger, secondsOf } from './internal/validate.js';

/** A keyset (spec/internals.md §4.1); the shape token-core's `Keyset` expects. */
export interface KeysetRecord {
  readonly keysetId: number;
  /** Owning site; −1 master, −2 refresh, 2 fallback publisher (spec/internals.md §4.2). */
  readonly siteId: number;
  /** Sites allowed to see the keys, or `null` for "no list" (ID_READERs see it, §4.4). */
  readonly allowedSites: readonly number[] | null;
  readonly enabled: boolean;
  readonly isDefault: boolean;
  readonly name: string;
  /** Creation time, epoch seconds. */
  readonly createdSeconds: number;
}

/** Arguments of {@link KeysetStore.create}. */
export interface CreateKeysetInput {
  /** Default: one more than the highest keyset id, at least 3. */
  readonly keysetId?: number;
  readonly siteId: number;
  readonly name?: string;
  /** Default `null` (no list). */
  readonly allowedSites?: readonly number[] | null;
  /** Default false. At most one enabled default keyset per site. */
  readonly isDefault?: boolean;
  /** Default true. */
  readonly enabled?: boolean;
  /** Current time, epoch ms. */
  readonly nowMs: number;
}

/** Fields {@link KeysetStore.update} can change. */
export interface UpdateKeysetInput {
  readonly name?: string;
  readonly allowedSites?: readonly number[] | null;
  readonly isDefault?: boolean;
  readonly enabled?: boolean;
}

/**
 * Keysets. Written with SQL rather than Prisma because Prisma reads a NULL list as `[]`, and NULL
 * and empty `allowed_sites` mean different things. Writes are logged (entity `keyset`).
 */
export interface KeysetStore {
  /** @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_CONFLICT` (id taken, or a second default keyset for the site). */
  create(input: CreateKeysetInput): Promise<KeysetRecord>;
  /** Every keyset, by id. */
  list(): Promise<KeysetRecord[]>;
  /** One keyset, or `undefined`. */
  get(keysetId: number): Promise<KeysetRecord | undefined>;
  /** @throws DbError `ERR_DB_NOT_FOUND`, `ERR_DB_CONFLICT`, `ERR_DB_INVALID_INPUT`. */
  update(keysetId: number, changes: UpdateKeysetInput): Promise<KeysetRecord>;
}

interface KeysetRow {
  keyset_id: number;
  site_id: number;
  name: string;
  allowed_sites: number[] | null;
  is_default: boolean;
  enabled: boolean;
  created: number;
}

/** Columns of `keysets` in {@link KeysetRow} form. */
export const KEYSET_COLUMNS = `keyset_id, site_id, name, allowed_sites, is_default, enabled, created`;

/** Converts a `keysets` row to {@link KeysetRecord}. */
export function toKeysetRecord(row: KeysetRow): KeysetRecord {
  return {
    keysetId: row.keyset_id,
    siteId: row.site_id,
    allowedSites: row.allowed_sites,
    enabled: row.enabled,
    isDefault: row.is_default,
    name: row.name,
    createdSeconds: row.created,
  };
}

/** Reads every keyset (used by the store and the snapshot). */
export async function readKeysets(sql: SqlQueryable): Promise<KeysetRecord[]> {
  return (await sql.query<KeysetRow>(`SELECT ${KEYSET_COLUMNS} FROM keysets ORDER BY keyset_id`)).map(
    toKeysetRecord,
  );
}

function allowedSitesParam(value: unknown): number[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value))
    throw new DbError('ERR_DB_INVALID_INPUT', 'allowed sites must be a list of site ids or null');
  return [...new Set((value as unknown[]).map((site) => requireInteger('allowed site id', site)))].sort(
    (a, b) => a - b,
  );
}

/** Builds the {@link KeysetStore} of a Database. */
export function createKeysetStore(ctx: StoreContext): KeysetStore {
  const run = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    ctx.assertOpen();
    try {
      return await work();
    } catch (error) {
      throw toDbError(what, error);
    }
  };
  return {
    create: (input) =>
      run(`keyset ${input.keysetId ?? '(new)'}`, async () => {
        const params = [
          input.keysetId === undefined
            ? null
            : requireInteger('keyset id', input.keysetId, -0x8000_0000, 0x7fff_ffff),
          requireInteger('site id', input.siteId),
          typeof input.name === 'string' ? input.name.trim() : '',
          allowedSitesParam(input.allowedSites),
          input.isDefault === true,
          input.enabled ?? true,
          secondsOf('nowMs', input.nowMs),
        ];
        const [row] = await ctx.sql.transaction(async (tx) => {
          // Serializes id allocation between concurrent admin processes.
          await tx.query(`LOCK TABLE keysets IN SHARE ROW EXCLUSIVE MODE`);
          return tx.query<KeysetRow>(
            `INSERT INTO keysets (${KEYSET_COLUMNS})
             SELECT COALESCE($1::int, GREATEST(3, (SELECT COALESCE(MAX(keyset_id), 0) + 1 FROM keysets))),
                    $2, $3, $4::int[], $5, $6, $7
             RETURNING ${KEYSET_COLUMNS}`,
            params,
          );
        });
        if (row === undefined) throw new DbError('ERR_DB_QUERY', 'keyset insert returned nothing');
        return toKeysetRecord(row);
      }),
    list: () => run('keysets', () => readKeysets(ctx.sql)),
    get: (keysetId) =>
      run(`keyset ${keysetId}`, async () => {
        const rows = await ctx.sql.query<KeysetRow>(
          `SELECT ${KEYSET_COLUMNS} FROM keysets WHERE keyset_id = $1`,
          [requireInteger('keyset id', keysetId)],
        );
        return rows[0] === undefined ? undefined : toKeysetRecord(rows[0]);
      }),
    update: (keysetId, changes) =>
      run(`keyset ${keysetId}`, async () => {
        const id = requireInteger('keyset id', keysetId);
        const rows = await ctx.sql.query<KeysetRow>(
          `UPDATE keysets SET
             name = CASE WHEN $2 THEN $3 ELSE name END,
             allowed_sites = CASE WHEN $4 THEN $5::int[] ELSE allowed_sites END,
             is_default = COALESCE($6, is_default),
             enabled = COALESCE($7, enabled)
           WHERE keyset_id = $1 RETURNING ${KEYSET_COLUMNS}`,
          [
            id,
            changes.name !== undefined,
            typeof changes.name === 'string' ? changes.name.trim() : '',
            changes.allowedSites !== undefined,
            allowedSitesParam(changes.allowedSites),
            changes.isDefault ?? null,
            changes.enabled ?? null,
          ],
        );
        if (rows[0] === undefined) throw new DbError('ERR_DB_NOT_FOUND', `keyset ${id} does not exist`);
        return toKeysetRecord(rows[0]);
      }),
  };
}
