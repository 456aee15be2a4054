import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../electron/engine/reports/redact.ts';

// Realistic shapes (not real keys): each must vanish from a report, with a marker left behind.
const SECRETS: [string, string][] = [
  ['an OpenAI key', 'export OPENAI_API_KEY sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz012345'],
  ['an Anthropic key', 'using key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef'],
  ['a GitHub classic token', 'remote: https://x:ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8@github.com'],
  ['a GitHub OAuth token', 'token gho_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'],
  ['an AWS access key id', 'aws_access_key_id AKIAIOSFODNN7EXAMPLE'],
  ['a Slack bot token', 'SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['a Bearer token', 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123"'],
  ['a password assignment', 'DB_PASSWORD=hunter2-is-not-safe'],
  ['a quoted api key in JSON', '{"api_key": "live_9f8e7d6c5b4a"}'],
];

describe('redactSecrets', () => {
  for (const [what, text] of SECRETS) {
    it(`removes ${what}`, () => {
      const out = redactSecrets(text);
      expect(out).toContain('[REDACTED');
      const secret = text.match(/(sk-[\w-]+|gh[op]_\w+|github_pat_\w+|AKIA\w+|xoxb-[\w-]+|eyJ[\w.]+|hunter2[\w-]*|live_\w+)/)![0];
      expect(out).not.toContain(secret);
    });
  }

  it('removes a whole private key block, keeping the text around it', () => {
    const text =
      'found a key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gtZWQyNTUxOQ\n-----END OPENSSH PRIVATE KEY-----\nand moved on';
    const out = redactSecrets(text);
    expect(out).toBe('found a key:\n[REDACTED private key]\nand moved on');
  });

  it('keeps the name of an assigned secret so the sentence still reads', () => {
    expect(redactSecrets('set password=correct-horse-battery in .env')).toBe('set password=[REDACTED secret] in .env');
  });

  it('leaves ordinary report text alone: counts, ids, paths, usage figures', () => {
    const text = [
      'Tokens: 12,345 input tokens, 2,001 output tokens, $0.42',
      '- TASK_012: Add the password reset form (P1)',
      'max_tokens=4096 tokenizer: bpe',
      '| Test coverage at or above target | PASS | 84.2 | 80 | lines 84.2% (421/500) |',
      'task-management-system-module/src/index.ts',
    ].join('\n');
    expect(redactSecrets(text)).toBe(text);
  });
});
