import { realCliSuite } from './suite.ts';

realCliSuite('codex', 'Codex');
