import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used (offline, see /docs and TOOLCHAIN.md §2): migrations are the
// committed SQL files under prisma/migrations, applied by this package's own runner.
// The URL is a placeholder: generate never connects.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: 'postgresql://unused@127.0.0.1:5432/unused' },
});
