import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperatorProcess, startOperator } from '../test-support/operator-process.js';
import { runJson, runUid2 } from '../test-support/run-cli.js';

// Client commands against a real operator (a child process with its own embedded database); the
// CLI finds it through the dev credentials file of UID2_DATA_DIR.

let operator: OperatorProcess;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  operator = await startOperator();
  work = await mkdtemp(join(tmpdir(), 'uid2-cli-files-'));
  env = { UID2_DATA_DIR: operator.dataDir };
}, 120_000);

afterAll(async () => {
  await operator?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

interface TokenJson {
  status: string;
  identity: {
    advertising_token: string;
    refresh_token: string;
    refresh_response_key: string;
    identity_expires: number;
  };
}

describe('token commands', () => {
  it('generates, validates, refreshes and decrypts a token', async () => {
    const generated = await runJson<TokenJson>(['token', 'generate', '--email', 'user@example.com'], { env });
    expect(generated.status).toBe('success');
    expect(generated.identity.refresh_token).toHaveLength(388);
    const token = generated.identity.advertising_token;

    expect(await runJson(['token', 'validate', token, '--email', 'user@example.com'], { env })).toEqual({
      valid: true,
    });
    expect(await runJson(['token', 'validate', token, '--email', 'other@example.com'], { env })).toEqual({
      valid: false,
    });

    const refreshed = await runJson<TokenJson>(
      [
        'token',
        'refresh',
        generated.identity.refresh_token,
        '--response-key',
        generated.identity.refresh_response_key,
      ],
      { env },
    );
    expect(refreshed.status).toBe('success');
    expect(refreshed.identity.refresh_response_key).not.toBe(generated.identity.refresh_response_key);

    const decrypted = await runJson<{ status: string; uid: string; siteId: number }>(
      ['token', 'decrypt', token],
      { env },
    );
    expect(decrypted).toMatchObject({ status: 'SUCCESS', siteId: 999 });
    const human = await runUid2(['token', 'decrypt', token], { env });
    expect(human.stdout).toContain(`raw UID2:              ${decrypted.uid}`);
  });

  it('prints tokens as a table and reports opt-out without tokens', async () => {
    const human = await runUid2(['token', 'generate', '--phone', '+12345678901'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^advertising_token: +B4/m);
    const optout = await runUid2(['token', 'generate', '--email', 'optout@example.com'], { env });
    expect(optout.stdout).toBe('status: optout (no tokens issued)\n');
  });

  it('fails with one line and exit code 1 on an operator error, never echoing the identifier', async () => {
    const result = await runUid2(['token', 'generate', '--email', 'not-an-email'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'uid2: ERR_BAD_REQUEST: the operator rejected the request: HTTP 400: client_error (Invalid Identifier)\n',
    );
    const refresh = await runUid2(
      ['token', 'refresh', 'A'.repeat(388), '--response-key', Buffer.alloc(32).toString('base64')],
      { env },
    );
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toMatch(/^uid2: ERR_BAD_REQUEST: .*HTTP 400: client_error/);
  });

  it('reports a failed local decryption as a status and exit code 1', async () => {
    const result = await runUid2(['token', 'decrypt', 'AAAAAAAA'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^status: +VERSION_NOT_SUPPORTED/);
    expect(result.stderr).toBe('uid2: decryption failed: VERSION_NOT_SUPPORTED\n');
  });
});

describe('map', () => {
  it('maps a CSV file in parallel batches, keeps the input order and prints the throughput', async () => {
    const rows = ['type,identifier'];
    for (let i = 0; i < 12_000; i++)
      rows.push(i % 4 === 0 ? `phone,+1${2_000_000_000 + i}` : `email,user${i}@example.com`);
    rows.push('email,optout@example.com', 'email,not-an-email', 'fax,123');
    const input = join(work, 'ids.csv');
    const output = join(work, 'out.csv');
    await writeFile(input, `${rows.join('\n')}\n`);

    const result = await runUid2(['map', input, '-o', output, '--batch-size', '5000', '--parallel', '3'], {
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^mapped 12003 identifiers in \d+\.\d\d s \(\d+ ids\/s\): 12000 mapped, 3 unmapped\n$/,
    );
    const lines = (await readFile(output, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('identifier,type,raw_uid,previous_raw_uid,refresh_from,reason');
    expect(lines).toHaveLength(12_004);
    expect(lines.slice(1, 12_001).map((line) => line.split(',')[0])).toEqual(
      rows.slice(1, 12_001).map((r) => r.split(',')[1]),
    );
    expect(lines[1]).toMatch(/^\+12000000000,phone,[A-Za-z0-9+/]{43}=,,\d{10},$/);
    expect(lines.slice(-3)).toEqual([
      'optout@example.com,email,,,,optout',
      'not-an-email,email,,,,invalid identifier',
      '123,,,,,unknown identifier type',
    ]);

    const again = await runUid2(['map', input, '--json'], { env });
    expect(again.stdout.split('\n')[1]).toBe(lines[1]);
    expect(JSON.parse(again.stderr)).toMatchObject({ identifiers: 12_003, mapped: 12_000, unmapped: 3 });
  });

  it('maps a one-column file of hashes with --type', async () => {
    const input = join(work, 'hashes.csv');
    await writeFile(input, 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=\n');
    const hashed = await runUid2(['map', input, '--type', 'email_hash'], { env });
    const raw = await runUid2(['map', '-', '--type', 'email'], { env, stdin: 'user@example.com\n' });
    expect(hashed.code).toBe(0);
    expect(hashed.stdout.split('\n')[1]).toMatch(
      /^tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf\/F5HVRQ=,email_hash,[^,]{44},/,
    );
    expect(raw.code).toBe(0);
    expect(raw.stdout.split('\n')[1]).toMatch(/^user@example.com,email,[^,]{44},/);
  });

  it('refuses a missing file and a bad batch size', async () => {
    expect(await runUid2(['map', join(work, 'missing.csv')], { env })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no such file/),
    });
    expect((await runUid2(['map', '-', '--batch-size', '6000'], { env })).code).toBe(2);
  });
});

describe('keys and opt-out status', () => {
  it('lists the bidstream and sharing keys without their secrets', async () => {
    const bidstream = await runJson<{ source: string; keys: Record<string, unknown>[] }>(['keys', 'fetch'], {
      env,
    });
    expect(bidstream.source).toBe('bidstream');
    expect(bidstream.keys.length).toBeGreaterThan(0);
    expect(bidstream.keys.every((key) => !('secret' in key))).toBe(true);
    const sharing = await runUid2(['keys', 'fetch', '--sharing'], { env });
    expect(sharing.stdout).toMatch(/^endpoint: +\/v2\/key\/sharing$/m);
    expect(sharing.stdout).not.toMatch(/secret/i);
  });

  it('reports which raw UID2s are opted out', async () => {
    const result = await runJson<{ optedOut: unknown[] }>(
      ['optout', 'status', 'xvfNDPpeB5tyEWfGd1rLNsn0aF/xRiLxS6hB+12gWCs='],
      { env },
    );
    expect(result.optedOut).toEqual([]);
    const human = await runUid2(['optout', 'status', 'a', 'b'], { env });
    expect(human.stdout).toBe('none of the 2 raw UID2s is opted out\n');
  });

  it('explains missing credentials', async () => {
    const result = await runUid2(['keys', 'fetch'], { env: { UID2_DATA_DIR: work } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^uid2: no operator credentials/);
  });
});
