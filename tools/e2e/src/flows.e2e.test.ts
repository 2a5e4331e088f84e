import { randomBytes } from 'node:crypto';
import { BidstreamClient, SharingClient, Uid2Client } from '@uid2-operator/client';
import { hashDiiBase64 } from '@uid2-operator/dii-normalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, startOperatorProcess, type OperatorProcess } from './operator-process.js';

interface Backend {
  readonly name: string;
  readonly enabled: boolean;
  readonly start: () => Promise<{ operator: OperatorProcess; cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded PGlite',
    enabled: true,
    async start() {
      const operator = await startOperatorProcess();
      return { operator, cleanup: () => operator.stop() };
    },
  },
  {
    name: 'PostgreSQL',
    enabled: process.env.DATABASE_URL !== undefined,
    async start() {
      const database = await freshPostgres();
      const operator = await startOperatorProcess({
        DATABASE_URL: database.url,
        UID2_KEK: randomBytes(32).toString('base64'),
      });
      return {
        operator,
        async cleanup() {
          await operator.stop();
          await database.drop();
        },
      };
    },
  },
];

for (const backend of backends) {
  describe.runIf(backend.enabled)(`a real operator on ${backend.name}`, () => {
    let operator: OperatorProcess;
    let cleanup: () => Promise<void>;
    let uid2: Uid2Client;

    beforeAll(async () => {
      ({ operator, cleanup } = await backend.start());
      const { baseUrl, apiKey, secret } = operator.credentials;
      uid2 = new Uid2Client({ baseUrl, apiKey, secret });
    });
    afterAll(async () => cleanup());

    it('serves a publisher: generate, then refresh twice', async () => {
      const generated = await uid2.generateToken({ email: 'publisher.flow@example.com' });
      expect(generated.status).toBe('success');
      if (generated.status !== 'success') return;
      expect(generated.identity.refreshToken).toHaveLength(388);
      const first = await uid2.refreshToken(generated.identity);
      expect(first.status).toBe('success');
      if (first.status !== 'success') return;
      const second = await uid2.refreshToken(first.identity);
      expect(second.status).toBe('success');
      if (second.status !== 'success') return;
      expect(second.identity.advertisingToken).not.toBe(first.identity.advertisingToken);
    });

    it('serves an advertiser: v2 and v3 map agree, and buckets list the seeded buckets', async () => {
      const emails = ['advertiser.one@example.com', 'advertiser.two@example.com', 'not an email'];
      const v3 = await uid2.identityMapV3({ email: emails });
      const v2 = await uid2.identityMapV2({ email: emails });
      const first = v3.email[0];
      expect(first?.mapped).toBe(true);
      if (first?.mapped !== true) return;
      expect(v2.mapped[0]?.advertisingId).toBe(first.rawUid);
      expect(v3.email[2]).toMatchObject({ mapped: false, reason: 'invalid identifier' });
      expect(v2.unmapped).toEqual([{ identifier: 'not an email', reason: 'invalid identifier' }]);
      const buckets = await uid2.identityBuckets('2000-01-01T00:00:00');
      expect(buckets.length).toBe(4096);
      expect(buckets.map((bucket) => bucket.bucketId)).toContain(v2.mapped[0]?.bucketId);
    });

    it('serves a DSP: bid-stream keys decrypt a generated token to the raw UID that map returns', async () => {
      const email = 'dsp.flow@example.com';
      const generated = await uid2.generateToken({ email });
      expect(generated.status).toBe('success');
      if (generated.status !== 'success') return;
      const dsp = new BidstreamClient({ client: uid2 });
      await dsp.refresh();
      const decrypted = dsp.decryptToken(generated.identity.advertisingToken, 'publisher.example');
      expect(decrypted.status).toBe('SUCCESS');
      const mapped = await uid2.identityMapV3({ email: [email] });
      const item = mapped.email[0];
      expect(item?.mapped === true ? item.rawUid : undefined).toBe(decrypted.uid);
      dsp.close();
    });

    it('serves sharing: a raw UID encrypted with the sharing keys decrypts back', async () => {
      const mapped = await uid2.identityMapV3({ email: ['sharing.flow@example.com'] });
      const item = mapped.email[0];
      if (item?.mapped !== true) throw new Error('not mapped');
      const sharing = new SharingClient({ client: uid2 });
      await sharing.refresh();
      const encrypted = sharing.encryptRawUid(item.rawUid);
      expect(encrypted.status).toBe('SUCCESS');
      const decrypted = sharing.decryptToken(encrypted.token ?? '');
      expect(decrypted.status).toBe('SUCCESS');
      expect(decrypted.uid).toBe(item.rawUid);
      sharing.close();
    });

    it('records an opt-out: logout, then generate says optout and optout/status lists the raw UID', async () => {
      const email = 'optout.flow@example.com';
      const before = await uid2.identityMapV3({ email: [email] });
      const item = before.email[0];
      if (item?.mapped !== true) throw new Error('not mapped');
      await uid2.logout({ email });
      expect((await uid2.generateToken({ email })).status).toBe('optout');
      const after = await uid2.identityMapV3({ email: [email] });
      expect(after.email[0]).toMatchObject({ mapped: false, reason: 'optout' });
      const status = await uid2.optoutStatus([item.rawUid]);
      expect(status).toHaveLength(1);
      expect(status[0]?.advertisingId).toBe(item.rawUid);
      expect((status[0]?.optedOutSinceMs ?? 0) % 1000).toBe(0);
    });

    it('serves client-side generation to a browser-style ECDH client from an allowed origin', async () => {
      const publicClient = new Uid2Client({ baseUrl: operator.credentials.baseUrl });
      const result = await publicClient.clientSideGenerateToken({
        serverPublicKey: operator.credentials.publicKey,
        subscriptionId: operator.credentials.subscriptionId,
        identity: { emailHash: hashDiiBase64('cstg.flow@example.com') },
        origin: 'http://localhost:3000',
      });
      expect(result.status).toBe('success');
      if (result.status !== 'success') return;
      const refreshed = await publicClient.refreshToken(result.identity);
      expect(refreshed.status).toBe('success');
      const dsp = new BidstreamClient({ client: uid2 });
      await dsp.refresh();
      expect(dsp.decryptToken(result.identity.advertisingToken, 'localhost').status).toBe('SUCCESS');
      dsp.close();
    });

    it('never put an email, API key or secret in a log line (only the one-time seed banner shows the credentials)', () => {
      const logLines = operator
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      const { apiKey, secret } = operator.credentials;
      for (const needle of ['publisher.flow@example.com', 'optout.flow@example.com', apiKey, secret]) {
        for (const line of logLines) expect(line).not.toContain(needle);
      }
    });
  });
}
