/**
 * Command lines as people type them, and argv arrays as Goldloop runs them. Shared by the CLI
 * (`--agent-cmd`), gate detection and the dashboard's settings form, so a line typed in either
 * splits the same way. Plain functions: the renderer bundles this file.
 */

/**
 * Splits a command line into argv the way a POSIX shell would tokenise it — quotes and
 * backslashes — but without a shell: no variables, globs, pipes or redirections, so nothing in
 * it can be injected. Throws on an unterminated quote.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) out.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in command line: ${line}`);
  if (inToken) out.push(current);
  return out;
}

/** Characters a shell would read specially; an argument without any stays bare. */
const PLAIN = /^[\w@%+=:,./{}-]+$/;

/**
 * The inverse of `splitCommandLine`: argv as one line, quoting only the arguments that need it,
 * so `splitCommandLine(joinCommandLine(argv))` gives `argv` back.
 */
export function joinCommandLine(argv: readonly string[]): string {
  return argv
    .map((arg) => {
      if (PLAIN.test(arg)) return arg;
      // Double quotes read best ("await import('./x.js')"); they hold anything but these literally.
      if (!/["\\$`]/.test(arg)) return `"${arg}"`;
      return `'${arg.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}
