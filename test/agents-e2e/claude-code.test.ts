import { realCliSuite } from './suite.ts';

const MINUTE = 60_000;

realCliSuite('claude-code', 'Claude Code', {
  editLine: 'Edit src/textkit.js',
  refusal: { mode: 'default' },
  limits: [
    {
      what: 'the subscription\'s usage limit ("usage limit reached|<epoch>")',
      replies: (resetAt) => [{ usageLimit: { resetAt } }],
      window: (resetAt) => [resetAt, resetAt],
    },
    {
      // It retries once (CLAUDE_CODE_MAX_RETRIES=1 in its test home), waiting the retry-after, then gives up.
      what: 'a plain rate limit with retry-after 20 s, retried until the CLI gives up',
      replies: () => [{ rateLimit: { retryAfterS: 20 } }, { rateLimit: { retryAfterS: 20 } }],
      window: (_resetAt, seenAt) => [seenAt - MINUTE, seenAt + 2 * MINUTE],
    },
  ],
});
