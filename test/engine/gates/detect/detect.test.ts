// How `goldloop init` chooses among the ecosystems it finds, probes tools, and writes what it detected.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectGates, probeTool } from '../../../../electron/engine/gates/detect/detect.ts';
import { initProject } from '../../../../electron/engine/project/init.ts';
import { detect, JUNIT, note, project, tools } from './detection.ts';

describe('several ecosystems and none', () => {
  it('takes the tests gate from the ecosystem that has tests, and security from another', async () => {
    const d = await detect({ 'package.json': { name: 'tooling' }, 'package-lock.json': '{}', 'requirements.txt': 'pytest\npytest-cov\n' });
    expect(d.gates.tests?.command.slice(0, 3)).toEqual(['python3', '-m', 'pytest']);
    expect(d.gates.security?.command).toEqual(['npm', 'audit', '--json']);
    expect(note(d, 'security:')).toBe('security: npm audit (package-lock.json)');
  });

  it('names the tests it did not choose', async () => {
    const d = await detect({ 'package.json': { scripts: { test: 'vitest' } }, 'go.mod': 'module x\n' });
    expect(d.gates.tests?.command).toContain('vitest');
    expect(note(d, 'tests:')).toContain('also found Go tests (go test -json -coverprofile={reports}/cover.out ./...)');
  });

  it('asks for a test command when it finds nothing, and keeps the notes in gate order', async () => {
    const dir = await project({ 'README.rst': 'x\n' });
    const d = await detectGates(dir, { probe: tools() });
    expect(d.gates).toEqual({ docs: { files: ['README.rst'] } });
    expect(d.notes.map((n) => n.split(':')[0])).toEqual(['tests', 'docs']);
  });
});

describe('probeTool', () => {
  it("returns a tool's version, and nothing for a missing tool or one that hangs past 3 s", async () => {
    expect(await probeTool([process.execPath, '--version'])).toBe(process.version);
    expect(await probeTool(['goldloop-no-such-tool', '--version'])).toBeUndefined();
    const started = Date.now();
    expect(await probeTool([process.execPath, '-e', 'setTimeout(() => {}, 120000)'])).toBeUndefined();
    // Well short of the two minutes the tool hangs, however busy the machine: it was cut off.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('goldloop init with detection', () => {
  it('writes the detected gates into the new knowledge base', async () => {
    const dir = await project({
      'package.json': { scripts: { test: 'node --test', build: 'tsc' } },
      'package-lock.json': '{}',
      'README.md': '# x\n',
    });
    const result = await initProject(dir, { git: true, detect: { probe: tools() } });
    const kb = JSON.parse(await readFile(result.kbFile, 'utf8'));
    expect(kb.gates.tests.command.slice(0, 3)).toEqual(['node', '--test', '--experimental-test-coverage']);
    expect(kb.gates.tests.junit_report).toBe(JUNIT);
    expect(kb.gates.security.report.format).toBe('npm-audit');
    expect(kb.gates.build.command).toEqual(['npm', 'run', 'build']);
    expect(result.notes[0]).toContain('node:test with its own coverage');
  });

  it('lets --test-command replace the detected tests gate and keeps the other gates', async () => {
    const dir = await project({ 'package.json': { scripts: { test: 'vitest' } }, 'package-lock.json': '{}' });
    const result = await initProject(dir, { git: true, testCommand: ['make', 'check'], detect: { probe: tools() } });
    const kb = JSON.parse(await readFile(result.kbFile, 'utf8'));
    expect(kb.gates.tests).toMatchObject({ command: ['make', 'check'] });
    expect(kb.gates.tests.junit_report).toBeUndefined();
    expect(kb.gates.security.command).toEqual(['npm', 'audit', '--json']);
    expect(result.notes.filter((n) => n.startsWith('tests:'))).toEqual([expect.stringContaining('make check (--test-command)')]);
    // The detected runner's coverage notes go with its command; what is said is how to measure coverage with this one.
    expect(result.notes.filter((n) => n.startsWith('coverage:'))).toEqual([
      expect.stringContaining('coverage: not measured by this command. For coverage: make the command write'),
    ]);
  });
});
