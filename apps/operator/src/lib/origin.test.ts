import { describe, expect, it } from 'vitest';
import { registrableDomainOfOrigin } from './origin.js';

describe('registrableDomainOfOrigin', () => {
  it.each([
    ['https://shop.cstg.co.uk:8443', 'cstg.co.uk'],
    ['https://www.example.com', 'example.com'],
    ['http://EXAMPLE.com', 'example.com'],
    ['https://user.github.io', 'user.github.io'],
    ['http://localhost:3000', 'localhost'],
    ['http://app.localhost', 'localhost'],
  ])('reduces %s to %s', (origin, domain) => {
    expect(registrableDomainOfOrigin(origin)).toBe(domain);
  });

  it.each([
    [undefined],
    [''],
    ['not a url'],
    ['http://127.0.0.1:8080'],
    ['http://[::1]'],
    ['http://a.b.localhost'],
    ['https://co.uk'],
    ['https://intranet'],
  ])('rejects %s', (origin) => {
    expect(registrableDomainOfOrigin(origin)).toBeUndefined();
  });
});
