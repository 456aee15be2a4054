export interface TreeProcess {
  pid: number;
  rssMiB: number;
  /** User and system CPU time used so far. */
  cpuSeconds: number;
}

/** Every process under `root` (itself included), leaving out those in `except` and what runs under them. */
export function processTree(root: number, except?: ReadonlySet<number>): TreeProcess[];
