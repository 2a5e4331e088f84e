import { parse } from 'tldts';

/**
 * The registrable domain of an `Origin` header for the CSTG origin check (spec/api.md §6.4 step 5b):
 * the URL's host reduced to its "top private domain" under the Public Suffix List, including the
 * list's private suffixes (`user.github.io` stays whole), lowercased. `localhost` and hosts exactly
 * one label below it (`x.localhost`) count as `localhost`.
 *
 * @returns the domain, or `undefined` when the header is missing or unparsable, the host is an IP
 *   address, or the host is not under a public suffix
 */
export function registrableDomainOfOrigin(origin: string | undefined): string | undefined {
  if (origin === undefined || origin === '') return undefined;
  let host: string;
  try {
    const url = new URL(origin);
    if (!/^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) || url.hostname === '') return undefined;
    host = url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (host === 'localhost') return 'localhost';
  const labels = host.split('.');
  if (labels.length === 2 && labels[1] === 'localhost' && labels[0] !== '') return 'localhost';
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp === true || parsed.domain === null) return undefined;
  // A host under no known suffix (tldts falls back to the implicit "*" rule) is not a web origin.
  if (parsed.isIcann !== true && parsed.isPrivate !== true) return undefined;
  if (parsed.publicSuffix === null || parsed.publicSuffix === host) return undefined;
  return parsed.domain;
}
