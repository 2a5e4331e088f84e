import { resolve } from 'node:path';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Environment variables the operator reads, parsed once at start (spec/internals.md §7.1, spec/api.md §11).
 * Durations are in seconds.
 */
const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^postgres(ql)?:\/\/.+/.test(v), {
        message: 'must be a postgres:// or postgresql:// URL (leave it unset to use the embedded database)',
      }),
    UID2_DATA_DIR: z.string().min(1).default('.data'),
    UID2_KEK: z.string().optional(),
    UID2_SEED_DEV: bool(true),
    UID2_DEV_SALT_BUCKETS: z.coerce
      .number()
      .int()
      .min(1)
      .max(1 << 24)
      .default(1 << 20),
    IDENTITY_SCOPE: z.enum(['UID2', 'EUID']).default('UID2'),
    IDENTITY_ENVIRONMENT: z.enum(['test', 'integ', 'prod']).default('test'),
    IDENTITY_V3: bool(false),
    IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS: seconds(3600),
    REFRESH_TOKEN_EXPIRES_AFTER_SECONDS: seconds(86_400),
    REFRESH_IDENTITY_TOKEN_AFTER_SECONDS: seconds(900),
    SHARING_TOKEN_EXPIRY_SECONDS: seconds(2_592_000),
    MAX_BIDSTREAM_LIFETIME_SECONDS: z.coerce.number().int().positive().optional(),
    MAX_SHARING_LIFETIME_SECONDS: z.coerce.number().int().positive().optional(),
    ALLOW_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).default(1800),
    ENABLE_PHONE_SUPPORT: bool(true),
    CLIENT_SIDE_TOKEN_GENERATE: bool(true),
    CSTG_DOMAIN_NAME_CHECK: bool(true),
    KEY_SHARING_PROVIDE_APP_NAMES: bool(false),
    OPTOUT_STATUS_API_ENABLED: bool(true),
    OPTOUT_STATUS_MAX_REQUEST_SIZE: z.coerce.number().int().positive().default(5000),
    TCF_VENDOR_ID: z.coerce.number().int().positive().default(21),
    OPERATOR_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    HASH_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
    HASH_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    MAP_WHOLE_REQUESTS: z.enum(['when-busy', 'always']).default('when-busy'),
    REFRESH_POLL_MS: z.coerce.number().int().min(100).default(1000),
    OPTOUT_SNAPSHOT_RECORDS: z.coerce.number().int().min(0).default(500_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.REFRESH_TOKEN_EXPIRES_AFTER_SECONDS < env.IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFRESH_TOKEN_EXPIRES_AFTER_SECONDS'],
        message: 'must be ≥ IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS',
      });
    }
    if (env.IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS < env.REFRESH_IDENTITY_TOKEN_AFTER_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS'],
        message: 'must be ≥ REFRESH_IDENTITY_TOKEN_AFTER_SECONDS',
      });
    }
    if (
      env.MAX_BIDSTREAM_LIFETIME_SECONDS !== undefined &&
      env.MAX_BIDSTREAM_LIFETIME_SECONDS < env.IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_BIDSTREAM_LIFETIME_SECONDS'],
        message: 'must be ≥ IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS',
      });
    }
    if (env.DATABASE_URL && !env.UID2_KEK) {
      ctx.addIssue({
        code: 'custom',
        path: ['UID2_KEK'],
        message: 'is required with DATABASE_URL (base64 of 32 random bytes: `openssl rand -base64 32`)',
      });
    }
  });

