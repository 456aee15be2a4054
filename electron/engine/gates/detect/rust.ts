/**
 * Rust: cargo test, or cargo llvm-cov where it is installed, for lcov coverage from the same run;
 * cargo-mutants where it is installed; cargo build.
 */
import { readText, type Context, type MutationInput, type Proposal, type TestsInput } from './ecosystem.ts';

export async function detectRust(ctx: Context): Promise<Proposal | undefined> {
  const manifest = await readText(ctx.dir, 'Cargo.toml');
  if (manifest === undefined) return undefined;
  const notes: string[] = [];
  const workspace = /^\s*\[workspace\]/m.test(manifest) ? ['--workspace'] : [];
  const llvmCov = await ctx.probe(['cargo', 'llvm-cov', '--version']);
  let tests: TestsInput;
  if (llvmCov) {
    // cargo llvm-cov runs the tests itself, so it replaces cargo test: one run for both.
    tests = {
      command: ['cargo', 'llvm-cov', ...workspace, '--lcov', '--output-path', '{reports}/lcov.info'],
      timeout_minutes: 30,
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
    };
    notes.push(
      `tests: cargo llvm-cov (${llvmCov.split('\n')[0]}), lcov coverage from the test run; pass or fail by the exit code (cargo test writes no JUnit)`,
    );
  } else {
    tests = { command: ['cargo', 'test', ...workspace], timeout_minutes: 30 };
    notes.push('tests: cargo test, pass or fail by the exit code (cargo test writes no JUnit)');
    notes.push('coverage: cargo-llvm-cov is not installed; install it (`cargo install cargo-llvm-cov`) and run goldloop init --redetect');
  }
  const mutants = await ctx.probe(['cargo', 'mutants', '--version']);
  const mutation: MutationInput | undefined = mutants
    ? {
        command: ['cargo', 'mutants', ...workspace, '--output', '{reports}'],
        timeout_minutes: 120,
        report: { format: 'cargo-mutants', path: '{reports}/mutants.out/outcomes.json' },
      }
    : undefined;
  notes.push(
    mutants
      ? `mutation: cargo-mutants (${mutants.split('\n')[0]}), all the code each run, its outcomes.json under {reports}; it does not say which tests kill a mutant, so requirements are traced by the weaker rule`
      : 'mutation: cargo-mutants is not installed; install it (`cargo install --locked cargo-mutants`) and run goldloop init --redetect, so that the "Tests catch faults" line is measured',
  );
  notes.push('build: cargo build --release');
  notes.push(
    "security: no scanner proposed for Rust (cargo audit's JSON is not a format Goldloop reads); OSV-Scanner reads Cargo.lock: set gates.security with format osv",
  );
  return {
    ecosystem: 'Rust',
    tests,
    ...(mutation ? { mutation } : {}),
    build: { command: ['cargo', 'build', '--release', ...workspace], timeout_minutes: 30 },
    notes,
  };
}
