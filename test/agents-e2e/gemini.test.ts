import { nextPacificMidnight } from '../../electron/engine/agents/gemini.ts';
import { realCliSuite } from './suite.ts';

const started = new Date();

realCliSuite('gemini', 'Gemini CLI', {
  editLine: 'replace src/textkit.js',
  refusal: { mode: 'default' },
  limits: [
    {
      // It prints no reset time: a per-day quota resets at midnight Pacific time.
      what: 'the daily quota (RESOURCE_EXHAUSTED, exit 173)',
      replies: (resetAt) => [{ usageLimit: { resetAt } }],
      window: (_resetAt, seenAt) => [nextPacificMidnight(started), nextPacificMidnight(new Date(seenAt))],
    },
  ],
});
