import type { FastifyInstance, onRequestHookHandler } from 'fastify';

/**
 * Makes each UID2 route's {@link Uid2RouteConfig} available as `request.uid2Route` for the
 * global hooks (auth, envelope, metrics). `request.routeOptions` builds a fresh options object
 * (and a router constraint lookup) on every access, which showed in the token/generate profile;
 * this adds one route-level `onRequest` hook per UID2 route that stores the route's config, captured
 * once at registration. Routes without a `uid2` config (and 404s) leave `request.uid2Route`
 * undefined. Must be registered before any route.
 */
export function registerRouteContext(app: FastifyInstance): void {
  app.decorateRequest('uid2Route', undefined);
  app.addHook('onRoute', (route) => {
    const uid2 = route.config?.uid2;
    if (uid2 === undefined) return;
    const remember: onRequestHookHandler = (request, _reply, done) => {
      request.uid2Route = uid2;
      done();
    };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [remember] : [remember, ...[existing].flat()];
  });
}
