import fc from 'fast-check';
import type { FuzzCase } from './case-types.js';
import { cstgCase } from './cstg-cases.js';
import { envelopeFamily, headersFamily, jsonFamily } from './envelope-cases.js';
import type { FuzzInputs } from './payloads.js';
import { oversizeCase, routeCase } from './route-cases.js';
import { refreshCase, tokenCase } from './token-cases.js';

/** Every bad-input family of issue 7, weighted towards validly encrypted but mutated JSON bodies. */
export function fuzzCase(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 150, arbitrary: envelopeFamily(inputs) },
    { weight: 330, arbitrary: jsonFamily(inputs) },
    { weight: 100, arbitrary: headersFamily(inputs) },
    { weight: 110, arbitrary: refreshCase(inputs) },
    { weight: 80, arbitrary: tokenCase(inputs) },
    { weight: 150, arbitrary: cstgCase(inputs) },
    { weight: 60, arbitrary: routeCase() },
    { weight: 2, arbitrary: oversizeCase() },
  );
}

/**
 * Lazily draws `count` cases in batches of 500 with seeds `seed`, `seed + 1`, …, so a run is
 * reproducible and memory stays flat.
 */
export function* drawCases(inputs: FuzzInputs, count: number, seed: number): Generator<FuzzCase> {
  const arbitrary = fuzzCase(inputs);
  for (let drawn = 0, batch = 0; drawn < count; batch++) {
    const size = Math.min(500, count - drawn);
    for (const item of fc.sample(arbitrary, { seed: seed + batch, numRuns: size })) yield item;
    drawn += size;
  }
}
