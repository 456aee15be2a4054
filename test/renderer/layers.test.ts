import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's layer rule, for the files ESLint cannot parse (.svelte): it imports only from
 * itself, svelte, and electron/contract — and from contract/api.ts only types (its zod schemas are the
 * engine's checks and would weigh down the bundle).
 */
const RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(svelte|ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /^\s*import\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

describe('renderer layers', () => {
  it('imports only from itself, svelte and electron/contract (types only from api.ts)', () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of files(join(RENDERER, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        count += 1;
        const [, typeOnly, spec] = m as unknown as [string, string | undefined, string];
        const where = `${relative(RENDERER, file)}: ${spec}`;
        if (spec === 'svelte' || spec.startsWith('svelte/')) continue;
        if (/(^|\/)electron\/contract\/api(\.ts)?$/.test(spec)) {
          if (!typeOnly) problems.push(`${where} (import only types from api.ts)`);
          continue;
        }
        if (/(^|\/)electron\/contract\//.test(spec)) continue;
        if (spec.startsWith('.') && !spec.includes('electron/')) continue;
        problems.push(where);
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
