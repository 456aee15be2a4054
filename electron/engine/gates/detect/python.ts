/**
 * Python: pytest (with pytest-cov for coverage) or unittest, and pip-audit, as the project's
 * requirements files and pyproject.toml list them. The project's virtual environment is used,
 * never run, during detection.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, readText, type Context, type Proposal } from './ecosystem.ts';
import { listed } from './python-layout.ts';
import { pytestGate } from './python-pytest.ts';

async function pythonFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const names = ['pyproject.toml', 'setup.cfg', 'setup.py', 'tox.ini', 'pytest.ini', 'Pipfile'];
  const root = await readdir(dir).catch(() => [] as string[]);
  names.push(...root.filter((n) => /requirements.*\.(txt|in)$/i.test(n)));
  const reqDir = await readdir(join(dir, 'requirements')).catch(() => [] as string[]);
  names.push(...reqDir.filter((n) => /\.(txt|in)$/i.test(n)).map((n) => `requirements/${n}`));
  for (const name of names) {
    const text = await readText(dir, name);
    if (text !== undefined) files.set(name, text);
  }
  return files;
}

/**
 * mutmut 3 where the project lists it. It keeps its results in `mutants/` inside the project (it
 * has no setting for another folder), so only the result files a run writes are read.
 */
function mutmut(out: Proposal, python: string, listed: string): string[] {
  if (!listed) {
    return [
      'mutation: mutmut is not listed; add mutmut (3.x) to the dev requirements and run goldloop init --redetect, so that the "Tests catch faults" line is measured',
    ];
  }
  out.mutation = { command: [python, '-m', 'mutmut', 'run'], timeout_minutes: 60, report: { format: 'mutmut', path: 'mutants' } };
  return [
    `mutation: mutmut (${listed}), all the code each run; it keeps its results in mutants/ inside the project (add mutants/ to .gitignore, or Goldloop's checkpoint commits take it in), and Goldloop reads only those the run wrote: remove the folder when a run leaves some unread. mutmut does not say which tests kill a mutant, so requirements are traced by the weaker rule`,
  ];
}

async function pythonInterpreter(ctx: Context): Promise<{ python: string; venv?: string }> {
  for (const venv of ['.venv', 'venv']) {
    const rel = ctx.windows ? `${venv}/Scripts/python.exe` : `${venv}/bin/python`;
    if (await exists(ctx.dir, rel)) return { python: ctx.windows ? `${venv}\\Scripts\\python.exe` : `./${rel}`, venv };
  }
  return { python: ctx.windows ? 'python' : 'python3' };
}

export async function detectPython(ctx: Context): Promise<Proposal | undefined> {
  const files = await pythonFiles(ctx.dir);
  const conftest = await exists(ctx.dir, 'conftest.py');
  if (files.size === 0 && !conftest) return undefined;
  const notes: string[] = [];
  const out: Proposal = { ecosystem: 'Python', notes };
  const all = [...files.values()].join('\n');
  const where = (re: RegExp): string => listed(files, re);
  const { python, venv } = await pythonInterpreter(ctx);
  if (venv) notes.push(`python: the project's virtual environment ${venv}/ (its interpreter is not run during detection)`);

  const pytestRe = /\bpytest\b/i;
  const pytest = pytestRe.test(all) || conftest || files.has('pytest.ini');
  if (pytest) {
    const proposed = await pytestGate(ctx, files, python, venv);
    out.tests = proposed.tests;
    notes.push(...proposed.notes);
  } else if (files.has('pyproject.toml') || files.has('setup.py') || files.has('setup.cfg')) {
    const start = (await exists(ctx.dir, 'tests')) ? 'tests' : (await exists(ctx.dir, 'test')) ? 'test' : undefined;
    out.tests = { command: [python, '-m', 'unittest', 'discover', ...(start ? ['-s', start, '-t', '.'] : [])] };
    notes.push(
      'tests: python unittest, pass or fail by the exit code: pytest is not listed; add pytest and pytest-cov and run goldloop init --redetect for per-test results and coverage',
    );
  }

  if (out.tests) notes.push(...mutmut(out, python, where(/\bmutmut\b/i)));

  const auditRe = /\bpip[-_]audit\b/i;
  if (auditRe.test(all)) {
    const command = [python, '-m', 'pip_audit', '-f', 'json', '-o', '{reports}/pip-audit.json'];
    // In a virtual environment pip-audit audits what is installed; otherwise the declared dependencies.
    const req = [...files.keys()].find((n) => n === 'requirements.txt');
    if (!venv && req) command.push('-r', req);
    else if (!venv && files.has('pyproject.toml')) command.push('.');
    out.security = { command, report: { format: 'pip-audit', path: '{reports}/pip-audit.json' } };
    notes.push(`security: pip-audit (${where(auditRe)})`);
  } else {
    notes.push(
      'security: pip-audit is not listed, so no Python security gate was proposed; add pip-audit to the dev requirements and run goldloop init --redetect',
    );
  }
  return out;
}
