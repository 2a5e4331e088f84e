import { type Database, openDatabase } from '@uid2-operator/db';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import { firstLevelHash } from '@uid2-operator/salt-buckets';

/** Opens a database (Postgres URL or embedded data directory) for `work`, then closes it. */
export async function withDatabase<T>(
  target: { url?: string; dataDir?: string; kek: Buffer },
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase({
    url: target.url,
    dataDir: target.dataDir,
    kek: target.kek,
    migrate: false,
  });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The first-level hash of an email under the database's first-level salt (spec/api.md §5.4). */
export function emailFirstLevelHash(email: string, firstLevelSalt: string): Buffer {
  const dii = diiHashOf('email', 'raw', email);
  if (dii === null) throw new Error('invalid test email');
  return firstLevelHash(dii, firstLevelSalt);
}

/** Which of `emails` have an opt-out record (scope UID2) in the database (`db.optouts.has`). */
export async function optOutsPresent(
  db: Database,
  emails: readonly string[],
): Promise<{ present: string[]; missing: string[] }> {
  const metadata = await db.salts.metadata();
  if (metadata === undefined) throw new Error('the database has no salts');
  const present: string[] = [];
  const missing: string[] = [];
  for (const email of emails) {
    if (await db.optouts.has(emailFirstLevelHash(email, metadata.firstLevelSalt), 'UID2'))
      present.push(email);
    else missing.push(email);
  }
  return { present, missing };
}
