/**
 * What a Python project's files say about its code and its pytest settings: the package to
 * measure (src layout or flat), the `addopts` of its pytest config (not tox's `commands`, which
 * pytest never reads), and whether a src-layout package can be imported by the tests.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, readText } from './ecosystem.ts';

/** Top-level folders that are not the project's code. */
const NOT_CODE = new Set([
  'tests',
  'test',
  'testing',
  'docs',
  'doc',
  'examples',
  'example',
  'scripts',
  'benchmarks',
  'build',
  'dist',
  'site',
]);
/** Top-level modules that are not the project's code. */
const NOT_CODE_MODULE = /^(setup|conftest|noxfile|tasks|manage|fabfile|docs?)\.py$|^test_.*\.py$|_test\.py$/;

/** The files that name a package or tool: `pytest-cov` in requirements.txt, `"coverage[toml]"` in pyproject.toml. */
export const listed = (files: Map<string, string>, re: RegExp): string =>
  [...files]
    .filter(([, t]) => re.test(t))
    .map(([n]) => n)
    .join(', ');

export interface PythonCode {
  /** What --cov names: importable package or module names. */
  names: string[];
  /** The packages are under src/. */
  src: boolean;
}

async function packagesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name.includes('-') || NOT_CODE.has(e.name) || /venv|egg-info/.test(e.name))
      continue;
    if (await exists(join(dir, e.name), '__init__.py')) found.push(e.name);
  }
  return found.sort();
}

/** The project's own code: src/<pkg>, else top-level packages, else a few top-level modules. */
export async function pythonCode(dir: string): Promise<PythonCode | undefined> {
  const src = await packagesIn(join(dir, 'src'));
  if (src.length) return { names: src, src: true };
  const flat = await packagesIn(dir);
  if (flat.length) return { names: flat, src: false };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const modules = entries
    .filter((e) => e.isFile() && e.name.endsWith('.py') && !NOT_CODE_MODULE.test(e.name))
    .map((e) => e.name.slice(0, -3));
  return modules.length > 0 && modules.length <= 5 ? { names: modules.sort(), src: false } : undefined;
}

/** The pytest config sections `addopts` may stand in, in the order pytest looks for them: pytest.ini `[pytest]`, pyproject `[tool.pytest.ini_options]`, tox.ini `[pytest]`, setup.cfg `[tool:pytest]`. */
const PYTEST_SECTIONS: [file: string, section: string][] = [
  ['pytest.ini', '[pytest]'],
  ['pyproject.toml', '[tool.pytest.ini_options]'],
  ['tox.ini', '[pytest]'],
  ['setup.cfg', '[tool:pytest]'],
];

/** The text of each pytest config section of the project's files, by file name. */
export function pytestSections(files: Map<string, string>): string {
  const out: string[] = [];
  for (const [name, section] of PYTEST_SECTIONS) {
    const lines = (files.get(name) ?? '').split('\n');
    let inside = false;
    for (const line of lines) {
      if (/^\[/.test(line)) inside = line.startsWith(section);
      else if (inside) out.push(line);
    }
  }
  return out.join('\n');
}

/**
 * Where pytest reads its settings: the first file of its order that has its section (pytest.ini
 * even without one); else pyproject.toml, where the section can be added (`missing`).
 */
export interface PytestConfig {
  file: string;
  section: string;
  missing?: true;
}

export async function pytestConfig(dir: string): Promise<PytestConfig | undefined> {
  for (const [file, section] of PYTEST_SECTIONS) {
    const text = await readText(dir, file);
    if (text !== undefined && (file === 'pytest.ini' || text.split('\n').some((l) => l.startsWith(section)))) return { file, section };
  }
  return (await exists(dir, 'pyproject.toml'))
    ? { file: 'pyproject.toml', section: '[tool.pytest.ini_options]', missing: true }
    : undefined;
}

/** How to put src/ on pytest's path, word for word, in the file pytest reads its settings from. */
function pythonpathFix(config: PytestConfig | undefined): string {
  if (!config) return 'create pytest.ini with the two lines `[pytest]` and `pythonpath = src` (pytest 7 or later)';
  const line = config.file === 'pyproject.toml' ? 'pythonpath = ["src"]' : 'pythonpath = src';
  return config.missing
    ? `add the two lines \`${config.section}\` and \`${line}\` at the end of ${config.file} (pytest 7 or later)`
    : `add the line \`${line}\` under ${config.section} in ${config.file} (pytest 7 or later)`;
}

/**
 * The two ways to let the tests import a src-layout package, the one that works everywhere first:
 * the pythonpath setting, or an editable install, which a system python (Debian's, Homebrew's)
 * refuses outside a virtual environment (PEP 668).
 */
export function srcImportFixes(python: string, config: PytestConfig | undefined): string {
  const venv = /[\\/]/.test(python);
  return `${pythonpathFix(config)}; or install it: \`${python} -m pip install -e .\`${venv ? '' : " (in a virtual environment: system pythons such as Debian's refuse pip installs)"}`;
}

/** The pytest settings' addopts (with ini continuation lines, or a TOML string or array). */
export function addopts(files: Map<string, string>): string {
  const lines = pytestSections(files).split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^addopts\s*=\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    out.push(m[1]!);
    // ini continuation lines are indented; a TOML array runs to its closing bracket.
    const array = m[1]!.trim().startsWith('[') && !m[1]!.includes(']');
    while (i + 1 < lines.length && (array ? !out.at(-1)!.includes(']') : /^\s+\S/.test(lines[i + 1]!))) out.push(lines[++i]!);
  }
  return out.join(' ');
}

/**
 * Whether the tests can import a src-layout package: pytest's `pythonpath` names src, a
 * conftest.py changes sys.path, or the virtual environment has it installed (a copy, an
 * editable install's .pth or egg-link). Without a virtual environment there is no way to tell
 * by reading files, so it counts as importable.
 */
export async function srcImportable(dir: string, files: Map<string, string>, venv: string | undefined, names: string[]): Promise<boolean> {
  if (/^pythonpath\s*=.*\bsrc\b/m.test(pytestSections(files))) return true;
  if (/sys\.path/.test((await readText(dir, 'conftest.py')) ?? '')) return true;
  if (!venv) return true;
  for (const lib of ['lib', 'Lib']) {
    const versions = await readdir(join(dir, venv, lib)).catch(() => [] as string[]);
    for (const version of lib === 'Lib' ? ['.'] : versions) {
      const site = join(dir, venv, lib, version, 'site-packages');
      const entries = await readdir(site).catch(() => [] as string[]);
      if (names.some((n) => entries.includes(n))) return true;
      for (const e of entries.filter((x) => x.endsWith('.pth') || x.endsWith('.egg-link'))) {
        const text = (await readText(site, e)) ?? '';
        if (/[\\/]src\b/.test(text) || names.some((n) => text.includes(n))) return true;
      }
    }
  }
  return false;
}
