import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { prepareDatabase, startOperator, StartupError } from './server.js';

/**
 * Process entry point: parse the configuration, then either serve in this process
 * (`OPERATOR_WORKERS=1`) or prepare the database once and fork N workers sharing one port.
 * Any startup problem ends the process with one clear line naming the setting at fault.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.operatorWorkers > 1 && cluster.isPrimary) {
    if (config.databaseUrl === undefined) {
      throw new StartupError(
        'OPERATOR_WORKERS > 1 needs DATABASE_URL: the embedded database serves one process only.',
      );
    }
    await prepareDatabase(config, logger);
    for (let i = 0; i < config.operatorWorkers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (signal !== 'SIGTERM' && code !== 0) {
        logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting a new one');
        cluster.fork();
      }
    });
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const running = await startOperator(config, logger, { prepare: cluster.isPrimary });
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ errName: (error as Error).name }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError || isCodedError(error)) {
    process.stderr.write(`uid2-operator: ${(error as Error).message}\n`);
  } else {
    // One line by default; the stack only on request (it can name internals, never data).
    const err = error instanceof Error ? error : new Error(String(error));
    const firstLine = err.message.split('\n', 1)[0] ?? '';
    process.stderr.write(`uid2-operator: unexpected startup failure: ${err.name}: ${firstLine}\n`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')
      process.stderr.write(`${err.stack ?? ''}\n`);
  }
  process.exit(1);
});

function isCodedError(error: unknown): boolean {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    error.name.endsWith('Error')
  );
}
