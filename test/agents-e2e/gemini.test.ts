import { realCliSuite } from './suite.ts';

realCliSuite('gemini', 'Gemini CLI');
