/**
 * Go's coverprofile (`go test -coverprofile=...`): a `mode:` line, then one line per block,
 * `file:startLine.startCol,endLine.endCol numStmts count`. The percentage is of statements, the
 * same number `go test -cover` and `go tool cover -func` print.
 */
import { noFilesMeasured } from './input.ts';
import { counter, ReportError, type CoverageReport, type FileCoverage } from './types.ts';

const EXPECTED = 'a Go coverprofile (go test -coverprofile)';
const BLOCK = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/;
const MODE = /^mode: (set|count|atomic)$/;

interface Block {
  file: string;
  startLine: number;
  endLine: number;
  statements: number;
  covered: boolean;
}

/**
 * Parses a Go coverprofile into statement counters. A block listed more than once (profiles
 * written with `-coverpkg`, where every test binary reports every package, or profiles joined
 * with `cat`) counts once, as covered when any of its lines has a count above zero.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, has no valid `mode:` line, has a malformed block
 *   line, or lists no blocks
 */
export function parseGoCoverProfile(text: string, file: string): CoverageReport {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) throw new ReportError(file, `empty report: expected ${EXPECTED}`);
  const mode = MODE.exec(lines[first]!.trim())?.[1];
  if (mode === undefined) {
    throw new ReportError(file, `line ${first + 1}: expected "mode: set|count|atomic" as the first line of ${EXPECTED}`);
  }

  const blocks = new Map<string, Block>();
  for (let index = first + 1; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const where = `line ${index + 1}`;
    if (line.startsWith('mode:')) {
      // Joined profiles repeat the header; only a different mode means the counts cannot be merged.
      if (MODE.exec(line)?.[1] !== mode) throw new ReportError(file, `${where}: "${line}" differs from "mode: ${mode}"`);
      continue;
    }
    const match = BLOCK.exec(line);
    if (match === null) throw new ReportError(file, `${where}: not a coverage block: "${line.slice(0, 120)}"`);
    const [, name, startLine, startCol, endLine, endCol, statements, count] = match;
    if (Number(endLine) < Number(startLine))
      throw new ReportError(file, `${where}: block ends (line ${endLine}) before it starts (line ${startLine})`);
    const key = `${name}:${startLine}.${startCol},${endLine}.${endCol}`;
    const seen = blocks.get(key);
    if (seen !== undefined && seen.statements !== Number(statements)) {
      throw new ReportError(file, `${where}: block ${key} has ${statements} statements here but ${seen.statements} earlier`);
    }
    blocks.set(key, {
      file: name!,
      startLine: Number(startLine),
      endLine: Number(endLine),
      statements: Number(statements),
      covered: (seen?.covered ?? false) || Number(count) > 0,
    });
  }
  if (blocks.size === 0) throw noFilesMeasured(file);

  const byFile = new Map<string, Block[]>();
  for (const block of blocks.values()) byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);
  const files = [...byFile].map(([name, fileBlocks]) => toFileCoverage(name, fileBlocks));
  const covered = files.reduce((n, f) => n + f.statements!.covered, 0);
  const total = files.reduce((n, f) => n + f.statements!.total, 0);
  return { format: 'gocover', totals: { statements: counter(covered, total) }, files };
}

function toFileCoverage(name: string, blocks: Block[]): FileCoverage {
  const statements = (list: Block[]) => list.reduce((n, b) => n + b.statements, 0);
  const ran = blocks.filter((b) => b.covered);
  // A line shared by a run and a not-run block (e.g. `} else {`) is not reported as uncovered,
  // nor is an empty block: the list points the agent at statements no test reached.
  const ranLines = new Set(ran.flatMap(lineRange));
  const missed = blocks.filter((b) => !b.covered && b.statements > 0);
  const uncovered = new Set(missed.flatMap(lineRange).filter((line) => !ranLines.has(line)));
  return {
    file: name,
    statements: counter(statements(ran), statements(blocks)),
    uncoveredLines: [...uncovered].sort((a, b) => a - b),
  };
}

function lineRange(block: Block): number[] {
  return Array.from({ length: block.endLine - block.startLine + 1 }, (_, i) => block.startLine + i);
}
