/**
 * The files a mutation run mutates, as globs: `**` any folders, `*` and `?` within a name,
 * `{a,b}` alternatives, `[abc]` a character class, and a leading `!` that excludes what the
 * patterns before it included. Goldloop matches them itself to pick, among the files changed since
 * the baseline, the sources Stryker should mutate (the rest of a change is tests, docs, config).
 */

/** Stryker's own default, in the forms above: sources under src/ and lib/, not their tests. */
export const DEFAULT_MUTATE = [
  '{src,lib}/**/*.{js,mjs,cjs,ts,mts,cts,jsx,tsx,vue,svelte}',
  '!{src,lib}/**/*.{spec,Spec,test,Test}.*',
  '!{src,lib}/**/__tests__/**',
  '!**/*.d.{ts,mts,cts}',
];

/** A glob as a regular expression over a `/`-separated path relative to the project. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches no folder or any number of them; a trailing `**` matches everything below.
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      depth++;
      out += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (ch === ',' && depth > 0) out += '|';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += ch.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The files the patterns select, in order: each pattern includes, or with `!` excludes, what it matches. */
export function selectFiles(files: readonly string[], patterns: readonly string[]): string[] {
  const compiled = patterns.map((p) => ({ exclude: p.startsWith('!'), re: globRegExp(p.replace(/^!/, '').replace(/^\.\//, '')) }));
  return files.filter((file) => {
    const path = file.replaceAll('\\', '/');
    let selected = false;
    for (const { exclude, re } of compiled) if (re.test(path)) selected = !exclude;
    return selected;
  });
}
