/**
 * The names of Goldloop's files in a project, apart from the KB's schema: a process that only
 * needs a path (the run lock of `goldloop run`'s waiting process) does not load the schema.
 */
export const KB_FILE = '.ai-knowledge-base.json';
export const GOLDLOOP_DIR = '.goldloop';
