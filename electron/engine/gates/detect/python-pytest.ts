/**
 * The pytest tests gate: JUnit from `--junitxml`, and coverage the way the project measures it:
 * pytest-cov (`--cov=<package>` unless the project's addopts or coverage config name the
 * sources), or coverage.py alone (`coverage run -m pytest`, then `coverage xml` as the gate's
 * report_command).
 */
import { exists, JUNIT, readText, type Context, type TestsInput } from './ecosystem.ts';
import { addopts, listed, pythonCode, pytestConfig, srcImportable, srcImportFixes, type PythonCode } from './python-layout.ts';

/** A `source =` setting in a coverage.py config section (.coveragerc, pyproject.toml, setup.cfg, tox.ini). */
const COVERAGE_SOURCE = /^\[(?:tool\.coverage\.run|coverage:run|run)\][^[]*^\s*source\s*=/m;
/** Python test files as the usual layouts name them: not counted when the whole folder is measured. */
export const PYTHON_TEST_GLOBS = ['tests/**', 'test/**', '**/test_*.py', '**/*_test.py', '**/conftest.py'];
const COBERTURA = { format: 'cobertura' as const, path: '{reports}/coverage.xml' };

/** Asks the interpreter, from a neutral folder, whether it finds a package: importlib's find_spec, which imports nothing. */
const FIND_SPEC = 'import importlib.util, sys; print("yes" if importlib.util.find_spec(sys.argv[1]) else "no")';

/**
 * A src-layout package the tests cannot import makes every test file that imports it fail to
 * collect: said at init, with the two fixes word for word. The virtual environment's packages are
 * read from its folder; without one, the interpreter is asked.
 */
async function srcLayoutNote(
  ctx: Context,
  files: Map<string, string>,
  python: string,
  venv: string | undefined,
  names: string[],
): Promise<string | undefined> {
  if (await srcImportable(ctx.dir, files, venv, names)) {
    if (venv) return undefined;
    const found = await Promise.all(names.map((n) => ctx.probe([python, '-c', FIND_SPEC, n])));
    if (found.every((f) => f === 'yes')) return undefined;
    if (found.some((f) => f === undefined))
      return `tests: ${names.join(', ')} is under src/: the tests import it only where it is installed or on pytest's path: ${srcImportFixes(python, await pytestConfig(ctx.dir))}`;
  }
  const where = venv ? `installed in ${venv}/` : `installed for ${python}`;
  return `tests: ${names.join(', ')} is under src/ and neither ${where} nor on pytest's path, so every test file that imports it fails to collect: ${srcImportFixes(python, await pytestConfig(ctx.dir))}`;
}

/** What the coverage of the run measures: the project's own setting, else its packages, else the folder without its tests. */
function sources(code: PythonCode | undefined, configured: boolean): { args: string[]; exclude?: string[]; said: string } {
  if (configured) return { args: [], said: "the sources of the project's coverage config" };
  if (code) return { args: code.names, said: `${code.names.join(', ')}${code.src ? ' (src layout)' : ''}` };
  return { args: [], exclude: PYTHON_TEST_GLOBS, said: 'the project folder, its test files not counted' };
}

export async function pytestGate(
  ctx: Context,
  files: Map<string, string>,
  python: string,
  venv: string | undefined,
): Promise<{ tests: TestsInput; notes: string[] }> {
  const all = [...files.values()].join('\n');
  const notes: string[] = [];
  const code = await pythonCode(ctx.dir);
  const coveragerc = (await readText(ctx.dir, '.coveragerc')) ?? '';
  const configured = COVERAGE_SOURCE.test(`${all}\n${coveragerc}`);
  const src = sources(code, configured);
  const junit = `--junitxml=${JUNIT}`;
  let tests: TestsInput;
  const pytestCov = listed(files, /\bpytest[-_]cov\b/i);
  const coveragePy = listed(files, /(?:^|["'\s,[])coverage\b(?![:.\-_])/im);
  if (pytestCov) {
    // A --cov in the project's pytest addopts already names the sources (one in tox's commands does not: pytest never reads those).
    const own = /--cov(=|\s|$)/.test(addopts(files));
    const cov = own ? [] : src.args.length ? src.args.map((n) => `--cov=${n}`) : configured ? ['--cov'] : ['--cov=.'];
    // Cobertura XML rather than coverage.py JSON: pytest-cov writes JSON only from 4.1 on (Debian 12 has 4.0).
    tests = { command: [python, '-m', 'pytest', junit, ...cov, '--cov-report=xml:{reports}/coverage.xml'], junit_report: JUNIT };
    tests.coverage_report = { ...COBERTURA, ...(src.exclude && !own ? { exclude: src.exclude } : {}) };
    notes.push(`tests: pytest with pytest-cov: JUnit and coverage.py's Cobertura XML from one run (${pytestCov})`);
    notes.push(`coverage: ${own ? "the --cov of the project's pytest addopts" : src.said}`);
  } else if (coveragePy) {
    // coverage.py's data goes to {reports}, not the project's .coverage; --data-file is coverage 6.3+.
    const data = '--data-file={reports}/.coverage';
    const source = src.args.length ? [`--source=${src.args.join(',')}`] : [];
    tests = {
      command: [python, '-m', 'coverage', 'run', data, ...source, '-m', 'pytest', junit],
      report_command: [python, '-m', 'coverage', 'xml', data, '-o', '{reports}/coverage.xml'],
      junit_report: JUNIT,
      coverage_report: { ...COBERTURA, ...(src.exclude ? { exclude: src.exclude } : {}) },
    };
    notes.push(
      `tests: pytest under coverage.py, as the project runs it (${coveragePy}): coverage run -m pytest, then coverage xml as gates.tests.report_command (coverage 6.3 or later, for --data-file)`,
    );
    notes.push(`coverage: ${src.said}`);
  } else {
    tests = { command: [python, '-m', 'pytest', junit], junit_report: JUNIT };
    notes.push(
      `tests: pytest with JUnit (${listed(files, /\bpytest\b/i) || ((await exists(ctx.dir, 'conftest.py')) ? 'conftest.py' : 'pytest.ini')})`,
    );
    notes.push(
      'coverage: neither pytest-cov nor coverage is listed in requirements*.txt or pyproject.toml; add pytest-cov and run goldloop init --redetect',
    );
  }
  if (code?.src) {
    const note = await srcLayoutNote(ctx, files, python, venv, code.names);
    if (note) notes.push(note);
  }
  return { tests, notes };
}
