import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadOrCreateKekFile,
  openDatabase,
  parseKek,
  seedDevelopmentEnvironment,
  type Database,
} from '@uid2-operator/db';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { OperatorConfig } from './config.js';
import { dbStateSource } from './state/db-state-source.js';
import { OperatorState } from './state/operator-state.js';

/** A startup problem explained in one line (the process prints it and exits 1). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A running operator process. */
export interface RunningOperator {
  /** Base URL it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly state: OperatorState;
  /** Stops accepting requests, finishes in-flight ones, then closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Development credentials written to `<dataDir>/dev-credentials.json` (mode 0600) on first seed. */
export interface DevCredentials {
  baseUrl: string;
  apiKey: string;
  secret: string;
  siteId: number;
  subscriptionId: string;
  publicKey: string;
}

/**
 * Opens the configured database (embedded PGlite under `<dataDir>/pglite` unless `DATABASE_URL`
 * is set), applying migrations; the KEK comes from `UID2_KEK` or, embedded only, `<dataDir>/kek`.
 * @throws the db package's coded errors (bad URL, unreachable server, wrong KEK, corrupt data dir).
 */
export async function openConfiguredDatabase(config: OperatorConfig): Promise<Database> {
  const embedded = config.databaseUrl === undefined;
  if (embedded) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await checkEmbeddedDataDir(config);
  }
  const kek =
    config.kekBase64 !== undefined
      ? parseKek(config.kekBase64)
      : await loadOrCreateKekFile(join(config.dataDir, 'kek'));
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: embedded ? join(config.dataDir, 'pglite') : undefined,
    kek,
  });
  if (
    embedded &&
    (await readCredentials(config)) !== undefined &&
    (await db.salts.metadata()) === undefined
  ) {
    await db.close();
    throw lostEmbeddedData(config);
  }
  return db;
}

function lostEmbeddedData(config: OperatorConfig): StartupError {
  return new StartupError(
    `The embedded database in ${join(config.dataDir, 'pglite')} is missing or has lost its data, but ` +
      `${credentialsPath(config)} says it was seeded: refusing to create a new database over it. ` +
      `Restore ${config.dataDir} from a backup, or delete it to start fresh.`,
  );
}

/**
 * Refuses to start over damaged embedded state instead of silently re-seeding: the development
 * credentials (and the key-encryption key) without their database, or an unreadable credentials file.
 */
async function checkEmbeddedDataDir(config: OperatorConfig): Promise<void> {
  const credentials = await readCredentials(config);
  if (credentials !== undefined && !(await exists(join(config.dataDir, 'pglite', 'PG_VERSION')))) {
    throw lostEmbeddedData(config);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The development credentials file, `undefined` when there is none.
 * @throws StartupError when it exists but is not the JSON the seed wrote
 */
async function readCredentials(config: OperatorConfig): Promise<DevCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(credentialsPath(config), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DevCredentials>;
    if (typeof parsed.apiKey === 'string' && typeof parsed.secret === 'string')
      return parsed as DevCredentials;
  } catch {
    // reported below
  }
  throw new StartupError(
    `${credentialsPath(config)} is damaged (not the credentials the development seed wrote): restore it, or delete it if you no longer need those credentials.`,
  );
}

/** Seeds the development environment once and records its credentials (spec of `npm start`). */
async function seedIfWanted(db: Database, config: OperatorConfig, logger: Logger): Promise<void> {
  if (!config.seedDevelopment) return;
  const started = Date.now();
  const seeded = await seedDevelopmentEnvironment(db, { nowMs: started, bucketCount: config.devSaltBuckets });
  if (seeded === null) return;
  const credentials: DevCredentials = {
    baseUrl: baseUrlOf(config),
    apiKey: seeded.apiKey,
    secret: seeded.secret,
    siteId: seeded.siteId,
    subscriptionId: seeded.subscriptionId,
    publicKey: seeded.publicKey,
  };
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeCredentials(config, credentials);
  logger.info({ ms: Date.now() - started }, 'seeded the development environment');
  process.stdout.write(
    [
      '',
      'Development environment seeded (shown once; also in ' + credentialsPath(config) + '):',
      `  URL:             ${credentials.baseUrl}`,
      `  API key:         ${credentials.apiKey}`,
      `  Secret:          ${credentials.secret}`,
      `  Site id:         ${credentials.siteId}`,
      `  CSTG subscription: ${credentials.subscriptionId}`,
      `  CSTG public key: ${credentials.publicKey}`,
      '',
    ].join('\n'),
  );
}

/**
 * Writes the credentials file atomically (a temporary file renamed over it): an operator killed
 * mid-write must not leave an empty file that its next start refuses as damaged.
 */
async function writeCredentials(config: OperatorConfig, credentials: DevCredentials): Promise<void> {
  const path = credentialsPath(config);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

function credentialsPath(config: OperatorConfig): string {
  return join(config.dataDir, 'dev-credentials.json');
}

function baseUrlOf(config: OperatorConfig, port = config.port): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Keeps `baseUrl` in the credentials file true when the operator restarts on another port. */
async function refreshCredentialsUrl(config: OperatorConfig, url: string): Promise<void> {
  const credentials = await readCredentials(config);
  if (credentials === undefined || credentials.baseUrl === url) return;
  credentials.baseUrl = url;
  await writeCredentials(config, credentials);
}

/** Cluster primary: migrate and seed once before the workers start. */
export async function prepareDatabase(config: OperatorConfig, logger: Logger): Promise<void> {
  const db = await openConfiguredDatabase(config);
  try {
    await seedIfWanted(db, config, logger);
  } finally {
    await db.close();
  }
}

/**
 * Starts one operator process: database, (first-start) seed, in-memory snapshot, HTTP server.
 * The server listens only once the snapshot is loaded, so a healthy `/ops/healthcheck` means ready.
 */
export async function startOperator(
  config: OperatorConfig,
  logger: Logger,
  options: { prepare: boolean } = { prepare: true },
): Promise<RunningOperator> {
  const db = await openConfiguredDatabase(config);
  let state: OperatorState | undefined;
  try {
    if (options.prepare) await seedIfWanted(db, config, logger);
    const loadStarted = Date.now();
    state = await OperatorState.load(dbStateSource(db), config, logger);
    logger.info(
      { ms: Date.now() - loadStarted, ...state.loadPhasesMs, ...state.counts() },
      'snapshot loaded',
    );
    const app = await buildApp({ config, state, logger });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = baseUrlOf(config, port);
    if (options.prepare) await refreshCredentialsUrl(config, url);
    state.follow();
    logger.info({ url }, 'UID2 operator ready');
    let closing: Promise<void> | undefined;
    const running = state;
    return {
      url,
      state: running,
      close() {
        closing ??= (async () => {
          await app.close();
          await running.stop();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await state?.stop();
    await db.close().catch(() => undefined);
    throw config.databaseUrl === undefined ? explainEmbeddedFailure(config, error) : error;
  }
}

/** An unexpected failure while reading the embedded database most likely means damaged files. */
function explainEmbeddedFailure(config: OperatorConfig, error: unknown): unknown {
  // Our own coded errors already explain themselves; an engine error (SQLSTATE code) does not.
  if (error instanceof StartupError || (error instanceof Error && error.name === 'DbError')) return error;
  const detail =
    error instanceof Error ? `${error.name}: ${error.message.split('\n', 1)[0] ?? ''}` : String(error);
  return new StartupError(
    `The embedded database in ${join(config.dataDir, 'pglite')} could not be read (${detail}); its files may be damaged. ` +
      `Restore ${config.dataDir} from a backup, or delete it to start fresh.`,
  );
}
