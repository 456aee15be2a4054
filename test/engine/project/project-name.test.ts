import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initProject } from '../../../electron/engine/project/init.ts';
import { goModuleName, projectName, tomlName } from '../../../electron/engine/project/project-name.ts';

const dirs: string[] = [];
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'goldloop-name-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("the project's own name, from its manifest", () => {
  it('reads package.json, pyproject.toml (PEP 621 and Poetry), Cargo.toml and go.mod', async () => {
    expect(await projectName(await folder({ 'package.json': '{"name": "@acme/wordkit", "version": "1.0.0"}' }))).toEqual({
      name: '@acme/wordkit',
      from: 'package.json',
    });
    const pep621 = '[build-system]\nname = "not-this"\n\n[project]\nversion = "0.1"\nname = "wordkit-py"\n';
    expect(await projectName(await folder({ 'pyproject.toml': pep621 }))).toEqual({ name: 'wordkit-py', from: 'pyproject.toml' });
    const poetry = "[tool.poetry]\nname = 'wordkit-poetry'\n[tool.poetry.dependencies]\nname = 'no'\n";
    expect(await projectName(await folder({ 'pyproject.toml': poetry }))).toEqual({ name: 'wordkit-poetry', from: 'pyproject.toml' });
    expect(await projectName(await folder({ 'Cargo.toml': '[package]\nname = "wordkit-rs"\nedition = "2021"\n' }))).toEqual({
      name: 'wordkit-rs',
      from: 'Cargo.toml',
    });
    expect(await projectName(await folder({ 'go.mod': 'module github.com/acme/wordkit-go\n\ngo 1.19\n' }))).toEqual({
      name: 'wordkit-go',
      from: 'go.mod',
    });
  });

  it("falls back to the folder's name when there is no manifest, or it names nothing, or it does not parse", async () => {
    const shapes: Record<string, string>[] = [
      {},
      { 'package.json': '{"version": "1.0.0"}' },
      { 'package.json': '{ broken' },
      { 'Cargo.toml': '[workspace]\n' },
    ];
    for (const files of shapes) {
      const dir = await folder(files);
      expect(await projectName(dir)).toEqual({ name: basename(dir) });
    }
  });

  it('takes only the name of the table asked for, and the last element of a Go module path without its major version', () => {
    expect(tomlName('[dependencies]\nname = "x"\n[package]\nname="y"', 'package')).toBe('y');
    expect(tomlName('[package.metadata]\nname = "x"\n', 'package')).toBeUndefined();
    expect(goModuleName('module example.com/acme/wordkit/v2\n')).toBe('wordkit');
    expect(goModuleName('// comment\nmodule "wordkit"\n')).toBe('wordkit');
    expect(goModuleName('go 1.21\n')).toBeUndefined();
  });

  it('init writes that name into the new KB and says where it came from; --name still wins', async () => {
    const dir = await folder({ 'package.json': '{"name": "wordkit", "scripts": {"test": "node --test"}}' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const result = await initProject(dir);
    const kb = JSON.parse(await readFile(join(dir, '.ai-knowledge-base.json'), 'utf8')) as { project: { name: string } };
    expect(kb.project.name).toBe('wordkit');
    expect(result.notes).toContain('named the project wordkit, as its package.json does (--name sets another)');

    const other = await folder({ 'package.json': '{"name": "wordkit"}' });
    execFileSync('git', ['init', '-q'], { cwd: other });
    await initProject(other, { name: 'My words' });
    const named = JSON.parse(await readFile(join(other, '.ai-knowledge-base.json'), 'utf8')) as { project: { name: string } };
    expect(named.project.name).toBe('My words');
  });
});
