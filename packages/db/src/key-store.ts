import type { EncryptionKey as KeyRow } from './generated/prisma/client.js';
import { DbError } from './db-error.js';
import { withPrismaErrors } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';
import { requireInteger, secondsOf } from './internal/validate.js';

/** A keyset key without its secret: what admin listings show. Times are epoch seconds. */
export interface EncryptionKeyInfo {
  readonly id: number;
  readonly keysetId: number;
  readonly createdSeconds: number;
  readonly activatesSeconds: number;
  readonly expiresSeconds: number;
}

/** Arguments of {@link KeyStore.add}. */
export interface AddKeyInput {
  readonly keysetId: number;
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Default: now. */
  readonly activatesSeconds?: number;
  readonly expiresSeconds: number;
  /** Default: one more than the highest key id. */
  readonly id?: number;
  /** 32 key bytes; default: 32 fresh random bytes. */
  readonly secret?: Uint8Array;
}

/** Arguments of {@link KeyStore.rotateKeys}. Durations in seconds. */
export interface RotateKeysInput {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Keysets to rotate; default every enabled keyset. */
  readonly keysetIds?: readonly number[];
  /** New keys activate this long after now, so SDKs fetch them first. Default 3600 (1 h). */
  readonly activationLeadSeconds?: number;
  /** Lifetime of a new key after activation. Default 31,536,000 (365 days). */
  readonly keyLifetimeSeconds?: number;
  /**
   * Longest lifetime of anything encrypted with a key (the refresh token's). Keys the new one
   * replaces expire this long after it activates, unless they expire sooner. Default 2,592,000 (30 days).
   */
  readonly maxTokenLifetimeSeconds?: number;
}

/** Keyset keys (spec/internals.md §4.1). Secrets are stored encrypted. Writes are logged (entity `key`). */
export interface KeyStore {
  /** @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_NOT_FOUND` (no keyset), `ERR_DB_CONFLICT` (id taken). */
  add(input: AddKeyInput): Promise<EncryptionKeyInfo>;
  /** Keys of one keyset, or all keys, by id. */
  list(filter?: { readonly keysetId?: number }): Promise<EncryptionKeyInfo[]>;
  /**
   * Adds one new key per keyset (activating at now + lead) and shortens the expiry of the keys it
   * replaces to new activation + max token lifetime, atomically. Returns the new keys.
   * @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_NOT_FOUND` (unknown keyset).
   */
  rotateKeys(input: RotateKeysInput): Promise<EncryptionKeyInfo[]>;
}

/** Converts an `encryption_keys` row to {@link EncryptionKeyInfo}. */
function toKeyInfo(row: KeyRow): EncryptionKeyInfo {
  return {
    id: row.id,
    keysetId: row.keysetId,
    createdSeconds: Number(row.created),
    activatesSeconds: Number(row.activates),
    expiresSeconds: Number(row.expires),
  };
}

const MAX_INT = 0x7fff_ffff;
const LOCK_KEYS = 'LOCK TABLE encryption_keys IN SHARE ROW EXCLUSIVE MODE';

/** Builds the {@link KeyStore} of a Database. */
export function createKeyStore(ctx: StoreContext): KeyStore {
  const seal = (id: number, secret: Uint8Array | undefined): Uint8Array<ArrayBuffer> => {
    const bytes = secret ?? ctx.random(32);
    if (bytes.length !== 32) throw new DbError('ERR_DB_INVALID_INPUT', 'key secret must be 32 bytes');
    return new Uint8Array(ctx.box.seal('key_secret', id, bytes));
  };
  return {
    async add(input) {
      ctx.assertOpen();
      const keysetId = requireInteger('keyset id', input.keysetId);
      const nowSeconds = secondsOf('nowMs', input.nowMs);
      const activates = requireInteger('activation time', input.activatesSeconds ?? nowSeconds, 0);
      const expires = requireInteger('expiry time', input.expiresSeconds, activates + 1);
      const row = await withPrismaErrors(`key ${input.id ?? '(new)'} of keyset ${keysetId}`, () =>
        ctx.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(LOCK_KEYS);
          const max = await tx.encryptionKey.aggregate({ _max: { id: true } });
          const id =
            input.id === undefined ? (max._max.id ?? 0) + 1 : requireInteger('key id', input.id, 1, MAX_INT);
          return tx.encryptionKey.create({
            data: {
              id,
              keysetId,
              secretEnc: seal(id, input.secret),
              created: BigInt(nowSeconds),
              activates: BigInt(activates),
              expires: BigInt(expires),
            },
          });
        }),
      );
      return toKeyInfo(row);
    },
    async list(filter = {}) {
      ctx.assertOpen();
      const where =
        filter.keysetId === undefined ? {} : { keysetId: requireInteger('keyset id', filter.keysetId) };
      return (await ctx.prisma.encryptionKey.findMany({ where, orderBy: { id: 'asc' } })).map(toKeyInfo);
    },
    async rotateKeys(input) {
      ctx.assertOpen();
      const nowSeconds = secondsOf('nowMs', input.nowMs);
      const activates =
        nowSeconds + requireInteger('activation lead', input.activationLeadSeconds ?? 3600, 0);
      const expires = activates + requireInteger('key lifetime', input.keyLifetimeSeconds ?? 31_536_000, 1);
      const retireAt = BigInt(
        activates + requireInteger('max token lifetime', input.maxTokenLifetimeSeconds ?? 2_592_000, 0),
      );
      const rows = await withPrismaErrors('key rotation', () =>
        ctx.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(LOCK_KEYS);
          const keysets = await tx.keyset.findMany({
            where:
              input.keysetIds === undefined
                ? { enabled: true }
                : { keysetId: { in: input.keysetIds.map((id) => requireInteger('keyset id', id)) } },
            orderBy: { keysetId: 'asc' },
          });
          const missing = (input.keysetIds ?? []).filter(
            (id) => !keysets.some((keyset) => keyset.keysetId === id),
          );
          if (missing.length > 0)
            throw new DbError('ERR_DB_NOT_FOUND', `keyset ${missing.join(', ')} does not exist`);
          let nextId = ((await tx.encryptionKey.aggregate({ _max: { id: true } }))._max.id ?? 0) + 1;
          const created: KeyRow[] = [];
          for (const keyset of keysets) {
            // Keys in use until the new one activates stay valid for tokens minted with them.
            await tx.encryptionKey.updateMany({
              where: {
                keysetId: keyset.keysetId,
                activates: { lt: BigInt(activates) },
                expires: { gt: retireAt },
              },
              data: { expires: retireAt },
            });
            const id = nextId++;
            created.push(
              await tx.encryptionKey.create({
                data: {
                  id,
                  keysetId: keyset.keysetId,
                  secretEnc: seal(id, undefined),
                  created: BigInt(nowSeconds),
                  activates: BigInt(activates),
                  expires: BigInt(expires),
                },
              }),
            );
          }
          return created;
        }),
      );
      return rows.map(toKeyInfo);
    },
  };
}
