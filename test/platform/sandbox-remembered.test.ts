// The sandbox probe a status report words: remembered in the state folder while its key holds,
// probed again when the key changes or the memory is unreadable, and a failed probe never kept.
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeKey, rememberedProbe } from '../../electron/platform/sandbox/remembered.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

type Probed = { status: { kind: string; version?: string; why?: string }; program?: string };

/** A probe that counts its runs and finds what `found` says. */
function counting(found: Probed): { probe: () => Probed; runs: () => number } {
  let n = 0;
  return { probe: () => (n++, found), runs: () => n };
}

const BWRAP: Probed = { status: { kind: 'bubblewrap', version: '0.8.0' }, program: '/usr/bin/bwrap' };

describe('rememberedProbe', () => {
  it('probes once, then answers from the state folder while the key holds, and probes again when it changes', async () => {
    const file = join(await temps.make('goldloop-probe-'), 'state', 'sandbox-probe.json');
    const p = counting(BWRAP);
    expect(rememberedProbe(p.probe, { file, key: 'k1' })).toEqual(BWRAP);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ key: 'k1', sandbox: BWRAP });
    // Another process (a second `goldloop status`) with the same machine: no probe.
    expect(rememberedProbe(p.probe, { file, key: 'k1' })).toEqual(BWRAP);
    expect(p.runs()).toBe(1);
    expect(rememberedProbe(p.probe, { file, key: 'k2' })).toEqual(BWRAP);
    expect(p.runs()).toBe(2);
  });

  it('keeps no failed probe, and probes past a memory it cannot read', async () => {
    const file = join(await temps.make('goldloop-probe-'), 'sandbox-probe.json');
    const failed = counting({ status: { kind: 'none', why: 'user namespaces are off' } });
    rememberedProbe(failed.probe, { file, key: 'k' });
    rememberedProbe(failed.probe, { file, key: 'k' });
    expect(failed.runs()).toBe(2);
    await writeFile(file, '{ not json');
    const p = counting(BWRAP);
    expect(rememberedProbe(p.probe, { file, key: 'k' })).toEqual(BWRAP);
    expect(p.runs()).toBe(1);
  });
});

describe('probeKey', () => {
  it('changes when the sandbox program changes, and is undefined for a program that is not there', async () => {
    const dir = await temps.make('goldloop-probe-key-');
    const program = join(dir, 'bwrap');
    await writeFile(program, '#!/bin/sh\n');
    const before = probeKey(program, 'linux');
    expect(before).toBeDefined();
    expect(probeKey(program, 'linux')).toBe(before);
    await utimes(program, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(probeKey(program, 'linux')).not.toBe(before);
    expect(probeKey(join(dir, 'missing'), 'linux')).toBeUndefined();
  });
});
