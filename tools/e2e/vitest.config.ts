import { projectConfig } from '../../vitest.shared.js';

export default projectConfig({ timeoutMs: 120_000 });
