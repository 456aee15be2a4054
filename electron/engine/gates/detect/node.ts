/**
 * Node: the test runner that package.json's test script runs (see `node-scripts.ts`), asked for
 * JUnit and lcov from one run (see `node-runners.ts`); npm audit where package-lock.json is; the
 * build script.
 */
import { exists, readText, type Context, type Proposal, type SecurityInput, type TestsInput } from './ecosystem.ts';
import { nodeHasReporters, runnerPlan, type NodeEnv, type RunnerPlan } from './node-runners.ts';
import { strykerProposal } from './node-mutation.ts';
import { findRunner, RUNNERS, type ScriptRunner } from './node-scripts.ts';

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `npm init`'s placeholder test script: not a test suite. */
const NPM_PLACEHOLDER = /no test specified/;

/** The tests gate of a runner's plan, and the notes that say what it measures and what it leaves out. */
function testsFromPlan(plan: RunnerPlan, found: ScriptRunner, has: (name: string) => boolean): { tests: TestsInput; notes: string[] } {
  // `--no`: never download a runner the project lacks; `--`: without it npm reads `--no vitest` as its own config.
  const launcher = RUNNERS.has(plan.argv[0]!) ? ['npx', '--no', '--'] : [];
  const envPrefix = plan.env ? ['env', ...Object.entries(plan.env).map(([k, v]) => `${k}=${v}`)] : [];
  const tests: TestsInput = {
    command: [...envPrefix, ...launcher, ...plan.argv],
    ...(plan.junit ? { junit_report: plan.junit } : {}),
    ...(plan.testReport ? { test_report: plan.testReport } : {}),
    ...(plan.coverage ? { coverage_report: plan.coverage } : {}),
  };
  const notes: string[] = [];
  const reports = [plan.junit ? 'JUnit' : plan.testReport ? 'per-test results' : '', plan.coverage ? 'lcov' : '']
    .filter(Boolean)
    .join(' and ');
  notes.push(`tests: ${plan.label}${reports ? `: ${reports} from one run` : ''} (${found.source})`);
  if (found.leftOut.length)
    notes.push(
      `tests: Goldloop runs the runner directly so it can add its report flags; it leaves out the rest of the test script (${found.leftOut.join('; ')}): if the tests need it, put it in the build gate or in gates.tests.command yourself`,
    );
  notes.push(...plan.notes);
  if (!plan.coverage && !plan.notes.some((n) => n.startsWith('coverage:'))) {
    notes.push(
      // The coverage tool the project already has, else c8.
      has('nyc') && !has('c8')
        ? 'coverage: not measured by this test command; nyc is in package.json: wrap the runner in it (`nyc <test command>` in scripts.test) and run goldloop init --redetect'
        : `coverage: not measured by this test command; wrap it in c8 (\`c8 <test command>\` in scripts.test${has('c8') ? '' : ', c8 in devDependencies'}) and run goldloop init --redetect`,
    );
  }
  return { tests, notes };
}

/**
 * The coverage wrapper a Node project already has: the one a script names (`"coverage": "nyc npm
 * test"`), else the one installed, nyc before c8; undefined when neither is in package.json.
 */
export function projectCoverageTool(scripts: Record<string, string>, has: (name: string) => boolean): 'nyc' | 'c8' | undefined {
  const tools = (['nyc', 'c8'] as const).filter((tool) => has(tool));
  const named = tools.find((tool) => Object.values(scripts).some((script) => new RegExp(`(^|[\\s/&|;])${tool}\\s`).test(script)));
  return named ?? tools[0];
}

/** mocha measures no coverage by itself: it runs under the project's nyc or c8, where the test script does not wrap it already. */
const coverageWrapper = (tokens: string[], scripts: Record<string, string>, has: (name: string) => boolean): 'nyc' | 'c8' | undefined =>
  tokens[0] === 'mocha' ? projectCoverageTool(scripts, has) : undefined;

