import type { ApiKey as ApiKeyRow } from './generated/prisma/client.js';
import { DbError } from './db-error.js';
import { hashApiKey } from './hash-api-key.js';
import { generateApiKey } from './internal/credentials.js';
import type { CredentialEnvironment, CredentialScope } from './internal/credentials.js';
import { withPrismaErrors } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';
import { optionalText, requireInteger, requireText, secondsOf } from './internal/validate.js';

/** Every role an API key can hold (uid2-shared `Role`, spec/internals.md §5.1). */
export const API_KEY_ROLES = [
  'GENERATOR',
  'MAPPER',
  'ID_READER',
  'SHARER',
  'OPERATOR',
  'OPTOUT',
  'OPTOUT_SERVICE',
  'CLIENTKEY_ISSUER',
  'OPERATOR_MANAGER',
  'SECRET_MANAGER',
  'ADMINISTRATOR',
  'SHARING_PORTAL',
  'PRIVATE_SITE_REFRESHER',
  'MAINTAINER',
  'PRIVILEGED',
  'SUPER_USER',
  'SECRET_ROTATION',
  'PRIVATE_OPERATOR_SYNC',
  'METRICS_EXPORT',
  'ENCLAVE_REGISTRAR',
  'ADMIN_READ_ONLY',
  'ADMIN_CREATE',
] as const;

/** One API key role. */
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** An API key without its secret: what admin listings show. */
export interface ApiKeyInfo {
  /** Public id, e.g. `UID2-C-L-999-fCXrM`. */
  readonly keyId: string;
  readonly siteId: number;
  readonly name: string;
  readonly contact: string;
  readonly roles: readonly ApiKeyRole[];
  readonly disabled: boolean;
  readonly serviceId: number;
  /** Creation time, epoch seconds. */
  readonly createdSeconds: number;
}

/** Arguments of {@link ApiKeyStore.create}. */
export interface CreateApiKeyInput {
  /** Site the key belongs to; it must exist. */
  readonly siteId: number;
  readonly name: string;
  readonly contact?: string;
  /** At least one role. */
  readonly roles: readonly ApiKeyRole[];
  /** Default 0. */
  readonly serviceId?: number;
  /** Prefix scope, default `UID2`. */
  readonly scope?: CredentialScope;
  /** Prefix environment letter, default `local` (`L`). */
  readonly environment?: CredentialEnvironment;
  /** Current time, epoch ms. */
  readonly nowMs: number;
}

/** What {@link ApiKeyStore.create} returns: the only time the key and secret are visible. */
export interface CreatedApiKey {
  readonly info: ApiKeyInfo;
  /** The plaintext API key (the bearer token). Not stored: only its salted hash is. */
  readonly key: string;
  /** The client secret, standard base64 of 32 bytes (the request-envelope AES key). */
  readonly secret: string;
}

/** Arguments of {@link ApiKeyStore.import}: an existing credential, e.g. from reference test data. */
export interface ImportApiKeyInput extends Omit<CreateApiKeyInput, 'scope' | 'environment'> {
  readonly keyId: string;
  /** Standard base64 SHA-512 (see {@link hashApiKey}). */
  readonly keyHash: string;
  /** Standard base64 salt. */
  readonly keySalt: string;
  /** Standard base64 of the 32-byte secret. */
  readonly secret: string;
  readonly disabled?: boolean;
}

/** API keys ("client keys", spec/internals.md §5.1). Writes are logged (entity `api_key`). */
export interface ApiKeyStore {
  /**
   * Generates a key, a salt and a 32-byte secret; stores the salted hash and the encrypted secret.
   * @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_NOT_FOUND` (no such site).
   */
  create(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Stores an existing key by its hash. @throws DbError `ERR_DB_INVALID_INPUT`, `ERR_DB_CONFLICT`, `ERR_DB_NOT_FOUND`. */
  import(input: ImportApiKeyInput): Promise<ApiKeyInfo>;
  /** Keys of one site, or all keys, by key id. */
  list(filter?: { readonly siteId?: number }): Promise<ApiKeyInfo[]>;
  /** @throws DbError `ERR_DB_NOT_FOUND`. */
  disable(keyId: string): Promise<ApiKeyInfo>;
  /** @throws DbError `ERR_DB_NOT_FOUND`. */
  enable(keyId: string): Promise<ApiKeyInfo>;
  /** Replaces the secret; returns the new one (base64) once. @throws DbError `ERR_DB_NOT_FOUND`. */
  rotateSecret(keyId: string): Promise<string>;
}

function toRoles(values: readonly string[]): ApiKeyRole[] {
  return values.filter((value): value is ApiKeyRole => (API_KEY_ROLES as readonly string[]).includes(value));
}

/** Converts an `api_keys` row to {@link ApiKeyInfo}. */
function toApiKeyInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    keyId: row.keyId,
    siteId: row.siteId,
    name: row.name,
    contact: row.contact,
    roles: toRoles(row.roles),
    disabled: row.disabled,
    serviceId: row.serviceId,
    createdSeconds: Number(row.created),
  };
}

