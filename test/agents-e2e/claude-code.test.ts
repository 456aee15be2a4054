import { realCliSuite } from './suite.ts';

realCliSuite('claude-code', 'Claude Code', { mode: 'default', says: /Claude Code was not allowed to edit.*acceptEdits/ });
