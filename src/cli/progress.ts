/**
 * Progress for long work: a bar with items/s and ETA on a TTY; silent in pipes and with --json,
 * so machine-readable output is never interleaved with it.
 */
import cliProgress from 'cli-progress';

/** A progress sink: call `update` as work advances and `stop` when done. */
export interface Progress {
  /** Set the number done (and optionally a new total). */
  update(done: number, total?: number): void;
  /** Finish and remove the bar. */
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/**
 * A progress bar on stderr when it is a TTY and `quiet` is false, else a no-op.
 * `unit` names what is counted (e.g. `docs`); `total` may be unknown (0) and set later.
 */
export function createProgress(label: string, options: { total?: number; unit?: string; quiet?: boolean } = {}): Progress {
  if (options.quiet || !process.stderr.isTTY || process.env.CI) return SILENT;
  const unit = options.unit ?? 'items';
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = performance.now();
  bar.start(options.total ?? 0, 0, { rate: '0' });
  return {
    update(done, total) {
      if (total !== undefined) bar.setTotal(total);
      const secs = (performance.now() - start) / 1000;
      bar.update(done, { rate: secs > 0 ? Math.round(done / secs).toLocaleString('en-US') : '0' });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * Progress for the two phases of an evaluation: adding documents, then searching queries. Returns
 * the `onProgress(phase, done, total)` callback the engine takes and a `stop()` for the end.
 */
export function phasedProgress(quiet: boolean | undefined): {
  onProgress: (phase: string, done: number, total: number) => void;
  stop(): void;
} {
  const adding = createProgress('adding', { unit: 'docs', quiet });
  let searching: Progress | undefined;
  return {
    onProgress(phase, done, total) {
      if (phase === 'add') return adding.update(done, total);
      if (!searching) {
        adding.stop();
        searching = createProgress('searching', { unit: 'queries', quiet });
      }
      searching.update(done, total);
    },
    stop() {
      adding.stop();
      searching?.stop();
    },
  };
}
