/**
 * Aider adapter: `aider --message-file <prompt file> --yes-always ...`. Aider has no JSON output,
 * so the parser reads its plain text: "Applied edit to <path>", the "Tokens: ... Cost: ..." usage
 * report, and litellm error notices. Flags are from aider's documented options
 * (aider.chat/docs/config/options.html); aider-chat could not be installed here.
 */
import { modelFlags } from './argv.ts';
import { usageEvent } from './events.ts';
import { LimitDetector, looksLikeLimit } from './limits.ts';
import type { AgentAdapter, AgentCommand, AgentEvent, AgentRunOptions, AgentStreamParser } from './types.ts';

/** Aider has no permission modes: non-interactive runs must answer every confirmation yes. */
export const AIDER_PERMISSION_MODES = ['yes-always'] as const;

function buildCommand(options: AgentRunOptions): AgentCommand {
  if (options.permissionMode !== undefined && !(AIDER_PERMISSION_MODES as readonly string[]).includes(options.permissionMode)) {
    throw new Error(`Aider permission mode "${options.permissionMode}" is not supported; aider only runs with --yes-always.`);
  }
  // Aider has no session ids; `--restore-chat-history` would reload whatever chat came last,
  // which is exactly the resume Goldloop never does. A resume request starts a fresh chat.
  const argv = [
    '--message-file',
    options.promptFile,
    '--yes-always',
    // Goldloop makes its own checkpoint commits and rolls back broken cycles.
    '--no-auto-commits',
    '--no-dirty-commits',
    // Plain, unbuffered text the parser can read line by line.
    '--no-pretty',
    '--no-stream',
    '--no-fancy-input',
    // Nothing that waits on the network or on a question before the work starts.
    '--no-check-update',
    '--no-show-release-notes',
  ];
  if (options.model) argv.push(...modelFlags(options.model));
  argv.push(...(options.extraArgs ?? []));
  return { argv };
}

/** "4.2k" -> 4200; aider rounds, so these are approximate counts. */
function tokenCount(text: string): number {
  const m = /^([\d.]+)([kKmM]?)$/.exec(text);
  if (!m) return Number.NaN;
  const scale = m[2]?.toLowerCase() === 'k' ? 1_000 : m[2]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  return Math.round(Number(m[1]) * scale);
}

function usageReport(line: string): AgentEvent | undefined {
  if (!line.startsWith('Tokens: ')) return undefined;
  const sent = /Tokens: ([\d.]+[kKmM]?) sent/.exec(line);
  if (!sent) return undefined;
  const count = (pattern: RegExp): number | undefined => {
    const match = pattern.exec(line);
    return match ? tokenCount(match[1]!) : undefined;
  };
  const cost = /Cost: \$([\d.]+) message/.exec(line);
  return usageEvent({
    inputTokens: tokenCount(sent[1]!),
    outputTokens: count(/([\d.]+[kKmM]?) received/),
    cacheReadTokens: count(/([\d.]+[kKmM]?) cache (?:hit|read)/),
    cacheWriteTokens: count(/([\d.]+[kKmM]?) cache write/),
    costUsd: cost ? Number(cost[1]) : undefined,
  });
}

function createParser(): AgentStreamParser {
  // Aider prints its error and still exits 0, so plain lines count whatever the exit code.
  const limits = new LimitDetector({ plainLinesNeedFailure: false });
  let inFence = false;
  let inEditBlock = false;
  let lastError: string | undefined;

  return {
    line(text, stream) {
      const trimmed = text.trim();
      // Code fences and SEARCH/REPLACE blocks hold file contents the model wrote: echoed text.
      const fence = trimmed.startsWith('```');
      if (fence) inFence = !inFence;
      if (/^<{5,9} SEARCH/.test(trimmed)) inEditBlock = true;
      const echoed = fence || inFence || inEditBlock;
      if (/^>{5,9} REPLACE/.test(trimmed)) inEditBlock = false;
      const raw: AgentEvent = { type: 'raw', stream, line: text };
      if (echoed) return [raw];

      const applied = /^Applied edit to (.+)$/.exec(trimmed);
      if (applied) return [{ type: 'file_change', path: applied[1]!.trim(), kind: 'modify' }];
      const usage = usageReport(trimmed);
      if (usage) {
        // A usage report means the model answered: earlier retried rate-limit notices are moot.
        limits.recovered();
        lastError = undefined;
        return [usage];
      }
      limits.plain(text);
      // litellm's error line, then aider's plain-words explanation of it on the next line.
      if (/^litellm\.\w+Error:/.test(trimmed) && !looksLikeLimit(trimmed)) lastError = trimmed;
      else if (lastError && trimmed.startsWith('The API provider ')) lastError = `${lastError} (${trimmed})`;
      return [raw];
    },
    end(exit) {
      const limit = limits.finish(exit);
      const ok = exit.code === 0 && !exit.killedByGoldloop && limit.length === 0 && lastError === undefined;
      return [
        ...(lastError && limit.length === 0 ? [{ type: 'error' as const, message: lastError }] : []),
        { type: 'result', ok },
        ...limit,
      ];
    },
  };
}

/** Aider (`aider-chat`, a Python program). */
export const aiderAdapter: AgentAdapter = {
  kind: 'aider',
  displayName: 'Aider',
  executable: 'aider',
  installHint: 'python -m pip install aider-install && aider-install',
  // No aider binary could be installed here (PyPI unreachable): flags come from the documented
  // options page, so no version's --help has been checked yet.
  checkedVersions: [],
  buildCommand,
  createParser,
  // ~/.aider.conf.yml, ~/.aider.model.settings.yml, ~/.aider/ (its caches) and the like.
  ownPaths: () => ({ folders: [], homePrefixes: ['.aider'] }),
};
