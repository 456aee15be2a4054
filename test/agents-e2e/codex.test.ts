import { realCliSuite } from './suite.ts';

realCliSuite('codex', 'Codex', {
  editLine: 'apply_patch src/textkit.js',
  refusal: { mode: 'read-only' },
  limits: [
    {
      what: 'the ChatGPT plan\'s usage limit ("try again at <time>")',
      replies: (resetAt) => [{ usageLimit: { resetAt } }],
      // It prints the time to the minute.
      window: (resetAt) => [resetAt - 60_000, resetAt],
    },
  ],
});
