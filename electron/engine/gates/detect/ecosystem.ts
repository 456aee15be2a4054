/**
 * What an ecosystem's detector is given and what it proposes, and the file reading the detectors
 * share. A detector only reads files; the one program it may start is a `--version` probe.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { BuildGateSchema, GatesSchema, MutationGateSchema, SecurityGateSchema, TestsGateSchema } from '../../../store/kb/schema.ts';

export type GatesInput = z.input<typeof GatesSchema>;
export type TestsInput = z.input<typeof TestsGateSchema>;
export type SecurityInput = z.input<typeof SecurityGateSchema>;
export type BuildInput = z.input<typeof BuildGateSchema>;
export type MutationInput = z.input<typeof MutationGateSchema>;

/** Runs `argv` and returns its trimmed stdout when it exits 0, else undefined. */
export type Probe = (argv: string[]) => Promise<string | undefined>;

export interface Context {
  dir: string;
  probe: Probe;
  windows: boolean;
}

/** What one ecosystem proposes; the first ecosystem with a test setup provides the tests gate. */
export interface Proposal {
  ecosystem: string;
  tests?: TestsInput;
  /** A mutation tool over the same tests, where one is installed. */
  mutation?: MutationInput;
  security?: SecurityInput;
  build?: BuildInput;
  notes: string[];
  /** Something wrong with the project's files, shown whichever ecosystem provides the gates. */
  problem?: string;
}

/** Finds an ecosystem's files and proposes its gates; `undefined` when the project is not of that ecosystem. */
export type Detector = (ctx: Context) => Promise<Proposal | undefined>;

/** Where the proposed test commands write their JUnit report: the fresh folder Goldloop owns. */
export const JUNIT = '{reports}/junit.xml';

export const readText = (dir: string, name: string): Promise<string | undefined> =>
  readFile(join(dir, name), 'utf8').catch(() => undefined);
export const exists = (dir: string, name: string): Promise<boolean> =>
  stat(join(dir, name)).then(
    () => true,
    () => false,
  );
