#!/usr/bin/env node
// Goldloop's demo agent: a small honest program standing in for an LLM coding agent. It reads the
// cycle's prompt (stdin, or the file in GOLDLOOP_PROMPT_FILE), finds the task it names, and really
// edits the demo project: it replaces that task's function stub in src/textkit.js with a working
// implementation. It knows only the demo's recipes; for anything else it says so and exits 0.
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const RECIPES = {
  TASK_001: [
    'slugify',
    `export function slugify(text) {
  return text
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}`,
  ],
  TASK_002: [
    'wordCount',
    `export function wordCount(text) {
  const words = text.trim().split(/\\s+/).filter(Boolean);
  return words.length;
}`,
  ],
  TASK_003: [
    'truncate',
    `export function truncate(text, max) {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : cut) + '…';
}`,
  ],
  TASK_004: [
    'capitalizeWords',
    `export function capitalizeWords(text) {
  return text.replace(/(?<!\\p{L})(\\p{L})(\\p{L}*)/gu, (_, first, rest) => first.toUpperCase() + rest.toLowerCase());
}`,
  ],
  TASK_005: [
    'reverseWords',
    `export function reverseWords(text) {
  return text.trim().split(/\\s+/).filter(Boolean).reverse().join(' ');
}`,
  ],
  TASK_006: [
    'isPalindrome',
    `export function isPalindrome(text) {
  const letters = slugify(text).replace(/-/g, '');
  for (let i = 0, j = letters.length - 1; i < j; i++, j--) {
    if (letters[i] !== letters[j]) return false;
  }
  return letters.length > 0;
}`,
  ],
};

const DOCS = { isPalindrome: 'ignores case, accents and punctuation.' };

const readStdin = () => {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
};

const prompt = readStdin() || (process.env.GOLDLOOP_PROMPT_FILE ? readFileSync(process.env.GOLDLOOP_PROMPT_FILE, 'utf8') : '');
const pace = Number(process.env.GOLDLOOP_DEMO_PACE_MS ?? 150);
const say = async (line) => {
  console.log(line);
  await sleep(pace);
};

const task = /## Your task: (\S+)/.exec(prompt)?.[1];
await say(`demo agent: read the prompt (${prompt.length} characters)`);
const recipe = task && RECIPES[task];
if (!recipe) {
  await say(`demo agent: no recipe for "${task ?? 'this work'}"; leaving the project as it is`);
  process.exit(0);
}
const [name, code] = recipe;
const file = 'src/textkit.js';
await say(`demo agent: working on ${task}: implement ${name}() in ${file}`);
const source = readFileSync(file, 'utf8');
const stub = new RegExp(`export function ${name}\\([^)]*\\) \\{\\n  throw new Error\\('not implemented'\\);\\n\\}`);
if (!stub.test(source)) {
  await say(`demo agent: ${name}() is not a stub any more; nothing to do`);
  process.exit(0);
}
writeFileSync(file, source.replace(stub, code));
await say(`demo agent: edited ${file} (+${code.split('\n').length} lines)`);
const readme = readFileSync('README.md', 'utf8');
const entry = new RegExp(`(- \\\`${name}\\([^)]*\\)\\\`: )TODO document it once it exists\\.`);
if (DOCS[name] && entry.test(readme)) {
  writeFileSync('README.md', readme.replace(entry, `$1${DOCS[name]}`));
  await say('demo agent: documented it in README.md');
}
await say(`demo agent: done with ${task}`);
