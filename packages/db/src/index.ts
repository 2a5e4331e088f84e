/**
 * `@uid2-operator/db`: persistence of the UID2 operator on PostgreSQL (Prisma 7 + `pg`) or embedded
 * PGlite — schema and committed SQL migrations with their runner, the stores (sites, API keys,
 * keysets, keys, salts, opt-outs, CSTG keypairs), the operator snapshot, the change feed
 * (`NOTIFY uid2_changes`), secrets at rest under a key-encryption key, and the development seed.
 * Prisma types never leave this package.
 */
export { DB_ERROR_CODES, DbError } from './db-error.js';
export type { DbErrorCode } from './db-error.js';
export { KEK_BYTES, loadOrCreateKekFile, parseKek } from './kek.js';
export type { KekFileOptions, RandomSource } from './kek.js';
export { hashApiKey } from './hash-api-key.js';
export { openDatabase } from './open-database.js';
export type { Database, OpenDatabaseOptions } from './open-database.js';
export type { AppliedMigration, MigrationStatus } from './internal/migration-runner.js';
export type { ChangeEntity, ChangeOp } from './internal/change-log.js';
export type { CredentialEnvironment, CredentialScope } from './internal/credentials.js';
export type { ChangeEntry, ChangeFeed, ChangeHint, ChangePage } from './change-feed.js';
export type { CreateSiteInput, SiteRecord, SiteStore, UpdateSiteInput } from './site-store.js';
export { API_KEY_ROLES } from './api-key-store.js';
export type {
  ApiKeyInfo,
  ApiKeyRole,
  ApiKeyStore,
  CreateApiKeyInput,
  CreatedApiKey,
  ImportApiKeyInput,
} from './api-key-store.js';
export type { CreateKeysetInput, KeysetRecord, KeysetStore, UpdateKeysetInput } from './keyset-store.js';
export type { AddKeyInput, EncryptionKeyInfo, KeyStore, RotateKeysInput } from './key-store.js';
export type {
  ImportSaltsInput,
  InitSaltsInput,
  RotateSaltsInput,
  SaltMetadataRecord,
  SaltRotationResult,
  SaltStore,
} from './salt-store.js';
export type {
  AddedOptOutIdentities,
  AddOptOutIdentitiesInput,
  OptOutChanges,
  OptOutDbStore,
  OptOutSnapshotInfo,
  SaveOptOutSnapshotInput,
  OptOutIdentity,
} from './optout-db-store.js';
export type {
  AddKeypairInput,
  ClientKeypairInfo,
  ImportKeypairInput,
  KeypairStore,
} from './keypair-store.js';
export type {
  ApiKeyRecord,
  ClientKeypairRecord,
  EncryptionKeyRecord,
  OperatorSnapshot,
} from './load-snapshot.js';
export { seedDevelopmentEnvironment } from './seed-development-environment.js';
export type { SeededEnvironment, SeedOptions } from './seed-development-environment.js';
