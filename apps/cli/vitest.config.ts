import { projectConfig } from '../../vitest.shared.js';

// CLI tests start real databases (embedded PGlite, PostgreSQL) and a real operator process; on a
// shared two-core machine one command can take several seconds, hence the longer timeout.
export default projectConfig({ timeoutMs: 90_000 });
