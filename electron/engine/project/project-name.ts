/**
 * The name a project gives itself in its own manifest, for `init` to put in the KB: what its
 * package manager would call it, not whatever its folder happens to be called (a clone in `tmp2`,
 * a worktree in `wt-3`). The first manifest that names the project wins, in this order.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A TOML table's `name = "…"` (or `'…'`), read line by line: enough for the key every manifest puts first. */
export function tomlName(text: string, table: string): string | undefined {
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      inside = header[1]!.trim() === table;
      continue;
    }
    if (!inside) continue;
    const name = /^name\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (name) return (name[1] ?? name[2])!.trim() || undefined;
  }
  return undefined;
}

/** `module example.com/acme/wordkit/v2` → `wordkit` (the last element, without a major-version suffix). */
export function goModuleName(text: string): string | undefined {
  const module = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text)?.[2];
  if (!module) return undefined;
  const parts = module.split('/').filter(Boolean);
  const last = parts.at(-1);
  return last && /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2) : last;
}

function packageJsonName(text: string): string | undefined {
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === 'string' && name.trim() ? name.trim() : undefined;
  } catch {
    return undefined; // A broken package.json is the detector's to report, not the name's.
  }
}

const MANIFESTS: [file: string, read: (text: string) => string | undefined][] = [
  ['package.json', packageJsonName],
  ['pyproject.toml', (text) => tomlName(text, 'project') ?? tomlName(text, 'tool.poetry')],
  ['Cargo.toml', (text) => tomlName(text, 'package')],
  ['go.mod', goModuleName],
];

/** The project's own name and where it came from; the folder's name when no manifest gives one. */
export async function projectName(dir: string): Promise<{ name: string; from?: string }> {
  for (const [file, read] of MANIFESTS) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    const name = text === undefined ? undefined : read(text);
    if (name) return { name, from: file };
  }
  return { name: basename(dir) };
}
