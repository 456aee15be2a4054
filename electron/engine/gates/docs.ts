import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { DocsGateConfig } from '../../store/kb/schema.ts';

export interface DocFinding {
  file: string;
  /** Missing, or the unfinished markers found, each with its line. */
  missing?: boolean;
  /** Named with a path that leaves the project: never read. */
  outside?: boolean;
  markers: { marker: string; line: number; text: string }[];
}

export interface DocsCheck {
  files: DocFinding[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Documentation is complete when every listed document exists and holds no unfinished marker
 * (TODO, TBD, FIXME, lorem ipsum by default), matched as whole words without regard to case.
 * Documents outside the project folder are refused: the gate checks the project, nothing else.
 */
export async function checkDocs(projectDir: string, config: DocsGateConfig, extraFiles: string[]): Promise<DocsCheck> {
  const files = [...new Set([...config.files, ...extraFiles])];
  const patterns = config.markers.map((m) => ({ marker: m, re: new RegExp(`(?<![A-Za-z0-9_])${escape(m)}(?![A-Za-z0-9_])`, 'i') }));
  const out: DocFinding[] = [];
  for (const file of files) {
    const path = isAbsolute(file) ? file : join(projectDir, file);
    if (relative(projectDir, path).startsWith('..')) {
      out.push({ file, missing: true, outside: true, markers: [] });
      continue;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      out.push({ file, missing: true, markers: [] });
      continue;
    }
    const markers: DocFinding['markers'] = [];
    text.split('\n').forEach((line, i) => {
      for (const p of patterns) if (p.re.test(line)) markers.push({ marker: p.marker, line: i + 1, text: line.trim().slice(0, 120) });
    });
    out.push({ file, markers });
  }
  return { files: out };
}
