import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { IdentityMapV3Input, IdentityMapV3Item, Uid2Client } from '@uid2-operator/client';
import type { Command } from 'commander';
import { type CliIo, type TextOutput, writeText } from '../lib/cli-io.js';
import { clientFromFlags } from '../lib/client-config.js';
import { csvLine, readCsv } from '../lib/csv.js';
import {
  type IdentifierKind,
  type IdentifierLayout,
  detectLayout,
  identifierOf,
  parseKind,
} from '../lib/identifiers.js';
import { type InputFile, openInput } from '../lib/input-file.js';
import { startProgress } from '../lib/progress.js';
import { type OperatorFlags, positiveInt, withOperator } from './options.js';

interface MapFlags extends OperatorFlags {
  readonly output?: string;
  readonly type?: string;
}

/** One input row on its way through a batch. */
interface Entry {
  readonly value: string;
  readonly kind: IdentifierKind | undefined;
  /** Why the row never reached the operator. */
  readonly problem?: string;
  /** Index in the batch's array of its kind. */
  readonly slot: number;
}

const INPUT_KEY: Record<IdentifierKind, keyof IdentityMapV3Input> = {
  email: 'email',
  phone: 'phone',
  email_hash: 'emailHash',
  phone_hash: 'phoneHash',
};

/** CSV header of `uid2 map` output. */
export const MAP_OUTPUT_HEADER = [
  'identifier',
  'type',
  'raw_uid',
  'previous_raw_uid',
  'refresh_from',
  'reason',
] as const;

/** `uid2 map FILE`: streams a CSV of identifiers through `/v3/identity/map` (spec/api.md §7.2). */
export function registerMapCommand(program: Command, io: CliIo): void {
  withOperator(program.command('map'))
    .description('map a CSV of emails/phones/hashes to raw UID2s (POST /v3/identity/map)')
    .argument('<file>', 'input CSV ("-" for stdin): identifier per row, optionally with a type column')
    .option('-o, --output <file>', 'write the result CSV here (default: stdout)')
    .option('--type <kind>', 'kind of every identifier: email, phone, email_hash or phone_hash')
    .option('--batch-size <n>', 'identifiers per request (max 5000)', '5000')
    .option('--parallel <n>', 'requests in flight', '4')
    .action(async (file: string, flags: MapFlags & { batchSize?: string; parallel?: string }) => {
      const settings = {
        batchSize: positiveInt(flags.batchSize, '--batch-size', 5_000, 5_000),
        parallel: positiveInt(flags.parallel, '--parallel', 4, 64),
        fixedKind: parseKind(flags.type),
      };
      const input = await openInput(io, file);
      const client = await clientFromFlags(io, flags);
      await mapFile(io, client, input, { ...flags, ...settings });
    });
}

interface MapSettings extends MapFlags {
  readonly batchSize: number;
  readonly parallel: number;
  readonly fixedKind: IdentifierKind | undefined;
}

async function mapFile(io: CliIo, client: Uid2Client, input: InputFile, flags: MapSettings): Promise<void> {
  const { batchSize, parallel, fixedKind } = flags;
  const out: TextOutput =
    flags.output === undefined ? io.stdout : createWriteStream(resolve(io.cwd, flags.output));
  const progress = startProgress(io, input.size, 'mapping');
  const started = io.now();
  const counts = { identifiers: 0, mapped: 0, unmapped: 0 };
  const inFlight: Promise<string>[] = [];
  let layout: IdentifierLayout | undefined;
  let batch: Entry[] = [];
  let sendable = 0;
  let arrays = emptyInput();
  let failure: { readonly error: unknown } | undefined;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const pending = runBatch(client, batch, arrays, counts);
    // Attach a handler now: a later batch may fail while an earlier one is being awaited.
    pending.catch((error: unknown) => {
      failure ??= { error };
    });
    inFlight.push(pending);
    if (failure !== undefined) throw failure.error;
    batch = [];
    arrays = emptyInput();
    sendable = 0;
    if (inFlight.length >= parallel) await writeText(out, await (inFlight.shift() as Promise<string>));
  };

  try {
    await writeText(out, csvLine(MAP_OUTPUT_HEADER));
    for await (const row of readCsv(input.chunks())) {
      if (layout === undefined) {
        layout = detectLayout(row.cells, fixedKind);
        if (layout.header) continue;
      }
      const identifier = identifierOf(row.cells, layout);
      counts.identifiers++;
      if (identifier.kind === undefined) {
        batch.push({ value: identifier.value, kind: undefined, problem: identifier.problem, slot: -1 });
      } else {
        const list = arrays[INPUT_KEY[identifier.kind]];
        batch.push({ value: identifier.value, kind: identifier.kind, slot: list.length });
        list.push(identifier.value);
        if (++sendable === batchSize) await flush();
      }
      if ((counts.identifiers & 1023) === 0) progress.update(row.endOffset, { rows: counts.identifiers });
    }
    await flush();
    while (inFlight.length > 0) await writeText(out, await (inFlight.shift() as Promise<string>));
  } finally {
    progress.stop();
    await Promise.allSettled(inFlight);
    if (out !== io.stdout) await new Promise<void>((done) => out.end(() => done()));
  }
  await printSummary(io, flags, counts, (io.now() - started) / 1000);
}

/** The four identifier arrays of one batch. */
type MapArrays = { [K in keyof IdentityMapV3Input]-?: string[] };

function emptyInput(): MapArrays {
  return { email: [], emailHash: [], phone: [], phoneHash: [] };
}

async function runBatch(
  client: Uid2Client,
  entries: readonly Entry[],
  input: MapArrays,
  counts: { mapped: number; unmapped: number },
): Promise<string> {
  const total = input.email.length + input.emailHash.length + input.phone.length + input.phoneHash.length;
  // Binary envelopes (application/octet-stream), as the SDKs send v3 maps: no base64 either way.
  const result =
    total === 0
      ? undefined
      : await client.identityMapV3(input, { batchSize: 5_000, concurrency: 1, binary: true });
  let text = '';
  for (const entry of entries) {
    if (entry.kind === undefined || result === undefined) {
      counts.unmapped++;
      text += csvLine([entry.value, entry.kind ?? '', '', '', '', entry.problem ?? 'invalid identifier']);
      continue;
    }
    const item = result[INPUT_KEY[entry.kind]][entry.slot] as IdentityMapV3Item;
    if (item.mapped) {
      counts.mapped++;
      text += csvLine([
        entry.value,
        entry.kind,
        item.rawUid,
        item.previousRawUid,
        item.refreshFromSeconds,
        '',
      ]);
    } else {
      counts.unmapped++;
      text += csvLine([entry.value, entry.kind, '', '', '', item.reason]);
    }
  }
  return text;
}

async function printSummary(
  io: CliIo,
  flags: MapFlags,
  counts: { identifiers: number; mapped: number; unmapped: number },
  seconds: number,
): Promise<void> {
  const rate = seconds > 0 ? Math.round(counts.identifiers / seconds) : counts.identifiers;
  const target = flags.output === undefined ? io.stderr : io.stdout;
  const text =
    flags.json === true
      ? `${JSON.stringify({ ...counts, seconds: Number(seconds.toFixed(3)), idsPerSecond: rate })}\n`
      : `mapped ${counts.identifiers} identifiers in ${seconds.toFixed(2)} s (${rate} ids/s): ` +
        `${counts.mapped} mapped, ${counts.unmapped} unmapped\n`;
  await writeText(target, text);
}
