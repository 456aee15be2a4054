/**
 * Gold is bound to the tree it was measured on: the project's content, as a tree of Goldloop's
 * private snapshots (files git ignores and `.goldloop/` left out), recorded when a run ends gold
 * and compared whenever a status is read. A project changed since — by the agent after Goldloop
 * ended, by a forged state, or by the user — is not gold until it is measured again.
 */
import { openSnapshots } from './state-folder.ts';
import type { RunState } from './run-state.ts';

/** Each reader stages into its own index, apart from the loop's. */
const GOLD_INDEX = 'index-gold';
const STATUS_INDEX = 'index-status';

/** The project's content now, as Goldloop's snapshots see it. */
export async function goldTree(projectDir: string, index = GOLD_INDEX): Promise<string> {
  return (await openSnapshots(projectDir)).tree(index);
}

/** Why the last gold no longer holds, or undefined while the project is still the tree it was measured on. */
export async function staleGold(projectDir: string, rs: RunState | undefined): Promise<string | undefined> {
  const again = '`goldloop run` measures it again';
  if (!rs?.gold_tree)
    return `gold was measured, but not bound to the project's content (a run that did not finish, or an earlier version); ${again}`;
  let now: string;
  try {
    now = await goldTree(projectDir, STATUS_INDEX);
  } catch (error) {
    return `gold measured, but the project's content cannot be read to compare (${(error as Error).message}); ${again}`;
  }
  return now === rs.gold_tree ? undefined : `gold measured on an earlier tree: the project has changed since; ${again}`;
}
