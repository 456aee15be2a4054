/**
 * What a project's files say that a hint needs to be followed word for word: the packages a
 * Python project's `--cov` names and where its pytest settings are, and the coverage tool (nyc or
 * c8) a Node project already has. A few small file reads, done while the tests run.
 */
import { readText } from './detect/ecosystem.ts';
import { projectCoverageTool } from './detect/node.ts';
import { pythonCode, pytestConfig, type PytestConfig } from './detect/python-layout.ts';

export interface HintFacts {
  /** The Python project's own packages or modules (src layout included). */
  pythonPackages?: string[];
  /** Those packages are under src/. */
  pythonSrc?: boolean;
  /** Where pytest reads its settings, for a fix that puts src/ on its path. */
  pytestConfig?: PytestConfig;
  /** The coverage wrapper in package.json, for a runner that measures no coverage itself (mocha). */
  nodeCoverage?: 'nyc' | 'c8';
  /** vitest's coverage provider in package.json, where it is not v8 (vitest's default). */
  vitestProvider?: 'istanbul';
}

export async function hintFacts(projectDir: string): Promise<HintFacts> {
  const facts: HintFacts = {};
  const code = await pythonCode(projectDir).catch(() => undefined);
  if (code) {
    facts.pythonPackages = code.names;
    if (code.src) {
      facts.pythonSrc = true;
      const config = await pytestConfig(projectDir);
      if (config) facts.pytestConfig = config;
    }
  }
  try {
    const pkg = JSON.parse((await readText(projectDir, 'package.json')) ?? 'null') as {
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    } | null;
    if (pkg) {
      const deps = { ...pkg.dependencies, ...pkg.devDependencies };
      const tool = projectCoverageTool(pkg.scripts ?? {}, (name) => name in deps);
      if (tool) facts.nodeCoverage = tool;
      if ('@vitest/coverage-istanbul' in deps && !('@vitest/coverage-v8' in deps)) facts.vitestProvider = 'istanbul';
    }
  } catch {
    // A package.json that is not JSON has its own note at init; the hint names c8 then.
  }
  return facts;
}
