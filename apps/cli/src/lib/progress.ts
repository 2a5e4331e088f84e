import cliProgress from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** A progress indicator: a bar on an interactive stderr, nothing otherwise. */
export interface Progress {
  update(value: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * Starts a progress bar on stderr when it is a TTY (so pipes and CI logs stay clean).
 * @param total units of work (e.g. bytes of the input file)
 * @param label shown before the bar
 */
export function startProgress(io: CliIo, total: number, label: string): Progress {
  if (io.stderr.isTTY !== true || total <= 0) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as unknown as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0 });
  return {
    update: (value, payload) => bar.update(value, payload),
    stop: () => bar.stop(),
  };
}
