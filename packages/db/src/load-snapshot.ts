import type { ApiKeyRole } from './api-key-store.js';
import { API_KEY_ROLES } from './api-key-store.js';
import { currentChangeCursor } from './change-feed.js';
import { readKeysets } from './keyset-store.js';
import type { KeysetRecord } from './keyset-store.js';
import type { StoreContext } from './internal/store-context.js';
import { readSaltMetadata } from './internal/salt-writes.js';
import type { SaltMetadataRecord } from './salt-store.js';
import type { SiteRecord } from './site-store.js';

/** An API key as the operator authenticates with it (spec/internals.md §5.1), secret decrypted. */
export interface ApiKeyRecord {
  readonly keyId: string;
  /** Standard base64 SHA-512 of salt ‖ key. */
  readonly keyHash: string;
  /** Standard base64 salt. */
  readonly keySalt: string;
  /** The 32-byte client secret (request-envelope AES key). */
  readonly secret: Buffer;
  readonly roles: readonly ApiKeyRole[];
  readonly siteId: number;
  readonly disabled: boolean;
  readonly serviceId: number;
  readonly name: string;
  readonly contact: string;
  /** Epoch seconds. */
  readonly createdSeconds: number;
}

/** A keyset key with its secret; the shape token-core's `EncryptionKey` expects. Times are epoch seconds. */
export interface EncryptionKeyRecord {
  readonly id: number;
  readonly keysetId: number;
  /** The 32 AES key bytes. */
  readonly secret: Buffer;
  readonly createdSeconds: number;
  readonly activatesSeconds: number;
  readonly expiresSeconds: number;
}

/** A CSTG keypair with its private key decrypted (spec/internals.md §5.2). */
export interface ClientKeypairRecord {
  readonly subscriptionId: string;
  readonly siteId: number;
  /** `UID2-X-L-…` prefixed base64 SPKI. */
  readonly publicKey: string;
  /** `UID2-Y-L-…` prefixed base64 PKCS#8. */
  readonly privateKey: string;
  readonly disabled: boolean;
  readonly name: string;
  readonly contact: string;
  /** Epoch seconds. */
  readonly createdSeconds: number;
}

/** Everything the operator loads at start (salt buckets stream separately), from one consistent snapshot. */
export interface OperatorSnapshot {
  readonly sites: SiteRecord[];
  readonly apiKeys: ApiKeyRecord[];
  readonly keysets: KeysetRecord[];
  readonly keys: EncryptionKeyRecord[];
  /** `null` before salts are initialized. */
  readonly saltMetadata: SaltMetadataRecord | null;
  readonly keypairs: ClientKeypairRecord[];
  /** Change-log cursor: follow `changes.readSince(changeCursor)` to see every later write. */
  readonly changeCursor: number;
}

interface SiteRow {
  id: number;
  name: string;
  enabled: boolean;
  domain_names: string[] | null;
  app_names: string[] | null;
  created: number;
}
interface ApiKeyRow {
  key_id: string;
  key_hash: string;
  key_salt: string;
  secret_enc: Buffer;
  roles: string[] | null;
  site_id: number;
  name: string;
  contact: string;
  disabled: boolean;
  service_id: number;
  created: number;
}
interface KeyRow {
  id: number;
  keyset_id: number;
  secret_enc: Buffer;
  created: number;
  activates: number;
  expires: number;
}
interface KeypairRow {
  subscription_id: string;
  site_id: number;
  public_key: string;
  private_key_enc: Buffer;
  name: string;
  contact: string;
  disabled: boolean;
  created: number;
}

/**
 * Reads every site, API key, keyset, key, CSTG keypair and the salt metadata in one REPEATABLE READ
 * transaction, decrypts the secrets, and returns them with the change-log cursor of that snapshot.
 *
 * @throws DbError `ERR_DB_DECRYPT` if a stored secret does not decrypt (tampered row).
 */
export async function loadSnapshot(ctx: StoreContext): Promise<OperatorSnapshot> {
  ctx.assertOpen();
  const graceSeconds = ctx.gapGraceMs / 1000;
  return ctx.sql.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const changeCursor = await currentChangeCursor(tx, graceSeconds);
    const sites = await tx.query<SiteRow>(
      `SELECT id, name, enabled, domain_names, app_names, created FROM sites ORDER BY id`,
    );
    const apiKeys = await tx.query<ApiKeyRow>(
      `SELECT key_id, key_hash, key_salt, secret_enc, roles, site_id, name, contact, disabled, service_id, created
         FROM api_keys ORDER BY key_id`,
    );
    const keysets = await readKeysets(tx);
    const keys = await tx.query<KeyRow>(
      `SELECT id, keyset_id, secret_enc, created, activates, expires FROM encryption_keys ORDER BY id`,
    );
    const keypairs = await tx.query<KeypairRow>(
      `SELECT subscription_id, site_id, public_key, private_key_enc, name, contact, disabled, created
         FROM client_keypairs ORDER BY subscription_id`,
    );
    const saltMetadata = (await readSaltMetadata(tx, ctx)) ?? null;
    return {
      sites: sites.map((row) => ({
        id: row.id,
        name: row.name,
        enabled: row.enabled,
        domainNames: row.domain_names ?? [],
        appNames: row.app_names ?? [],
        createdSeconds: row.created,
      })),
      apiKeys: apiKeys.map((row) => ({
        keyId: row.key_id,
        keyHash: row.key_hash,
        keySalt: row.key_salt,
        secret: ctx.box.open('api_key_secret', row.key_id, row.secret_enc),
        roles: (row.roles ?? []).filter((role): role is ApiKeyRole =>
          (API_KEY_ROLES as readonly string[]).includes(role),
        ),
        siteId: row.site_id,
        disabled: row.disabled,
        serviceId: row.service_id,
        name: row.name,
        contact: row.contact,
        createdSeconds: row.created,
      })),
      keysets,
      keys: keys.map((row) => ({
        id: row.id,
        keysetId: row.keyset_id,
        secret: ctx.box.open('key_secret', row.id, row.secret_enc),
        createdSeconds: row.created,
        activatesSeconds: row.activates,
        expiresSeconds: row.expires,
      })),
      saltMetadata,
      keypairs: keypairs.map((row) => ({
        subscriptionId: row.subscription_id,
        siteId: row.site_id,
        publicKey: row.public_key,
        privateKey: ctx.box.openText('keypair_private_key', row.subscription_id, row.private_key_enc),
        disabled: row.disabled,
        name: row.name,
        contact: row.contact,
        createdSeconds: row.created,
      })),
      changeCursor,
    };
  });
}
