// The rule set of the demo's security gate (`eslint --config <this file>`): eslint-plugin-security's
// recommended rules, each an error so that a finding fails the gate. It lives with Goldloop, outside
// the project, where the agent cannot loosen it (and the gate runs ESLint with --no-inline-config,
// so no comment in the code switches a rule off).
import security from 'eslint-plugin-security';

const rules = Object.fromEntries(
  Object.keys(security.configs.recommended.rules)
    // Flags every `a[i]`, the plugin's own documentation warns of its false positives: it would
    // fail honest code (the demo's isPalindrome indexes a string) and teach that the gate cries wolf.
    .filter((rule) => rule !== 'security/detect-object-injection')
    .map((rule) => [rule, 'error']),
);

export default [{ files: ['**/*.js', '**/*.mjs', '**/*.cjs'], plugins: { security }, rules }];
