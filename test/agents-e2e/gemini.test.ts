import { realCliSuite } from './suite.ts';

realCliSuite('gemini', 'Gemini CLI', { mode: 'default', says: /Gemini CLI was not allowed to edit.*auto_edit/ });
