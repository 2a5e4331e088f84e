import { generateKeyPairSync } from 'node:crypto';
import type { ClientKeypair as KeypairRow } from './generated/prisma/client.js';
import { DbError } from './db-error.js';
import { credentialPrefix, randomAlphanumeric } from './internal/credentials.js';
import type { CredentialEnvironment, CredentialScope } from './internal/credentials.js';
import { withPrismaErrors } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';
import { optionalText, requireInteger, requireText, secondsOf } from './internal/validate.js';

/** A client-side keypair without its private key: what admin listings show (spec/internals.md §5.2). */
export interface ClientKeypairInfo {
  /** 10 alphanumerics, e.g. `4WvryDGbR5`. */
  readonly subscriptionId: string;
  readonly siteId: number;
  /** `UID2-X-L-` + standard base64 of the P-256 SubjectPublicKeyInfo DER. */
  readonly publicKey: string;
  readonly name: string;
  readonly contact: string;
  readonly disabled: boolean;
  /** Creation time, epoch seconds. */
  readonly createdSeconds: number;
}

/** Arguments of {@link KeypairStore.addKeypair}. */
export interface AddKeypairInput {
  /** Site the keypair serves; it must exist. */
  readonly siteId: number;
  readonly name?: string;
  readonly contact?: string;
  /** Prefix scope, default `UID2`. */
  readonly scope?: CredentialScope;
  /** Prefix environment letter, default `local` (`L`). */
  readonly environment?: CredentialEnvironment;
  /** Current time, epoch ms. */
  readonly nowMs: number;
}

/** Arguments of {@link KeypairStore.importKeypair}: an existing keypair, prefixed key strings. */
export interface ImportKeypairInput {
  readonly subscriptionId: string;
  readonly siteId: number;
  /** `UID2-X-…` prefixed base64 SPKI. */
  readonly publicKey: string;
  /** `UID2-Y-…` prefixed base64 PKCS#8. */
  readonly privateKey: string;
  readonly name?: string;
  readonly contact?: string;
  readonly disabled?: boolean;
  /** Current time, epoch ms. */
  readonly nowMs: number;
}

/** CSTG keypairs. Private keys are stored encrypted. Writes are logged (entity `keypair`). */
export interface KeypairStore {
  /**
   * Generates a P-256 keypair and a subscription id; stores the public key and the encrypted
   * private key. @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_NOT_FOUND` (no such site).
   */
  addKeypair(input: AddKeypairInput): Promise<ClientKeypairInfo>;
  /** @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_CONFLICT`, `ERR_DB_NOT_FOUND`. */
  importKeypair(input: ImportKeypairInput): Promise<ClientKeypairInfo>;
  /** Keypairs of one site, or all, by subscription id. */
  list(filter?: { readonly siteId?: number }): Promise<ClientKeypairInfo[]>;
  /** @throws DbError `ERR_DB_NOT_FOUND`. */
  disable(subscriptionId: string): Promise<ClientKeypairInfo>;
  /** @throws DbError `ERR_DB_NOT_FOUND`. */
  enable(subscriptionId: string): Promise<ClientKeypairInfo>;
}

/** Converts a `client_keypairs` row to {@link ClientKeypairInfo}. */
function toKeypairInfo(row: KeypairRow): ClientKeypairInfo {
  return {
    subscriptionId: row.subscriptionId,
    siteId: row.siteId,
    publicKey: row.publicKey,
    name: row.name,
    contact: row.contact,
    disabled: row.disabled,
    createdSeconds: Number(row.created),
  };
}

const PREFIXED_KEY = /^(UID2|EUID)-([XY])-[LTIP]-[A-Za-z0-9+/]+={0,2}$/;

function requirePrefixedKey(name: string, value: unknown, kind: 'X' | 'Y'): string {
  const match = typeof value === 'string' ? PREFIXED_KEY.exec(value) : null;
  if (match === null || match[2] !== kind) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      `${name} must be a ${kind === 'X' ? 'UID2-X-' : 'UID2-Y-'}… prefixed base64 key`,
    );
  }
  return value as string;
}

/** Builds the {@link KeypairStore} of a Database. */
export function createKeypairStore(ctx: StoreContext): KeypairStore {
  const insert = async (input: ImportKeypairInput): Promise<ClientKeypairInfo> => {
    const subscriptionId = requireText('subscription id', input.subscriptionId, 64);
    const siteId = requireInteger('site id', input.siteId);
    const privateKey = requirePrefixedKey('private key', input.privateKey, 'Y');
    const data = {
      subscriptionId,
      siteId,
      publicKey: requirePrefixedKey('public key', input.publicKey, 'X'),
      privateKeyEnc: new Uint8Array(ctx.box.sealText('keypair_private_key', subscriptionId, privateKey)),
      name: optionalText('name', input.name),
      contact: optionalText('contact', input.contact),
      disabled: input.disabled === true,
      created: BigInt(secondsOf('nowMs', input.nowMs)),
    };
    const row = await withPrismaErrors(`keypair ${subscriptionId} of site ${siteId}`, () =>
      ctx.prisma.clientKeypair.create({ data }),
    );
    return toKeypairInfo(row);
  };
  const setDisabled = async (subscriptionId: string, disabled: boolean): Promise<ClientKeypairInfo> => {
    ctx.assertOpen();
    const id = requireText('subscription id', subscriptionId, 64);
    const row = await withPrismaErrors(`keypair ${id}`, () =>
      ctx.prisma.clientKeypair.update({ where: { subscriptionId: id }, data: { disabled } }),
    );
    return toKeypairInfo(row);
  };
  return {
    async addKeypair(input) {
      ctx.assertOpen();
      const scope = input.scope ?? 'UID2';
      const environment = input.environment ?? 'local';
      const { publicKey, privateKey } = generateKeyPairSync('ec', {
        namedCurve: 'prime256v1',
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      });
      return insert({
        ...input,
        subscriptionId: randomAlphanumeric(ctx.random, 10),
        publicKey: credentialPrefix(scope, 'X', environment) + publicKey.toString('base64'),
        privateKey: credentialPrefix(scope, 'Y', environment) + privateKey.toString('base64'),
      });
    },
    async importKeypair(input) {
      ctx.assertOpen();
      return insert(input);
    },
    async list(filter = {}) {
      ctx.assertOpen();
      const where = filter.siteId === undefined ? {} : { siteId: requireInteger('site id', filter.siteId) };
      return (await ctx.prisma.clientKeypair.findMany({ where, orderBy: { subscriptionId: 'asc' } })).map(
        toKeypairInfo,
      );
    },
    disable: (subscriptionId) => setDisabled(subscriptionId, true),
    enable: (subscriptionId) => setDisabled(subscriptionId, false),
  };
}
