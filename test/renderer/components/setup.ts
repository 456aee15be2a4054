// Installed before any component module loads: `lib/api.ts` picks the bridge when
// `window.goldloop` exists, so the components talk to the in-memory client through the real
// bridge wrapper (errors rebuilt as ApiError, as in the desktop app).
import { afterEach } from 'vitest';
import { fake } from './harness.ts';

window.goldloop = fake.bridge;
// jsdom lays nothing out: give the log's virtual list a size and let scrolling calls succeed.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
window.scrollTo = () => {};
// `bind:clientHeight` observes sizes; jsdom has no layout, so sizes never change and none is reported.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

afterEach(() => {
  fake.reset();
  history.replaceState(null, '', '/');
});
