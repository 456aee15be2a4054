/**
 * Reads a package.json test script the way a shell would split it, to find the one segment that
 * runs the tests (following `npm run x` into other scripts) and what the rest of the script does.
 */
import { basename } from 'node:path';
import { splitCommandLine } from '../../../contract/command-line.ts';

/** Splits a shell script at `&&`, `||`, `;`, `|` and `&` outside quotes. */
function scriptSegments(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') current += script[i++] ?? '';
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === '\\') {
      current += ch + (script[++i] ?? '');
    } else if (ch === ';' || ch === '|' || ch === '&') {
      if (script[i + 1] === ch) i++;
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
export const RUNNERS = new Set(['vitest', 'jest', 'mocha', 'c8', 'nyc']);

/** A runnable segment of a test script, with what was left out of it. */
export interface ScriptRunner {
  tokens: string[];
  /** The script text it came from, e.g. `scripts.test "vitest run"`. */
  source: string;
  leftOut: string[];
}

/** Strips `npx [flags]`, `cross-env A=b` and `A=b` prefixes; a path to a runner becomes its name. */
export function normalise(tokens: string[], dropped: string[]): string[] {
  let t = [...tokens];
  for (;;) {
    if (t[0] === 'cross-env' || t[0] === 'cross-env-shell') t = t.slice(1);
    else if (t[0] && ENV_ASSIGNMENT.test(t[0])) dropped.push(t.shift()!);
    else if (
      t[0] === 'npx' ||
      (t[0] === 'npm' && t[1] === 'exec') ||
      (t[0] === 'pnpm' && t[1] === 'exec') ||
      (t[0] === 'yarn' && t[1] === 'exec')
    ) {
      t = t.slice(t[0] === 'npx' ? 1 : 2);
      while (t[0]?.startsWith('-')) t.shift();
    } else break;
  }
  if (t[0] && RUNNERS.has(basename(t[0]))) t[0] = basename(t[0]);
  return t;
}

/** `npm run x -- args`, `npm test`, `yarn x`, `pnpm run x`: the script it names and the extra args. */
function scriptReference(tokens: string[]): { name: string; extra: string[] } | undefined {
  const [tool, first, second] = tokens;
  const afterDashes = (from: number): string[] => {
    const rest = tokens.slice(from);
    return rest[0] === '--' ? rest.slice(1) : rest;
  };
  if (tool === 'npm') {
    if (first === 'test' || first === 't') return { name: 'test', extra: afterDashes(2) };
    if ((first === 'run' || first === 'run-script') && second) return { name: second, extra: afterDashes(3) };
    return undefined;
  }
  if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') {
    if (first === 'run' && second) return { name: second, extra: afterDashes(3) };
    if (first && !first.startsWith('-') && tool !== 'bun') return { name: first, extra: afterDashes(2) };
  }
  return undefined;
}

/**
 * `pnpm vitest run`, `yarn jest`, `bun x mocha`, `pnpm dlx vitest`: a package manager running a
 * runner's command from node_modules/.bin (when no script has that name). The runner's tokens, or undefined.
 */
function packageManagerRunner(tokens: string[]): string[] | undefined {
  const [tool, first] = tokens;
  if (tool !== 'pnpm' && tool !== 'yarn' && tool !== 'bun' && tool !== 'bunx') return undefined;
  const skip = tool === 'bunx' ? 1 : first === 'x' || first === 'dlx' ? 2 : 1;
  const rest = tokens.slice(skip);
  while (rest[0]?.startsWith('-')) rest.shift();
  if (rest[0] && RUNNERS.has(basename(rest[0]))) rest[0] = basename(rest[0]);
  return isRunner(rest) ? rest : undefined;
}

function isRunner(tokens: string[]): boolean {
  const [first] = tokens;
  if (!first) return false;
  return RUNNERS.has(first) || (first === 'node' && tokens.includes('--test'));
}

/** Finds the segment of a script that runs the tests, following `npm run x` a few levels deep. */
export function findRunner(scripts: Record<string, string>, name: string, depth = 0): ScriptRunner | undefined {
  const script = scripts[name];
  if (script === undefined || depth > 4) return undefined;
  const leftOut: string[] = [];
  let found: ScriptRunner | undefined;
  for (const segment of scriptSegments(script)) {
    let raw: string[];
    try {
      raw = splitCommandLine(segment);
    } catch {
      leftOut.push(segment);
      continue;
    }
    const dropped: string[] = [];
    const tokens = normalise(raw, dropped);
    if (found) {
      leftOut.push(segment);
      continue;
    }
    const ref = scriptReference(tokens);
    const inner = ref ? findRunner(scripts, ref.name, depth + 1) : undefined;
    if (ref && inner) {
      found = { ...inner, tokens: [...inner.tokens, ...ref.extra] };
      leftOut.push(...inner.leftOut);
    } else if (isRunner(tokens) || packageManagerRunner(tokens)) {
      found = { tokens: packageManagerRunner(tokens) ?? tokens, source: `scripts.${name} "${script}"`, leftOut: [] };
      if (dropped.length) leftOut.push(`the environment settings ${dropped.join(' ')}`);
    } else {
      leftOut.push(segment);
    }
  }
  return found ? { ...found, leftOut: [...found.leftOut, ...leftOut] } : undefined;
}
