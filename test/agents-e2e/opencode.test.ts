import { realCliSuite } from './suite.ts';

realCliSuite('opencode', 'OpenCode');
