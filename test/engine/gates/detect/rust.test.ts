// What `goldloop init` proposes for a Rust project: cargo test or cargo llvm-cov, cargo build.
import { describe, expect, it } from 'vitest';
import { detect, note, tools } from './detection.ts';

describe('Rust', () => {
  it('runs cargo test by exit code when cargo-llvm-cov is not installed', async () => {
    const probe = tools();
    const d = await detect({ 'Cargo.toml': '[workspace]\nmembers = ["a"]\n' }, { probe });
    expect(d.gates.tests).toEqual({ command: ['cargo', 'test', '--workspace'], timeout_minutes: 30 });
    expect(note(d, 'coverage:')).toContain('cargo-llvm-cov');
    expect(probe.calls).toEqual([
      ['cargo', 'llvm-cov', '--version'],
      ['cargo', 'mutants', '--version'],
    ]);
  });

  it('runs the tests under cargo llvm-cov instead of cargo test when it is installed: one run for both', async () => {
    const d = await detect(
      { 'Cargo.toml': '[package]\nname = "x"\n' },
      { probe: tools({ 'cargo llvm-cov --version': 'cargo-llvm-cov 0.6.16' }) },
    );
    expect(d.gates.tests).toEqual({
      command: ['cargo', 'llvm-cov', '--lcov', '--output-path', '{reports}/lcov.info'],
      timeout_minutes: 30,
      coverage_report: { format: 'lcov', path: '{reports}/lcov.info' },
    });
  });
});
