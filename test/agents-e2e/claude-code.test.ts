import { realCliSuite } from './suite.ts';

realCliSuite('claude-code', 'Claude Code');