/** The operator's configuration: parsed once at start by {@link loadConfig}, then frozen. */
export interface OperatorConfig {
  readonly port: number;
  readonly host: string;
  /** Postgres URL, or `undefined` for the embedded PGlite database under {@link dataDir}. */
  readonly databaseUrl: string | undefined;
  /** Absolute directory for the embedded database, its KEK and the dev credentials. */
  readonly dataDir: string;
  /** Base64 key-encryption key (32 bytes) or `undefined` to use `<dataDir>/kek` (embedded only). */
  readonly kekBase64: string | undefined;
  readonly seedDevelopment: boolean;
  /** Salt buckets the development seed creates (1,048,576 like production; tests use fewer). */
  readonly devSaltBuckets: number;
  readonly identityScope: 'UID2' | 'EUID';
  readonly identityEnvironment: 'test' | 'integ' | 'prod';
  readonly identityV3: boolean;
  /** Token lifetimes, seconds. */
  readonly identityTokenExpiresAfterSeconds: number;
  readonly refreshTokenExpiresAfterSeconds: number;
  readonly refreshIdentityTokenAfterSeconds: number;
  readonly sharingTokenExpirySeconds: number;
  readonly maxBidstreamLifetimeSeconds: number | undefined;
  readonly maxSharingLifetimeSeconds: number | undefined;
  readonly allowClockSkewSeconds: number;
  readonly phoneSupport: boolean;
  readonly clientSideTokenGenerate: boolean;
  readonly cstgDomainNameCheck: boolean;
  readonly keySharingProvideAppNames: boolean;
  readonly optoutStatusApiEnabled: boolean;
  readonly optoutStatusMaxRequestSize: number;
  readonly tcfVendorId: number;
  /** Processes on one port (node:cluster). */
  readonly operatorWorkers: number;
  /** Hashing worker threads per process; 0 = hash on the event loop in chunks. */
  readonly hashWorkers: number | undefined;
  /**
   * Nice increment (0–19) of the hashing threads: identity-map batches yield the CPU to the event
   * loop's short requests (PERFORMANCE.md §5, head-of-line blocking); 0 = same priority.
   */
  readonly hashWorkerNice: number;
  /**
   * When a large `/v3/identity/map` request is answered whole on one hashing worker: `when-busy`
   * (default: while the workers have work, for throughput; an idle pool splits the request
   * across all workers, for latency) or `always`.
   */
  readonly mapWholeRequests: 'when-busy' | 'always';
  /** How often each process polls the change log, milliseconds (NOTIFY wakes it sooner). */
  readonly refreshPollMs: number;
  /**
   * Write a new opt-out index snapshot to the database once this many opt-out records (counted
   * by their sequence numbers) were written after the newest stored one; 0 = never write (a
   * stored snapshot is still used at start-up). Start-up loads the snapshot and reads only the
   * records after it.
   */
  readonly optOutSnapshotRecords: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Thrown by {@link loadConfig}; `message` lists every bad setting by name, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses and validates the environment (all problems reported at once) and returns a frozen config.
 * @throws {ConfigError} naming each invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): OperatorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ? e.DATABASE_URL : undefined,
    dataDir: resolve(cwd, e.UID2_DATA_DIR),
    kekBase64: e.UID2_KEK,
    seedDevelopment: e.UID2_SEED_DEV,
    devSaltBuckets: e.UID2_DEV_SALT_BUCKETS,
    identityScope: e.IDENTITY_SCOPE,
    identityEnvironment: e.IDENTITY_ENVIRONMENT,
    identityV3: e.IDENTITY_V3,
    identityTokenExpiresAfterSeconds: e.IDENTITY_TOKEN_EXPIRES_AFTER_SECONDS,
    refreshTokenExpiresAfterSeconds: e.REFRESH_TOKEN_EXPIRES_AFTER_SECONDS,
    refreshIdentityTokenAfterSeconds: e.REFRESH_IDENTITY_TOKEN_AFTER_SECONDS,
    sharingTokenExpirySeconds: e.SHARING_TOKEN_EXPIRY_SECONDS,
    maxBidstreamLifetimeSeconds: e.MAX_BIDSTREAM_LIFETIME_SECONDS,
    maxSharingLifetimeSeconds: e.MAX_SHARING_LIFETIME_SECONDS,
    allowClockSkewSeconds: e.ALLOW_CLOCK_SKEW_SECONDS,
    phoneSupport: e.ENABLE_PHONE_SUPPORT,
    clientSideTokenGenerate: e.CLIENT_SIDE_TOKEN_GENERATE,
    cstgDomainNameCheck: e.CSTG_DOMAIN_NAME_CHECK,
    keySharingProvideAppNames: e.KEY_SHARING_PROVIDE_APP_NAMES,
    optoutStatusApiEnabled: e.OPTOUT_STATUS_API_ENABLED,
    optoutStatusMaxRequestSize: e.OPTOUT_STATUS_MAX_REQUEST_SIZE,
    tcfVendorId: e.TCF_VENDOR_ID,
    operatorWorkers: e.OPERATOR_WORKERS,
    hashWorkers: e.HASH_WORKERS,
    hashWorkerNice: e.HASH_WORKER_NICE,
    mapWholeRequests: e.MAP_WHOLE_REQUESTS,
    refreshPollMs: e.REFRESH_POLL_MS,
    optOutSnapshotRecords: e.OPTOUT_SNAPSHOT_RECORDS,
    logLevel: e.LOG_LEVEL,
  });
}

/** A config for tests: defaults plus overrides, without reading the process environment. */
export function testConfig(overrides: Partial<OperatorConfig> = {}): OperatorConfig {
  return Object.freeze({ ...loadConfig({}, '/tmp'), ...overrides });
}
