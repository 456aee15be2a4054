// What `goldloop init` proposes for a Python project: pytest or unittest, pip-audit.
import { describe, expect, it } from 'vitest';
import { detect, JUNIT, note, tools } from './detection.ts';

describe('Python', () => {
  it('runs pytest once for JUnit and Cobertura XML of the project folder when pytest-cov is listed', async () => {
    const d = await detect({ 'requirements-dev.txt': 'pytest>=7\npytest-cov\n' });
    expect(d.gates.tests).toEqual({
      command: ['python3', '-m', 'pytest', `--junitxml=${JUNIT}`, '--cov=.', '--cov-report=xml:{reports}/coverage.xml'],
      junit_report: JUNIT,
      coverage_report: { format: 'cobertura', path: '{reports}/coverage.xml' },
    });
    expect(note(d, 'tests:')).toContain('requirements-dev.txt');
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
    expect(note(d, 'coverage:')).toContain('add pytest-cov');
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
