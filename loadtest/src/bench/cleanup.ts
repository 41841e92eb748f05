// Everything the bench creates registers how to undo it here; the steps run
// in reverse order on success, failure, a signal or the global timeout.

export type Progress = (message: string) => void;

export const progress: Progress = (message) => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

interface Step {
  name: string;
  run: () => Promise<unknown>;
}

export class Cleanup {
  readonly #steps: Step[] = [];
  /** Synchronous last resorts (SIGKILL of children) for when the process exits abruptly. */
  readonly #onExit = new Set<() => void>();
  #running: Promise<void> | null = null;

  constructor() {
    process.on('exit', () => {
      for (const hook of this.#onExit) hook();
    });
  }

  /** Registers an undo step; the returned function runs it early (and only once). */
  defer(name: string, run: () => Promise<unknown>): () => Promise<void> {
    let done = false;
    const step: Step = {
      name,
      run: async () => {
        if (done) return;
        done = true;
        await run();
      },
    };
    this.#steps.push(step);
    return async () => {
      const index = this.#steps.indexOf(step);
      if (index >= 0) this.#steps.splice(index, 1);
      await step.run();
    };
  }

  onExit(hook: () => void): () => void {
    this.#onExit.add(hook);
    return () => this.#onExit.delete(hook);
  }

  /** Runs every step, newest first, each bounded in time; failures are reported, not thrown. */
  runAll(stepTimeoutMs = 20_000): Promise<void> {
    this.#running ??= (async () => {
      while (this.#steps.length > 0) {
        const step = this.#steps.pop() as Step;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            step.run(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out')), stepTimeoutMs);
            }),
          ]);
        } catch (error) {
          progress(
            `cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.#running;
  }
}
