/** The real executable: exit codes and stderr as a shell sees them (run `npm run build` first). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const built = existsSync(bin);
if (!built) console.warn(`SKIPPED built CLI tests: ${bin} is missing (run npm run build)`);

const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe.skipIf(!built)('node dist/cli/main.js', () => {
  it('exits 0 with the version, 2 on an unknown option, 1 on a bad file, with no stack trace', () => {
    expect(run('--version')).toMatchObject({ status: 0, stderr: '' });
    const unknown = run('simulate', 'builtin:toy2d', '--out', 'x.json', '--no-such-option');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("rnnscope: error: unknown option '--no-such-option'");
    const dir = mkdtempSync(join(tmpdir(), 'rnnscope-bin-'));
    try {
      const bad = run('info', join(dir, 'missing.json'));
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(
        /^rnnscope: error: cannot read model file .*missing\.json: no such file or directory\n$/,
      );
      expect(bad.stderr).not.toMatch(/\n\s+at /);
      const made = run('init-random', join(dir, 'm.json'), '--units', '5', '--outputs', '1');
      expect(made.status).toBe(0);
      const sim = run(
        'simulate',
        join(dir, 'm.json'),
        '--steps',
        '3',
        '--out',
        join(dir, 't.json'),
        '--json',
      );
      expect(sim.status).toBe(0);
      expect(JSON.parse(sim.stdout).states).toEqual([3, 5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
