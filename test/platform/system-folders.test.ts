import { describe, expect, it } from 'vitest';
import { systemFolderProblem } from '../../electron/platform/system-folders.ts';

describe('folders that are never a project', () => {
  it('names roots, system folders, the home folder and the folder of homes', () => {
    expect(systemFolderProblem('/', '/home/me', 'linux')).toBe('/ is the root of a file system');
    expect(systemFolderProblem('/etc', '/home/me', 'linux')).toBe('/etc is a folder of the operating system');
    expect(systemFolderProblem('/proc/self/cwd', '/home/me', 'linux')).toBe("/proc/self/cwd lies in /proc, the kernel's own files");
    expect(systemFolderProblem('/home/me', '/home/me', 'linux')).toBe('/home/me is your home folder');
    expect(systemFolderProblem('/home', '/home/me', 'linux')).toMatch(/folder of the operating system|holds users' home folders/);
    expect(systemFolderProblem('/Users', '/Users/me', 'darwin')).toMatch(/holds users' home folders|folder of the operating system/);
  });

  it('lets a project folder be, wherever it lies', () => {
    for (const p of ['/home/me/code/shop', '/tmp/goldloop-demo-x', '/work/main', '/srv/app', '/opt/team/app', '/home/me/.config/x']) {
      expect(systemFolderProblem(p, '/home/me', 'linux'), p).toBeUndefined();
    }
  });
});
