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
  const bar = stderrBar(`${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`);
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

/** A byte progress bar (size, bytes/s, ETA) on a TTY; silent in pipes, under CI and with --json (`quiet`). */
export function bytesProgress(
  label: string,
  quiet: boolean | undefined,
): { update: (received: number, total: number) => void; stop: () => void } {
  if (quiet || !process.stderr.isTTY || process.env.CI) return SILENT;
  const bar = stderrBar(`${label} [{bar}] {percentage}% | {done} of {size} | {speed}/s | ETA {eta_formatted}`);
  const start = performance.now();
  let started = false;
  return {
    update(received, total) {
      const payload = {
        done: formatBytes(received),
        size: total > 0 ? formatBytes(total) : '?',
        speed: formatBytes(received / Math.max(1e-3, (performance.now() - start) / 1000)),
      };
      if (!started) {
        bar.start(total || 1, received, payload);
        started = true;
      } else bar.update(received, payload);
      if (total > 0) bar.setTotal(total);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** A bar on stderr with `format`, removed when stopped. */
function stderrBar(format: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
}

/** `2.69 MB`-style sizes. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
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
