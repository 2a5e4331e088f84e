import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Runs `work` against a brand-new database on the server of `DATABASE_URL` and drops it after,
 * so test files can run in parallel without seeing each other's data.
 */
export async function withFreshPostgres(work: (url: string) => Promise<void>): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (base === undefined) throw new Error('DATABASE_URL is not set');
  const name = `uid2_op_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
