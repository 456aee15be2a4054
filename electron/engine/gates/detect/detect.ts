/**
 * Proposes gate commands from a project's files, for `goldloop init`. Detection only reads
 * files: it never runs the project's code. The only programs it starts are probes of installed
 * tools (`--version` of node, cargo llvm-cov, cargo mutants; whether python3 finds a src-layout
 * package, by importlib's find_spec, which imports nothing), run from a neutral folder with a 3 s limit,
 * because a project's own config (a cargo alias, a go.mod toolchain line) could otherwise turn a
 * probe into a build of untrusted code.
 *
 * Every proposal keeps tests and coverage in ONE run of the test command, and every report it
 * names is written under `{reports}`, the fresh folder Goldloop owns — except where a tool cannot
 * be told where to write (Maven, Gradle), which the notes say; there the command starts with
 * `clean`, so that no report left from an earlier run is read as this one's.
 *
 * One file per ecosystem (node.ts, python.ts, go.ts, rust.ts, java.ts; node-*.ts are Node's
 * script parsing and runner commands), each exporting a `Detector` (ecosystem.ts). To propose
 * gates for another language: add its file to this folder and one line to DETECTORS below,
 * whose order is the order of preference.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { joinCommandLine } from '../../../contract/command-line.ts';
import { exists, type Context, type Detector, type GatesInput, type Probe, type Proposal } from './ecosystem.ts';
import { detectGo } from './go.ts';
import { detectJava } from './java.ts';
import { detectNode } from './node.ts';
import { detectPython } from './python.ts';
import { detectRust } from './rust.ts';

export interface Detection {
  gates: GatesInput;
  /** What was found and why, one sentence a person can act on per gate. */
  notes: string[];
}

export interface DetectOptions {
  /** Replaces the real `--version` probes (tests use it for tools this machine lacks). */
  probe?: Probe;
  /** The platform the gates will run on; `env` and `./mvnw` differ on Windows. */
  platform?: NodeJS.Platform;
}

const PROBE_TIMEOUT_MS = 3000;

/** The real probe: no shell, a neutral working folder, a hard 3 s limit. */
export const probeTool: Probe = (argv) =>
  new Promise((resolve) => {
    const [program, ...args] = argv;
    if (!program) return resolve(undefined);
    execFile(program, args, { cwd: tmpdir(), timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : String(stdout).trim());
    });
  });

const DETECTORS: Detector[] = [detectNode, detectPython, detectGo, detectRust, detectJava];

/**
 * Proposes the gates of a project from its files: a tests gate whose one run writes JUnit and
 * coverage under `{reports}`, a mutation gate over those tests where the ecosystem's mutation tool
 * is installed, and security and build gates where the project has what they need.
 * Ecosystems are tried in order Node, Python, Go, Rust, Java; the first with tests provides the
 * tests gate and, before the others, the security and build gates.
 */
export async function detectGates(projectDir: string, options: DetectOptions = {}): Promise<Detection> {
  const ctx: Context = { dir: projectDir, probe: options.probe ?? probeTool, windows: (options.platform ?? process.platform) === 'win32' };
  const proposals = (await Promise.all(DETECTORS.map((detect) => detect(ctx)))).filter((p): p is Proposal => p !== undefined);
  const primary = proposals.find((p) => p.tests);
  const ordered = primary ? [primary, ...proposals.filter((p) => p !== primary)] : proposals;
  const gates: GatesInput = {};
  const securityFrom = ordered.find((p) => p.security);
  const buildFrom = ordered.find((p) => p.build);
  if (primary) gates.tests = primary.tests;
  // A mutation tool runs the tests gate's tests: it comes from the same ecosystem.
  if (primary?.mutation) gates.mutation = primary.mutation;
  if (securityFrom) gates.security = securityFrom.security;
  if (buildFrom) gates.build = buildFrom.build;

  // Each gate's notes come from the ecosystem that provides it; with no provider, every
  // ecosystem's advice for that gate is kept.
  const keep = (p: Proposal, note: string): boolean => {
    if (note.startsWith('mutation:')) return p === primary;
    if (note.startsWith('security:')) return !securityFrom || p === securityFrom;
    if (note.startsWith('build:')) return !buildFrom || p === buildFrom;
    return p === primary || !primary;
  };
  const notes: string[] = [];
  for (const p of ordered) {
    if (p.problem) notes.push(p.problem);
    notes.push(...p.notes.filter((n) => keep(p, n)));
    if (primary && p !== primary && p.tests) {
      notes.push(
        `tests: also found ${p.ecosystem} tests (${joinCommandLine(p.tests.command)}); a project has one tests gate and ${primary.ecosystem}'s was chosen: change gates.tests.command to choose another`,
      );
    }
  }
  if (!gates.tests)
    notes.push(
      'tests: no test setup found (package.json, pyproject.toml, requirements*.txt, go.mod, Cargo.toml, pom.xml, build.gradle): set gates.tests.command (an argv array) in the knowledge base',
    );
  await detectDocs(projectDir, gates, notes);
  const rank = (n: string): number =>
    ['tests:', 'coverage:', 'mutation:', 'security:', 'build:', 'docs:'].findIndex((prefix) => n.startsWith(prefix));
  return {
    gates,
    notes: notes
      .map((n, i) => ({ n, i }))
      .sort((a, b) => sortKey(rank(a.n), a.i) - sortKey(rank(b.n), b.i))
      .map((x) => x.n),
  };
}

/** Notes without a gate prefix (problems, the interpreter) come first, then tests, coverage, mutation, security, build, docs. */
const sortKey = (rank: number, index: number): number => (rank + 1) * 10_000 + index;

/** The docs gate checks README.md by default; a project whose README has another name gets that one. */
async function detectDocs(dir: string, gates: GatesInput, notes: string[]): Promise<void> {
  if (await exists(dir, 'README.md')) return;
  const names = await readdir(dir).catch(() => [] as string[]);
  const readme = names.find((n) => /^readme(\.(md|markdown|rst|txt|adoc))?$/i.test(n));
  if (readme) {
    gates.docs = { files: [readme] };
    notes.push(`docs: ${readme} must exist and have no TODO, TBD, FIXME or lorem ipsum`);
  } else {
    notes.push('docs: there is no README.md yet; the docs gate fails until there is one');
  }
}
