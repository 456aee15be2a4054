/**
 * pytest's canary: a plugin Goldloop writes into `{reports}` under a random module name and loads
 * with `-p` (on a PYTHONPATH that starts with the folder). pytest collects the project's tests as
 * its command does, then the plugin, last of all the collection hooks, replaces them with two
 * failing tests in each test folder: each sits in a project test module, so every conftest.py and
 * plugin that applies to the project's tests applies to it, and its `assert` is rewritten (or not)
 * as theirs are. See `run.ts`.
 */
import { delimiter } from 'node:path';
import { junitCanary, runnerAt, type CanaryPlan, type CanaryTarget } from './runner.ts';

/** pytest's options that write reports or measure coverage: the canary writes its own JUnit and measures nothing. */
const DROPPED = /^--(junit-?xml|cov|cov-report|cov-config|cov-fail-under|cov-append|no-cov|result-log)(=|$)/;
const VALUED = new Set(['--junitxml', '--junit-xml', '--cov-report', '--cov-config', '--cov-fail-under', '--result-log']);

/** The plugin: in every test folder, the first module without a skip marker gets the canary's two tests, and they are all that runs. */
export function pytestPlugin(token: string): string {
  return `# Written by Goldloop: tests that must fail. If one passes, the test harness has been tampered with.
import pytest


def _canary_assert():
    assert "${token}" == "not ${token}"


def _canary_raise():
    raise AssertionError("goldloop canary ${token}")


def _unmarked(module):
    return not any(mark.name in ("skip", "skipif", "xfail") for mark in module.iter_markers())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    modules = {}
    for item in items:
        module = item.getparent(pytest.Module)
        if module is None:
            continue
        folder = module.path.parent
        if folder not in modules or (not _unmarked(modules[folder]) and _unmarked(module)):
            modules[folder] = module
    canaries = []
    for module in modules.values():
        for name, function in (("assert", _canary_assert), ("raise", _canary_raise)):
            canaries.append(pytest.Function.from_parent(module, name="goldloop_canary_${token}_" + name, callobj=function))
    items[:] = canaries
`;
}

/** The arguments of the tests command the canary keeps: its paths and options, without its reports and coverage. */
export function pytestArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!DROPPED.test(arg)) out.push(arg);
    // --cov takes an optional value, which pytest reads only when it is not an option.
    else if (!arg.includes('=') && (VALUED.has(arg) || arg === '--cov') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
  }
  return out;
}

export function pytestCanary({ command, token }: CanaryTarget): Promise<CanaryPlan | undefined> {
  const at = runnerAt(command, 'pytest') ?? runnerAt(command, 'py.test');
  if (!at) return Promise.resolve(undefined);
  const plugin = `goldloop_canary_${token}`;
  const junit = `{reports}/canary-${token}.xml`;
  const inherited = process.env.PYTHONPATH;
  return Promise.resolve({
    command: [...at.prefix, ...pytestArgs(at.args), '-p', plugin, `--junitxml=${junit}`],
    env: { PYTHONPATH: inherited ? `{reports}${delimiter}${inherited}` : '{reports}' },
    files: () => ({ [`${plugin}.py`]: pytestPlugin(token) }),
    report: junit,
    // A test module's own skip marker (`pytestmark = pytest.mark.skipif(...)`) skips the canary in it too: an honest skip, and an exit code of 0.
    exitCodeCounts: false,
    parse: (text) => {
      const found = junitCanary(text, junit, false);
      return { ...found, modules: found.total / 2 };
    },
    modules: 0,
  });
}