/** npm audit reads package-lock.json; a project with another package manager's lock file gets advice instead. */
async function npmAudit(dir: string): Promise<{ security?: SecurityInput; note: string }> {
  if ((await exists(dir, 'package-lock.json')) || (await exists(dir, 'npm-shrinkwrap.json'))) {
    // A lock file git ignores is this machine's alone: another checkout has none to audit.
    const ignored = /^\/?package-lock\.json\s*$/m.test((await readText(dir, '.gitignore')) ?? '');
    return {
      security: { command: ['npm', 'audit', '--json'], report: { format: 'npm-audit', path: 'stdout' } },
      note: ignored
        ? 'security: npm audit (package-lock.json), but .gitignore leaves package-lock.json out of git: the gate audits the copy on this machine only, and fails in a fresh checkout; commit the lock file to audit what every checkout installs'
        : 'security: npm audit (package-lock.json)',
    };
  }
  if ((await exists(dir, 'yarn.lock')) || (await exists(dir, 'pnpm-lock.yaml'))) {
    return {
      note: 'security: npm audit needs package-lock.json; this project uses another package manager, so no security gate was proposed (OSV-Scanner reads yarn.lock and pnpm-lock.yaml: set gates.security with format osv)',
    };
  }
  if (/^\s*package-lock\s*=\s*false\b/m.test((await readText(dir, '.npmrc')) ?? '')) {
    return {
      note: 'security: no security gate was proposed: npm audit needs package-lock.json, and .npmrc turns it off (package-lock=false); to have one, remove that line, run npm install and goldloop init --redetect',
    };
  }
  return {
    note: 'security: no package-lock.json, so no npm audit gate was proposed; run npm install to write one and run goldloop init --redetect',
  };
}

export async function detectNode(ctx: Context): Promise<Proposal | undefined> {
  const text = await readText(ctx.dir, 'package.json');
  if (text === undefined) return undefined;
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (error) {
    return {
      ecosystem: 'Node',
      notes: [],
      problem: `package.json is not valid JSON (${(error as Error).message}): no Node gates proposed`,
    };
  }
  const deps = { ...pkg.optionalDependencies, ...pkg.dependencies, ...pkg.devDependencies };
  const depSource = (name: string): string => (pkg.devDependencies?.[name] ? 'devDependencies' : 'dependencies');
  const scripts = Object.fromEntries(
    Object.entries(pkg.scripts ?? {}).filter(([, v]) => typeof v === 'string' && !NPM_PLACEHOLDER.test(v)),
  );
  const notes: string[] = [];
  const out: Proposal = { ecosystem: 'Node', notes };

  let found = findRunner(scripts, 'test');
  if (!found && scripts.test === undefined) {
    const runner = ['vitest', 'jest'].find((name) => name in deps);
    if (runner) found = { tokens: [runner], source: `package.json ${depSource(runner)}, no test script`, leftOut: [] };
  }
  if (found) {
    const usesNodeTest = found.tokens[0] === 'node' || found.tokens.slice(1).includes('node');
    const env: NodeEnv = {
      has: (name) => name in deps,
      windows: ctx.windows,
      nodeReporters: usesNodeTest ? nodeHasReporters(await ctx.probe(['node', '--version'])) : true,
    };
    const wrapper = coverageWrapper(found.tokens, scripts, env.has);
    const plan = runnerPlan(wrapper ? [wrapper, ...found.tokens] : found.tokens, env, true);
    if (plan) {
      if (wrapper)
        plan.notes.push(
          `coverage: ${wrapper} (in package.json, not in scripts.test) measures ${found.tokens[0]}'s run, with the project's own ${wrapper} settings (${wrapper === 'nyc' ? '.nycrc or package.json "nyc"' : '.c8rc or package.json "c8"'}) and Goldloop's report flags`,
        );
      const proposed = testsFromPlan(plan, found, env.has);
      out.tests = proposed.tests;
      notes.push(...proposed.notes);
    }
  }
  if (!out.tests && scripts.test !== undefined) {
    out.tests = { command: ['npm', 'test'] };
    notes.push(
      `tests: npm test, pass or fail by the exit code: Goldloop found no command of a runner it can ask for JUnit and coverage (vitest, jest, mocha, node --test, c8, nyc; directly, through npx, pnpm, yarn or bun, or in a script that npm run names) in the test script "${scripts.test}"; if it runs one another way, set gates.tests.command to that runner's command with its report flags`,
    );
  }

  if (out.tests) {
    const stryker = strykerProposal(found, (name) => name in deps);
    if (stryker.mutation) out.mutation = stryker.mutation;
    notes.push(...stryker.notes);
  }

  const audit = await npmAudit(ctx.dir);
  if (audit.security) out.security = audit.security;
  notes.push(audit.note);
  if (scripts.build !== undefined) {
    out.build = { command: ['npm', 'run', 'build'] };
    notes.push(`build: npm run build (scripts.build "${scripts.build}")`);
  }
  return out;
}
