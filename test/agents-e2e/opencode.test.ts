import { realCliSuite } from './suite.ts';

realCliSuite('opencode', 'OpenCode', {
  editLine: 'edit src/textkit.js',
  limits: [
    {
      // It retries a long retry-after silently: its errors log is the only sign, and the
      // no-output watchdog (20 s here) ends it. No reset time is printed: the retry delay applies.
      what: "the API's quota answer (insufficient_quota, retry-after 2 h)",
      replies: (resetAt) => [{ usageLimit: { resetAt } }],
      args: ['--idle-timeout', '20s'],
      window: (_resetAt, seenAt) => [seenAt, seenAt + 2 * 3_600_000],
    },
  ],
});
