/**
 * Secrets an agent may print (its own API key, a token it read from an env file) must never
 * reach a report: reports are shared, pasted into tickets and shown in notifications. Every
 * report body goes through `redactSecrets` before it is written.
 */

/** What replaces a secret; says what kind it was, so a reader knows something was there. */
const mask = (kind: string): string => `[REDACTED ${kind}]`;

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Keeps a prefix (`password=`, `Bearer `) so the sentence still reads. */
  keep?: (match: string, ...groups: string[]) => string;
}

// Ordered: the most specific patterns first, so an Anthropic key is not reported as a generic one.
const RULES: Rule[] = [
  {
    kind: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g,
  },
  { kind: 'Anthropic key', pattern: /\bsk-ant-[A-Za-z0-9_-]{10,}/g },
  { kind: 'API key', pattern: /\bsk-(?:proj-|svcacct-|live-|test-)?[A-Za-z0-9_-]{16,}/g },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { kind: 'AWS key', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'Google key', pattern: /\bAIza[A-Za-z0-9_-]{35}\b/g },
  {
    kind: 'token',
    pattern: /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/-]{16,}=*)/g,
    keep: (_m, word, space) => `${word}${space}${mask('token')}`,
  },
  {
    kind: 'secret',
    // password=..., api_key: "...", GITHUB_TOKEN=... — the name must end in the keyword, so
    // `tokens: 1200` or `tokenizer: bpe` stay; the value runs to a quote, space or line end.
    pattern:
      /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|access[_-]?key|private[_-]?key|token|credentials?))(["']?[ \t]*[:=][ \t]*)(["']?)([^\s"',;]{4,})\3/gi,
    keep: (match, name, sep, quote, value) => (/^[\d.,]+$/.test(value ?? '') ? match : `${name}${sep}${quote}${mask('secret')}${quote}`),
  },
  {
    kind: 'URL password',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]{3,})@/gi,
    keep: (_m, head) => `${head}${mask('password')}@`,
  },
];

/** Replaces API keys, tokens, private keys and password assignments in `text` with a marker. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (match: string, ...groups: string[]) => {
      // An earlier rule's marker must not be matched again (e.g. `token: [REDACTED token]`).
      if (match.includes('[REDACTED')) return match;
      return rule.keep ? rule.keep(match, ...groups) : mask(rule.kind);
    });
  }
  return out;
}
