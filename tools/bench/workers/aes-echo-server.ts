/**
 * Child process: the bare Fastify AES echo server of PERFORMANCE.md §4 (the G2 floor). Each
 * `POST /echo` reads the base64 body (about 300 characters: a request envelope sealed with the
 * client secret), does one AES-256-GCM decrypt and one GCM encrypt of that plaintext (same size,
 * `randomBytes(12)` IV, as in the research's echo server), and answers base64 `text/plain`.
 * No auth, no JSON, no metrics: framing + crypto only.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { serveRpc } from '../lib/child-rpc.js';
import { leanGcmSeal, leanOpenEnvelope } from '../lib/lean-crypto.js';

async function listen(args: { port: number; secret: string }): Promise<{ port: number }> {
  const secret = Buffer.from(args.secret, 'base64');
  const app = Fastify({ logger: false, requestIdHeader: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/echo', async (request, reply) => {
    const plaintext = leanOpenEnvelope(secret, request.body as string);
    reply.type('text/plain');
    return leanGcmSeal(secret, randomBytes(12), plaintext).toString('base64');
  });
  await app.listen({ port: args.port, host: '127.0.0.1' });
  return { port: args.port };
}

serveRpc({ listen });
