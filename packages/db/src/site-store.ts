import type { Site as SiteRow } from './generated/prisma/client.js';
import { withPrismaErrors } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';
import { requireInteger, requireText, secondsOf, textList } from './internal/validate.js';

/** A publisher or participant site as the operator needs it (spec/internals.md §5.2, §4.5 `site_data`). */
export interface SiteRecord {
  /** Site id, > 2 (−1, −2 and 2 are reserved, spec/internals.md §4.2). */
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  /** Registrable domains allowed to call client-side token generation, lower-case. */
  readonly domainNames: readonly string[];
  /** Mobile app ids allowed to call client-side token generation (compared case-insensitively). */
  readonly appNames: readonly string[];
  /** Creation time, epoch seconds. */
  readonly createdSeconds: number;
}

/** Arguments of {@link SiteStore.create}. */
export interface CreateSiteInput {
  /** The site id, chosen by the administrator; an integer > 2. */
  readonly id: number;
  readonly name: string;
  readonly domainNames?: readonly string[];
  readonly appNames?: readonly string[];
  /** Default true. */
  readonly enabled?: boolean;
  /** Current time, epoch ms (stored as seconds). */
  readonly nowMs: number;
}

/** Fields {@link SiteStore.update} can change; omitted fields stay as they are. */
export interface UpdateSiteInput {
  readonly name?: string;
  readonly domainNames?: readonly string[];
  readonly appNames?: readonly string[];
  readonly enabled?: boolean;
}

/** Sites: admin operations. Every write is logged to the change feed (entity `site`). */
export interface SiteStore {
  /**
   * Creates a site.
   * @throws DbError `ERR_DB_INVALID_INPUT` (bad id/name/lists), `ERR_DB_CONFLICT` (id taken).
   */
  create(input: CreateSiteInput): Promise<SiteRecord>;
  /** Every site, by id. */
  list(): Promise<SiteRecord[]>;
  /** One site, or `undefined`. */
  get(id: number): Promise<SiteRecord | undefined>;
  /** @throws DbError `ERR_DB_NOT_FOUND`, `ERR_DB_INVALID_INPUT`. */
  update(id: number, changes: UpdateSiteInput): Promise<SiteRecord>;
  /** Shorthand for `update(id, { enabled: false })`. @throws DbError `ERR_DB_NOT_FOUND`. */
  disable(id: number): Promise<SiteRecord>;
  /** Shorthand for `update(id, { enabled: true })`. @throws DbError `ERR_DB_NOT_FOUND`. */
  enable(id: number): Promise<SiteRecord>;
}

const lowerCase = (value: string): string => value.toLowerCase();

/** Converts a `sites` row to its domain shape. */
function toSiteRecord(row: SiteRow): SiteRecord {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    domainNames: row.domainNames,
    appNames: row.appNames,
    createdSeconds: Number(row.created),
  };
}

/** Builds the {@link SiteStore} of a Database. */
export function createSiteStore(ctx: StoreContext): SiteStore {
  const update = async (id: number, changes: UpdateSiteInput): Promise<SiteRecord> => {
    ctx.assertOpen();
    const siteId = requireInteger('site id', id);
    const data = {
      ...(changes.name === undefined ? {} : { name: requireText('site name', changes.name) }),
      ...(changes.domainNames === undefined
        ? {}
        : { domainNames: textList('domain names', changes.domainNames, lowerCase) }),
      ...(changes.appNames === undefined ? {} : { appNames: textList('app names', changes.appNames) }),
      ...(changes.enabled === undefined ? {} : { enabled: changes.enabled === true }),
    };
    const row = await withPrismaErrors(`site ${siteId}`, () =>
      ctx.prisma.site.update({ where: { id: siteId }, data }),
    );
    return toSiteRecord(row);
  };
  return {
    async create(input) {
      ctx.assertOpen();
      const id = requireInteger('site id', input.id, 3, 0x7fff_ffff);
      const data = {
        id,
        name: requireText('site name', input.name),
        domainNames: textList('domain names', input.domainNames, lowerCase),
        appNames: textList('app names', input.appNames),
        enabled: input.enabled ?? true,
        created: BigInt(secondsOf('nowMs', input.nowMs)),
      };
      const row = await withPrismaErrors(`site ${id}`, () => ctx.prisma.site.create({ data }));
      return toSiteRecord(row);
    },
    async list() {
      ctx.assertOpen();
      return (await ctx.prisma.site.findMany({ orderBy: { id: 'asc' } })).map(toSiteRecord);
    },
    async get(id) {
      ctx.assertOpen();
      const row = await ctx.prisma.site.findUnique({ where: { id: requireInteger('site id', id) } });
      return row === null ? undefined : toSiteRecord(row);
    },
    update,
    disable: (id) => update(id, { enabled: false }),
    enable: (id) => update(id, { enabled: true }),
  };
}