function requireRoles(roles: unknown): ApiKeyRole[] {
  if (!Array.isArray(roles) || roles.length === 0) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      `roles must be a non-empty list of: ${API_KEY_ROLES.join(', ')}`,
    );
  }
  const valid = toRoles(roles.map((role) => String(role).toUpperCase()));
  if (valid.length !== roles.length) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      `roles must be a non-empty list of: ${API_KEY_ROLES.join(', ')}`,
    );
  }
  return [...new Set(valid)];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function requireBase64(name: string, value: unknown, bytes?: number): string {
  if (
    typeof value !== 'string' ||
    !BASE64.test(value) ||
    (bytes !== undefined && Buffer.from(value, 'base64').length !== bytes)
  ) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      `${name} must be standard base64${bytes === undefined ? '' : ` of ${bytes} bytes`}`,
    );
  }
  return value;
}

/** Builds the {@link ApiKeyStore} of a Database. */
export function createApiKeyStore(ctx: StoreContext): ApiKeyStore {
  const setDisabled = async (keyId: string, disabled: boolean): Promise<ApiKeyInfo> => {
    ctx.assertOpen();
    const row = await withPrismaErrors(`API key ${keyId}`, () =>
      ctx.prisma.apiKey.update({ where: { keyId: requireText('key id', keyId) }, data: { disabled } }),
    );
    return toApiKeyInfo(row);
  };
  const insert = async (input: ImportApiKeyInput): Promise<ApiKeyInfo> => {
    const siteId = requireInteger('site id', input.siteId);
    const keyId = requireText('key id', input.keyId);
    const secret = Buffer.from(requireBase64('secret', input.secret, 32), 'base64');
    const data = {
      keyId,
      keyHash: requireBase64('key hash', input.keyHash, 64),
      keySalt: requireBase64('key salt', input.keySalt),
      secretEnc: new Uint8Array(ctx.box.seal('api_key_secret', keyId, secret)),
      roles: requireRoles(input.roles),
      siteId,
      name: requireText('name', input.name),
      contact: optionalText('contact', input.contact),
      disabled: input.disabled === true,
      serviceId: requireInteger('service id', input.serviceId ?? 0, 0, 0x7fff_ffff),
      created: BigInt(secondsOf('nowMs', input.nowMs)),
    };
    return toApiKeyInfo(
      await withPrismaErrors(`API key ${keyId} of site ${siteId}`, () => ctx.prisma.apiKey.create({ data })),
    );
  };
  return {
    async create(input) {
      ctx.assertOpen();
      const siteId = requireInteger('site id', input.siteId, 1);
      for (let attempt = 0; ; attempt++) {
        const { key, keyId } = generateApiKey(
          ctx.random,
          siteId,
          input.scope ?? 'UID2',
          input.environment ?? 'local',
        );
        const salt = ctx.random(32).toString('base64');
        const secret = ctx.random(32).toString('base64');
        try {
          const info = await insert({
            ...input,
            keyId,
            keyHash: hashApiKey(key, salt),
            keySalt: salt,
            secret,
          });
          return { info, key, secret };
        } catch (error) {
          // A key id is 5 random characters per site: retry the rare collision.
          if (!(error instanceof DbError && error.code === 'ERR_DB_CONFLICT' && attempt < 3)) throw error;
        }
      }
    },
    async import(input) {
      ctx.assertOpen();
      return insert(input);
    },
    async list(filter = {}) {
      ctx.assertOpen();
      const where = filter.siteId === undefined ? {} : { siteId: requireInteger('site id', filter.siteId) };
      return (await ctx.prisma.apiKey.findMany({ where, orderBy: { keyId: 'asc' } })).map(toApiKeyInfo);
    },
    disable: (keyId) => setDisabled(keyId, true),
    enable: (keyId) => setDisabled(keyId, false),
    async rotateSecret(keyId) {
      ctx.assertOpen();
      const id = requireText('key id', keyId);
      const secret = ctx.random(32);
      const secretEnc = new Uint8Array(ctx.box.seal('api_key_secret', id, secret));
      await withPrismaErrors(`API key ${id}`, () =>
        ctx.prisma.apiKey.update({ where: { keyId: id }, data: { secretEnc } }),
      );
      return secret.toString('base64');
    },
  };
}
