// Progress lines of the surge command go to stderr; stdout ends with the one JSON line.

export function progress(message: string): void {
  process.stderr.write(`[surge ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
