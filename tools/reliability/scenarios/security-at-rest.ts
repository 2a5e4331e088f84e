import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePrefixedKey } from '@uid2-operator/crypto-envelope';
import { type Database, hashApiKey, parseKek } from '@uid2-operator/db';
import { withDatabase } from '../lib/optout-check.js';
import type { PostgresSession } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';
import { startSession } from '../lib/session.js';
import type { SuiteContext } from '../lib/suite-context.js';

/** A secret that must not be stored in plaintext, in the forms it could be stored as. */
interface Plaintext {
  readonly what: string;
  readonly forms: readonly Buffer[];
}

function textForms(what: string, text: string): Plaintext {
  return { what, forms: [Buffer.from(text, 'utf8')] };
}

function byteForms(what: string, bytes: Buffer): Plaintext {
  return {
    what,
    forms: [
      bytes,
      Buffer.from(bytes.toString('base64')),
      Buffer.from(bytes.toString('hex')),
      Buffer.from(`\\x${bytes.toString('hex')}`),
    ],
  };
}

/** Every secret the database holds, decrypted through the db package, plus the API keys we know. */
async function secretsOf(db: Database, apiKeys: readonly string[]): Promise<Plaintext[]> {
  const snapshot = await db.loadSnapshot();
  const out: Plaintext[] = apiKeys.map((key) => textForms('API key', key));
  for (const client of snapshot.apiKeys) out.push(byteForms('client secret', client.secret));
  for (const key of snapshot.keys) out.push(byteForms(`key secret (keyset ${key.keysetId})`, key.secret));
  for (const pair of snapshot.keypairs) {
    out.push(textForms('CSTG private key', pair.privateKey));
    out.push(byteForms('CSTG private key DER', parsePrefixedKey(pair.privateKey).der));
  }
  if (snapshot.saltMetadata !== null) {
    out.push(textForms('first-level salt', snapshot.saltMetadata.firstLevelSalt));
    out.push(textForms('bucket-id secret', snapshot.saltMetadata.idSecret));
  }
  let buckets = 0;
  for await (const batch of db.salts.streamBuckets(1000)) {
    for (const bucket of batch.slice(0, 50)) {
      if (bucket.currentSalt !== null) out.push(textForms('bucket salt', bucket.currentSalt));
      if (bucket.currentKey !== null) out.push(textForms('bucket key', bucket.currentKey.key));
    }
    if (++buckets >= 1) break;
  }
  return out;
}

function findIn(haystack: Buffer, plaintexts: readonly Plaintext[]): string[] {
  const found = new Set<string>();
  for (const p of plaintexts)
    for (const form of p.forms) if (form.length >= 16 && haystack.includes(form)) found.add(p.what);
  return [...found];
}

/**
 * API keys only as salted SHA-512 hashes, and client secrets, key secrets, CSTG private keys and
 * salts encrypted at rest: proven by searching a raw `pg_dump` of the PostgreSQL database and every
 * file of an embedded PGlite directory for the plaintexts (read back through the db package).
 */
export async function checkAtRest(
  ctx: SuiteContext,
  report: ScenarioReport,
  s: PostgresSession,
): Promise<void> {
  const extra = await s.db.apiKeys.create({
    siteId: s.credentials.siteId,
    name: 'at-rest check',
    roles: ['MAPPER'],
    nowMs: Date.now(),
  });
  ctx.sensitive.add('API key at-rest check', extra.key);
  ctx.sensitive.add('client secret at-rest check', extra.secret);
  const rows = await (
    await ctx.postgres()
  ).query<{ key_hash: string; key_salt: string }>(
    new URL(s.databaseUrl).pathname.slice(1),
    'SELECT key_hash, key_salt FROM api_keys',
  );
  const hashed = [s.credentials.apiKey, extra.key].every((key) =>
    rows.some((row) => row.key_hash === hashApiKey(key, row.key_salt) && row.key_hash.length === 88),
  );
  report.check(hashed, 'api_keys does not hold base64 SHA-512(salt ‖ key) for the known keys');
  report.set('api_keys_rows', rows.length);
  const plaintexts = await secretsOf(s.db, [s.credentials.apiKey, extra.key]);
  const dump = Buffer.from(await (await ctx.postgres()).dump(new URL(s.databaseUrl).pathname.slice(1)));
  const inDump = findIn(dump, plaintexts);
  report.set('postgres_dump_bytes', dump.length);
  report.set('plaintexts_searched', plaintexts.length);
  report.set('plaintexts_found_in_postgres', inDump.length);
  report.check(inDump.length === 0, `plaintext found in the PostgreSQL dump: ${inDump.join(', ')}`);

  const dataDir = ctx.path('security-embedded');
  const embedded = await startSession(ctx, { name: 'security-embedded', dataDir });
  const { apiKey } = embedded.credentials;
  await embedded.close();
  const kekText = await readFile(join(dataDir, 'kek'), 'utf8');
  ctx.sensitive.add('embedded KEK', kekText.trim());
  const embeddedPlaintexts = await withDatabase(
    { dataDir: join(dataDir, 'pglite'), kek: parseKek(kekText) },
    (db) => secretsOf(db, [apiKey]),
  );
  let files = 0;
  let bytes = 0;
  const found = new Set<string>();
  for (const entry of await readdir(join(dataDir, 'pglite'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const content = await readFile(join(entry.parentPath, entry.name));
    files += 1;
    bytes += content.length;
    for (const what of findIn(content, embeddedPlaintexts)) found.add(what);
  }
  report.set('pglite_files_searched', files);
  report.set('pglite_mib_searched', Math.round(bytes / 1048576));
  report.set('plaintexts_found_in_pglite', found.size);
  report.check(found.size === 0, `plaintext found in the embedded PGlite files: ${[...found].join(', ')}`);
}
