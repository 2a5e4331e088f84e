import { HttpClient } from './http-client.js';
import { type DevCredentials, OperatorProcess, type OperatorOptions } from './operator-process.js';
import type { SuiteContext } from './suite-context.js';
import { Uid2Client } from './uid2-client.js';

/** A started operator with its dev credentials and clients. */
export interface OperatorSession {
  readonly operator: OperatorProcess;
  readonly credentials: DevCredentials;
  readonly http: HttpClient;
  readonly client: Uid2Client;
  /** Stops the operator (SIGTERM) and closes the HTTP client. */
  close(): Promise<void>;
}

/**
 * Starts an operator, reads the dev credentials the seed wrote, and registers the API key and
 * secret as values that must never be logged.
 */
export async function startSession(
  ctx: SuiteContext,
  options: OperatorOptions,
  credentialsFrom?: DevCredentials,
  maxSockets = 16,
): Promise<OperatorSession> {
  const operator = await OperatorProcess.start(ctx, options);
  const credentials =
    credentialsFrom === undefined
      ? await operator.credentials()
      : { ...credentialsFrom, baseUrl: operator.url };
  ctx.sensitive.add('dev API key', credentials.apiKey);
  ctx.sensitive.add('dev client secret', credentials.secret);
  ctx.sensitive.add('dev client secret (bytes)', Buffer.from(credentials.secret, 'base64'));
  const http = new HttpClient(operator.url, maxSockets);
  const client = new Uid2Client(http, credentials);
  return {
    operator,
    credentials,
    http,
    client,
    async close() {
      http.close();
      await operator.stop();
    },
  };
}

/** `GET /ops/healthcheck`: status and body text, or the transport error's name. */
export async function healthOf(http: HttpClient): Promise<{ status: number; text: string }> {
  try {
    const response = await http.send({
      method: 'GET',
      path: '/ops/healthcheck',
      framing: 'none',
      timeoutMs: 5000,
    });
    return { status: response.status, text: response.body.toString('utf8') };
  } catch (error) {
    return { status: 0, text: (error as Error).message };
  }
}

/** True when the route answers something other than the 404 page (i.e. it is implemented). */
export async function routeExists(http: HttpClient, path: string): Promise<boolean> {
  const response = await http.send({ method: 'POST', path, body: '' });
  return response.status !== 404;
}
