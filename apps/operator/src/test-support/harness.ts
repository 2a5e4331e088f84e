import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { openResponseEnvelope, sealRequestEnvelope } from '@uid2-operator/crypto-envelope';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { testConfig, type OperatorConfig } from '../config.js';
import type { RandomPool } from '../lib/random-pool.js';
import { createLogger } from '../logger.js';
import { OperatorState } from '../state/operator-state.js';
import { createFixture, type Fixture, type TestClient } from './fixture.js';
import { MemoryStateSource } from './memory-source.js';

/** Options of {@link createTestOperator}. */
export interface TestOperatorOptions {
  readonly config?: Partial<OperatorConfig>;
  /** Fixed clock, epoch ms (default: the real clock). */
  readonly now?: () => number;
  readonly bucketCount?: number;
  /** Changes the fixture before the state is loaded. */
  readonly prepare?: (fixture: Fixture) => void;
  /** Source of the app's IVs and keys (default: a real {@link RandomPool}); vectors pass fixed bytes. */
  readonly random?: RandomPool;
}

/** Answer of {@link TestOperator.call}: status, decrypted JSON (200) or plain JSON error. */
export interface CallResult {
  readonly statusCode: number;
  readonly json: unknown;
  readonly response: LightMyRequestResponse;
}

/** An operator app over in-memory state, with helpers that speak the v2 envelope. */
export interface TestOperator {
  readonly app: FastifyInstance;
  readonly state: OperatorState;
  readonly source: MemoryStateSource;
  readonly fixture: Fixture;
  readonly config: OperatorConfig;
  /** Everything the app logged, one JSON line each. */
  readonly logs: string[];
  /** Sends `payload` in a request envelope as `client` and opens the 200 answer. */
  call(
    path: string,
    payload: Record<string, unknown> | undefined,
    options?: CallOptions,
  ): Promise<CallResult>;
  close(): Promise<void>;
}

/** Options of {@link TestOperator.call}. */
export interface CallOptions {
  /** Default: the all-roles client of site 999. */
  readonly client?: TestClient;
  /** Send raw bytes as `application/octet-stream`. */
  readonly binary?: boolean;
  /** Request timestamp, epoch ms (default: the operator's clock). */
  readonly timestampMs?: number;
  readonly headers?: Record<string, string>;
}

/** Builds the real app over a fixture; nothing listens on a socket. */
export async function createTestOperator(options: TestOperatorOptions = {}): Promise<TestOperator> {
  const now = options.now ?? Date.now;
  const fixture = createFixture(now(), options.bucketCount);
  options.prepare?.(fixture);
  const config = testConfig({ refreshPollMs: 100_000, ...options.config });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const source = new MemoryStateSource(fixture.tables, fixture.buckets, fixture.optOuts);
  const state = await OperatorState.load(source, config, logger);
  const app = await buildApp({
    config,
    state,
    logger,
    now,
    ...(options.random === undefined ? {} : { random: options.random }),
  });

  async function call(
    path: string,
    payload: Record<string, unknown> | undefined,
    callOptions: CallOptions = {},
  ) {
    const client = callOptions.client ?? fixture.clients.all;
    const secret = Buffer.from(client.secret, 'base64');
    const nonce = randomBytes(8);
    const envelope = sealRequestEnvelope({
      secret,
      timestampMs: callOptions.timestampMs ?? now(),
      nonce,
      payload,
      iv: randomBytes(12),
    });
    const response = await app.inject({
      method: 'POST',
      url: path,
      headers: {
        authorization: `Bearer ${client.key}`,
        'content-type': callOptions.binary === true ? 'application/octet-stream' : 'text/plain',
        ...callOptions.headers,
      },
      payload: callOptions.binary === true ? envelope : envelope.toString('base64'),
    });
    let json: unknown;
    if (response.statusCode === 200) {
      const body = callOptions.binary === true ? response.rawPayload : response.body;
      json = JSON.parse(
        openResponseEnvelope({ secret, envelope: body, expectedNonce: nonce }).json.toString('utf8'),
      );
    } else {
      json = response.body === '' ? undefined : safeJson(response.body);
    }
    return { statusCode: response.statusCode, json, response };
  }

  return {
    app,
    state,
    source,
    fixture,
    config,
    logs,
    call,
    async close() {
      await app.close();
      await state.stop();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
