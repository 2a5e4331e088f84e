import { openCstgResponse, sealCstgResponse } from '@uid2-operator/crypto-envelope';
import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CstgKeypairRecord } from '../state/cstg-keypairs.js';
import type { SiteInfo } from '../state/state-source.js';
import { patchTables } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { loadVectors, parseOrText, type TestVector } from '../test-support/token-helpers.js';

interface ServerKeypair {
  subscriptionId: string;
  siteId: number;
  publicKey: string;
  privateKey: string;
  appNames: string[];
  domainNames: string[];
}

const FILE = 'client-side-generate.json';
const requestVectors = loadVectors(FILE, 'cstg-request');
const errorVectors = loadVectors(FILE, 'cstg-error');
const responseVectors = loadVectors(FILE, 'cstg-response');

const serverKeypairOf = (vector: TestVector) => vector.input.serverKeypair as ServerKeypair;
const scopeOf = (vector: TestVector) =>
  serverKeypairOf(vector).publicKey.startsWith('EUID') ? 'EUID' : 'UID2';

/** Sites and keypairs of the vectors of one scope; request vectors' app names are registered too. */
function tablesFor(scope: 'UID2' | 'EUID'): { keypairs: CstgKeypairRecord[]; sites: Map<number, SiteInfo> } {
  const keypairs = new Map<string, CstgKeypairRecord>();
  const sites = new Map<number, SiteInfo>();
  for (const vector of [...requestVectors, ...errorVectors].filter((v) => scopeOf(v) === scope)) {
    const server = serverKeypairOf(vector);
    keypairs.set(server.subscriptionId, { ...server, disabled: false });
    const site = sites.get(server.siteId) ?? {
      id: server.siteId,
      enabled: true,
      domainNames: server.domainNames,
      appNames: server.appNames,
    };
    const appName = vector.kind === 'cstg-request' ? (vector.input.appName as string | null) : null;
    sites.set(server.siteId, appName === null ? site : { ...site, appNames: [...site.appNames, appName] });
  }
  return { keypairs: [...keypairs.values()], sites };
}

async function operatorFor(scope: 'UID2' | 'EUID'): Promise<TestOperator> {
  const { keypairs, sites } = tablesFor(scope);
  return createTestOperator({
    config: { identityScope: scope, clientSideTokenGenerate: true },
    prepare: (fixture) => {
      const others = fixture.tables.sites.filter((site) => !sites.has(site.id));
      patchTables(fixture, { keypairs, sites: [...others, ...sites.values()] });
    },
  });
}

describe('POST /v2/token/client-generate with the client-side-generate.json vectors', () => {
  const operators = new Map<string, TestOperator>();
  beforeAll(async () => {
    operators.set('UID2', await operatorFor('UID2'));
    operators.set('EUID', await operatorFor('EUID'));
  });
  afterAll(async () => {
    for (const operator of operators.values()) await operator.close();
  });

  async function post(vector: TestVector, body: string) {
    const operator = operators.get(scopeOf(vector));
    if (operator === undefined) throw new Error('no operator for the vector scope');
    const origin = `https://${serverKeypairOf(vector).domainNames.at(-1) ?? 'localhost'}`;
    const response = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/client-generate',
      headers: { 'content-type': 'text/plain', origin },
      payload: body,
    });
    return { operator, response };
  }

  it('covers every cstg-request, cstg-error and cstg-response vector of the file', () => {
    expect([requestVectors.length, errorVectors.length, responseVectors.length]).toEqual([5, 10, 2]);
  });

  for (const vector of requestVectors) {
    it(`decrypts "${vector.title}" and answers tokens encrypted with the shared secret`, async () => {
      const expected = vector.expected;
      const { operator, response } = await post(vector, expected.requestBody as string);
      expect(response.statusCode).toBe(200);
      const sharedSecret = Buffer.from(expected.sharedSecretBase64 as string, 'base64');
      const answer = JSON.parse(openCstgResponse(sharedSecret, response.body).toString('utf8')) as {
        status: string;
        body: { advertising_token: string; refresh_token: string };
      };
      expect(answer.status).toBe('success');
      expect(answer.body.refresh_token).toHaveLength(388);

      const decoded = decodeAdvertisingToken(answer.body.advertising_token, operator.state.snapshot.keyRing);
      const inner = JSON.parse(expected.serverDecryptsTo as string) as Record<string, string>;
      expect(decoded.siteId).toBe(serverKeypairOf(vector).siteId);
      expect(decoded.privacyBits).toBe(3);
      expect(decoded.identityScope).toBe(scopeOf(vector));
      expect(decoded.identityType).toBe('phone_hash' in inner ? 'phone' : 'email');
      const generated = await operator.call('/v2/token/generate', inner);
      const reference = (generated.json as { body: { advertising_token: string } }).body.advertising_token;
      expect(
        decoded.rawUid.equals(decodeAdvertisingToken(reference, operator.state.snapshot.keyRing).rawUid),
      ).toBe(true);
    });
  }

  for (const vector of errorVectors) {
    it(`answers "${vector.title}" with ${String(vector.expected.httpStatus)} ${String(vector.expected.message)}`, async () => {
      const { response } = await post(vector, vector.input.requestBody as string);
      expect(response.statusCode).toBe(vector.expected.httpStatus);
      expect(parseOrText(response.body)).toEqual({
        status: vector.expected.status,
        message: vector.expected.message,
      });
    });
  }

  for (const vector of responseVectors) {
    it(`seals "${vector.title}" byte for byte as the route does`, () => {
      const input = vector.input;
      const sealed = sealCstgResponse(
        Buffer.from(input.sharedSecretHex as string, 'hex'),
        input.responseJson as string,
        Buffer.from(input.ivHex as string, 'hex'),
      );
      expect(sealed.toString('base64')).toBe(vector.expected.responseBase64);
    });
  }
});
