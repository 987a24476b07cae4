/**
 * `node:fs` for the browser build (aliased in web/vite.config.ts): the only use in the worker's
 * module graph is reading a model's safetensors sidecar, which the page hands over when the
 * user drops it together with the JSON file. Files live in memory under their bare names.
 */
const files = new Map<string, Uint8Array>();

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Makes a dropped file readable by `readFileSync(<any dir>/<name>)`. */
export function registerFile(name: string, bytes: Uint8Array): void {
  files.set(baseName(name), bytes);
}

/** Forgets the dropped files (a new model was loaded). */
export function clearFiles(): void {
  files.clear();
}

export function readFileSync(path: string): Uint8Array {
  const bytes = files.get(baseName(String(path)));
  if (!bytes) {
    throw new Error(
      `it was not dropped: drop the model's .json file together with its sidecar ${baseName(String(path))}`,
    );
  }
  return bytes;
}

export default { readFileSync };
