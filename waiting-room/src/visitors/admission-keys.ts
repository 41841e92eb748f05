import { stat } from 'node:fs/promises';
import { loadSigningKeys, type SigningKeySet } from '../tokens/index.ts';

/**
 * The admission signing keys, reloaded when the key file changes, so a key
 * rotation (`keys.ts rotate`) reaches every running instance without a restart.
 */
export class AdmissionKeyStore {
  #current: SigningKeySet;
  #mtimeMs: number;
  readonly #file: string;
  readonly #timer: NodeJS.Timeout;

  private constructor(file: string, keys: SigningKeySet, mtimeMs: number, reloadMs: number) {
    this.#file = file;
    this.#current = keys;
    this.#mtimeMs = mtimeMs;
    this.#timer = setInterval(() => void this.reload().catch(() => undefined), reloadMs);
    this.#timer.unref();
  }

  static async open(file: string, reloadMs = 10_000): Promise<AdmissionKeyStore> {
    const { mtimeMs } = await stat(file);
    return new AdmissionKeyStore(file, await loadSigningKeys(file), mtimeMs, reloadMs);
  }

  current(): SigningKeySet {
    return this.#current;
  }

  /** Reloads when the file changed; a broken file keeps the keys in use. */
  async reload(): Promise<boolean> {
    const { mtimeMs } = await stat(this.#file);
    if (mtimeMs === this.#mtimeMs) return false;
    this.#current = await loadSigningKeys(this.#file);
    this.#mtimeMs = mtimeMs;
    return true;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
