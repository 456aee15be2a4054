// What `goldloop init` proposes for a Python project: pytest or unittest, pip-audit.
import { describe, expect, it } from 'vitest';
import { detect, JUNIT, note, tools } from './detection.ts';
import { PYTHON_TEST_GLOBS } from '../../../../electron/engine/gates/detect/python-pytest.ts';

describe('Python', () => {
  it('runs pytest once for JUnit and Cobertura XML of the project folder when pytest-cov is listed', async () => {
    const d = await detect({ 'requirements-dev.txt': 'pytest>=7\npytest-cov\n' });
    expect(d.gates.tests).toEqual({
      command: ['python3', '-m', 'pytest', `--junitxml=${JUNIT}`, '--cov=.', '--cov-report=xml:{reports}/coverage.xml'],
      junit_report: JUNIT,
      coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml', exclude: PYTHON_TEST_GLOBS },
    });
    expect(note(d, 'tests:')).toContain('requirements-dev.txt');
    expect(note(d, 'coverage:')).toContain('the project folder, its test files not counted');
  });

  it('measures the package, src layout included, and not a --cov of tox.ini commands (pytest never reads those)', async () => {
    const d = await detect({
      'tox.ini': '[tox]\nenvlist = py3\n\n[testenv]\ndeps = pytest\n    pytest-cov\ncommands = pytest --cov=src/shop {posargs}\n',
      'src/shop/__init__.py': '',
      'tests/test_shop.py': '',
    });
    expect(d.gates.tests?.command).toEqual([
      'python3',
      '-m',
      'pytest',
      `--junitxml=${JUNIT}`,
      '--cov=shop',
      '--cov-report=xml:{reports}/coverage.xml',
    ]);
    expect(note(d, 'coverage:')).toContain('shop (src layout)');
    expect(note(d, 'tests:')).toContain('shop is under src/: the tests import it only where it is installed');
    const flat = await detect({ 'requirements.txt': 'pytest-cov\n', 'inventory/__init__.py': '', 'docs/__init__.py': '', 'setup.py': '' });
    expect(flat.gates.tests?.command).toContain('--cov=inventory');
    expect(flat.gates.tests?.command).not.toContain('--cov=docs');
  });

  it("warns when a src-layout package is neither installed in the virtual environment nor on pytest's path", async () => {
    const files = {
      'pyproject.toml': '[project]\nname = "shop"\ndependencies = []\n[project.optional-dependencies]\ntest = ["pytest", "pytest-cov"]\n',
      'src/shop/__init__.py': '',
      '.venv/bin/python': '',
      '.venv/lib/python3.11/site-packages/pytest/__init__.py': '',
    };
    const missing = await detect(files);
    expect(note(missing, 'tests:')).toContain(
      'shop is under src/ and neither installed in .venv/ nor on pytest\'s path, so every test file that imports it fails to collect: add the two lines `[tool.pytest.ini_options]` and `pythonpath = ["src"]` at the end of pyproject.toml (pytest 7 or later); or install it: `./.venv/bin/python -m pip install -e .`',
    );
    const editable = await detect({ ...files, '.venv/lib/python3.11/site-packages/__editable__.shop-0.1.pth': '/home/me/shop/src\n' });
    expect(note(editable, 'tests:')).not.toContain('fails to collect');
    const onPath = await detect({ ...files, 'pytest.ini': '[pytest]\npythonpath = src\n' });
    expect(note(onPath, 'tests:')).not.toContain('fails to collect');
  });

  it('without a virtual environment, asks python3 whether it finds a src-layout package (find_spec, nothing imported)', async () => {
    const files = { 'tox.ini': '[pytest]\naddopts = -q\n', 'requirements.txt': 'pytest\n', 'src/shop/__init__.py': '' };
    const answer =
      (found: string | undefined) =>
      async (argv: string[]): Promise<string | undefined> =>
        argv[0] === 'python3' && argv[1] === '-c' && argv[2]!.includes('find_spec') && argv[3] === 'shop' ? found : undefined;
    const missing = await detect(files, { probe: answer('no') });
    expect(note(missing, 'tests:')).toContain(
      "shop is under src/ and neither installed for python3 nor on pytest's path, so every test file that imports it fails to collect: add the line `pythonpath = src` under [pytest] in tox.ini (pytest 7 or later); or install it: `python3 -m pip install -e .` (in a virtual environment: system pythons such as Debian's refuse pip installs)",
    );
    expect(note(await detect(files, { probe: answer('yes') }), 'tests:')).not.toContain('src/');
    // No answer (no python3 here): what to do where it is not installed.
    expect(note(await detect(files, { probe: answer(undefined) }), 'tests:')).toContain(
      'shop is under src/: the tests import it only where it is installed',
    );
  });

  it('runs coverage.py as the project does when it is listed without pytest-cov: coverage run -m pytest, then coverage xml', async () => {
    const d = await detect({ 'requirements-dev.txt': 'pytest\ncoverage[toml]>=6.3\n', 'calc/__init__.py': '' });
    expect(d.gates.tests).toEqual({
      command: [
        'python3',
        '-m',
        'coverage',
        'run',
        '--data-file={reports}/.coverage',
        '--source=calc',
        '-m',
        'pytest',
        `--junitxml=${JUNIT}`,
      ],
      report_command: ['python3', '-m', 'coverage', 'xml', '--data-file={reports}/.coverage', '-o', '{reports}/coverage.xml'],
      junit_report: JUNIT,
      coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml' },
    });
    expect(note(d, 'tests:')).toContain('pytest under coverage.py, as the project runs it (requirements-dev.txt)');
    const sections = await detect({ 'requirements.txt': 'pytest\n', 'setup.cfg': '[coverage:run]\nbranch = True\n' });
    expect(sections.gates.tests?.report_command).toBeUndefined();
  });

  it("leaves the sources to coverage.py's own source setting", async () => {
    const d = await detect({ 'requirements.txt': 'pytest-cov\n', '.coveragerc': '[run]\nbranch = True\nsource = mypkg\n' });
    expect(d.gates.tests?.command).toContain('--cov');
    const toml = await detect({ 'pyproject.toml': '[dependency-groups]\ndev = ["pytest-cov"]\n\n[tool.coverage.run]\nsource = ["src"]\n' });
    expect(toml.gates.tests?.command).toContain('--cov');
  });

  it('runs pytest for JUnit only without pytest-cov, and says how to add coverage', async () => {
    const d = await detect({ 'pyproject.toml': '[project]\nname = "x"\n[project.optional-dependencies]\ntest = ["pytest"]\n' });
    expect(d.gates.tests).toEqual({ command: ['python3', '-m', 'pytest', `--junitxml=${JUNIT}`], junit_report: JUNIT });
    expect(note(d, 'coverage:')).toContain('add pytest-cov and run goldloop init --redetect');
  });

  it("leaves the sources to the project's own --cov setting", async () => {
    const d = await detect({
      'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "--cov=src"\n[dependency-groups]\ndev = ["pytest-cov"]\n',
    });
    expect(d.gates.tests?.command).toEqual(['python3', '-m', 'pytest', `--junitxml=${JUNIT}`, '--cov-report=xml:{reports}/coverage.xml']);
  });

  it("uses the project's virtual environment without running it", async () => {
    const probe = tools();
    const d = await detect({ 'requirements.txt': 'pytest\n', '.venv/bin/python': '' }, { probe });
    expect(d.gates.tests?.command[0]).toBe('./.venv/bin/python');
    expect(probe.calls).toEqual([]);
  });

  it('proposes pip-audit as the security gate when it is listed', async () => {
    const d = await detect({ 'requirements.txt': 'requests\n', 'requirements-dev.txt': 'pytest\npip-audit\n' });
    expect(d.gates.security).toEqual({
      command: ['python3', '-m', 'pip_audit', '-f', 'json', '-o', '{reports}/pip-audit.json', '-r', 'requirements.txt'],
      report: { format: 'pip-audit', path: '{reports}/pip-audit.json' },
    });
  });

  it('says there is no security gate without pip-audit', async () => {
    const d = await detect({ 'requirements.txt': 'pytest\n' });
    expect(d.gates.security).toBeUndefined();
    expect(note(d, 'security:')).toContain('pip-audit is not listed');
  });

  it('falls back to unittest, by exit code, when pytest is not listed', async () => {
    const d = await detect({ 'setup.py': 'from setuptools import setup\nsetup()\n', 'tests/test_x.py': '' });
    expect(d.gates.tests).toEqual({ command: ['python3', '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'] });
  });
});
