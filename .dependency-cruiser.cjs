/**
 * Goldloop's structure, checked by `npm test` (scripts/test.mjs runs `depcruise`). A violation
 * prints the rule's name, the importing file and the import; docs/architecture.md explains each
 * layer. Layers, bottom to top; each imports only itself and the layers below it:
 *
 *   contract  <  platform  <  store  <  engine  <  server  <  cli, main   (preload: contract only)
 *
 * The renderer imports only the contract. Inside engine/ the folders have an order of their own
 * (ENGINE below), so the cycle (loop/) sits on top of the parts it drives.
 */

/** Each layer and the layers it may import (besides itself). */
const LAYERS = {
  contract: [],
  platform: ['contract'],
  store: ['platform', 'contract'],
  engine: ['store', 'platform', 'contract'],
  server: ['engine', 'store', 'platform', 'contract'],
  cli: ['server', 'engine', 'store', 'platform', 'contract'],
  main: ['server', 'engine', 'store', 'platform', 'contract'],
  preload: ['contract'],
};

/** Each engine folder and the engine folders it may import (besides itself). */
const ENGINE = {
  tasks: [],
  agents: [],
  demo: [],
  gates: ['tasks'],
  guard: ['gates', 'tasks'],
  reports: ['gates', 'tasks', 'agents'],
  plan: ['agents', 'tasks'],
  project: ['gates', 'tasks', 'agents'],
  loop: ['guard', 'gates', 'agents', 'tasks', 'reports'],
};

const alternatives = (names) => `(${names.join('|')})`;

// The contract's rule is stricter than a layer's (contract-imports-nothing, below).
const layerRules = Object.entries(LAYERS)
  .filter(([layer]) => layer !== 'contract')
  .map(([layer, below]) => ({
    name: `layer-${layer}`,
    comment: `electron/${layer}/ imports only ${below.length ? `electron/{${below.join(',')}}/ and ` : ''}itself`,
    severity: 'error',
    from: { path: `^electron/${layer}/` },
    to: { path: '^electron/', pathNot: `^electron/${alternatives([layer, ...below])}/` },
  }));

const engineRules = Object.entries(ENGINE).map(([folder, below]) => ({
  name: `engine-${folder}`,
  comment: `electron/engine/${folder}/ imports only ${below.length ? `engine/{${below.join(',')}}/ and ` : ''}itself within the engine`,
  severity: 'error',
  from: { path: `^electron/engine/${folder}/` },
  to: { path: '^electron/engine/', pathNot: `^electron/engine/${alternatives([folder, ...below])}/` },
}));

/** The files that wire Electron in; everything else is plain Node, which tests load without Electron. */
const ELECTRON_WIRING = ['main/main', 'main/window', 'main/protocol', 'main/settings-electron', 'preload/preload'];

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'no file reaches itself through its imports',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-contract-only',
      comment: 'the dashboard talks to the engine through electron/contract/ only, whichever transport carries it',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/', pathNot: '^electron/contract/' },
    },
    {
      name: 'renderer-svelte-only',
      comment: 'the dashboard bundles svelte and nothing else from npm: its size is watched by the bench',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: 'node_modules/svelte/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'the dashboard runs in a browser: no Node built-ins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'electron-only-in-wiring',
      comment: `only ${ELECTRON_WIRING.join(', ')} import electron (or electron-store, which imports it): tests load the rest in plain Node`,
      severity: 'error',
      from: { pathNot: `^electron/${alternatives(ELECTRON_WIRING)}\\.ts$` },
      to: { path: '^(electron|electron-store)$|node_modules/(electron|electron-store)/' },
    },
    {
      name: 'contract-imports-nothing',
      comment: 'electron/contract/ is bundled into the dashboard and the preload: it imports only itself, no package, no Node module',
      severity: 'error',
      from: { path: '^electron/contract/' },
      to: { pathNot: '^electron/contract/' },
    },
    {
      name: 'settings-one-entry',
      comment: 'all settings are read and written through electron/store/settings/index.ts, never the files behind it',
      severity: 'error',
      from: { pathNot: '^electron/store/settings/' },
      to: { path: '^electron/store/settings/', pathNot: '^electron/store/settings/index\\.ts$' },
    },
    ...layerRules,
    ...engineRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'] },
  },
};
