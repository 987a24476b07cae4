/** `node:path` for the browser build (aliased in web/vite.config.ts): `join` of names only. */
export function join(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/+/g, '/');
}

export default { join };
