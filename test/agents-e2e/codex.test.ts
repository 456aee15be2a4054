import { realCliSuite } from './suite.ts';

realCliSuite('codex', 'Codex', { mode: 'read-only', says: /Codex was not allowed to edit.*read-only sandbox.*workspace-write/ });
