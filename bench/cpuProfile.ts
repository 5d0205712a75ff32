// A CPU profile of the process it runs in, taken with the inspector around the measured part of a
// scenario only (not start-up or warm-up), and summed up as the functions with the most self time.
import { Session } from 'node:inspector/promises';

export interface ProfileEntry {
  /** Function name and where it is: file:line (node_modules paths shortened to the package). */
  frame: string;
  selfMs: number;
  /** Of all samples, idle included. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples where the process was idle (waiting on I/O). */
  idleShare: number;
  top: ProfileEntry[];
  /** For the first few top entries: who they ran for, as the nearest caller in our code or a package. */
  callers: { frame: string; callers: { owner: string; share: number }[] }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Top entries whose callers are shown, and callers shown for each. */
const CALLER_ENTRIES = 3;
const CALLERS_EACH = 4;

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export class CpuProfiler {
  private session: Session | null = null;

  async start(): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    // 1 ms: enough resolution for a run of tens of seconds without slowing the server much.
    await session.post('Profiler.setSamplingInterval', { interval: 1_000 });
    await session.post('Profiler.start');
    this.session = session;
  }

  async stop(topN: number): Promise<ProfileSummary | null> {
    const session = this.session;
    if (!session) return null;
    this.session = null;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    return summarize(profile, topN);
  }
}

export function summarize(profile: Profile, topN: number): ProfileSummary {
  const frames = new Map<number, string>();
  for (const node of profile.nodes) frames.set(node.id, frameName(node.callFrame));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    const frame = frames.get(id) ?? '(unknown)';
    selfUs.set(frame, (selfUs.get(frame) ?? 0) + delta);
  });
  const share = (us: number) => (totalUs > 0 ? us / totalUs : 0);
  const top = [...selfUs.entries()]
    .filter(([frame]) => frame !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: share(us) }));
  return {
    totalMs: totalUs / 1000,
    idleShare: share(selfUs.get('(idle)') ?? 0),
    top,
    callers: callersOf(profile, frames, top.slice(0, CALLER_ENTRIES)),
  };
}

/** A native entry such as writev says little alone: whose socket was it? The nearest ancestor in
 *  our code or in a package (undici counts as one) names who the time was spent for. */
function callersOf(profile: Profile, frames: Map<number, string>, entries: ProfileEntry[]): ProfileSummary['callers'] {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const owned = (node: ProfileNode) => {
    const url = node.callFrame.url;
    return url.includes('node_modules/') || url.includes('/src/') || url.includes('node:internal/deps/');
  };
  const ownerOf = (id: number): string => {
    let node = parent.get(id);
    while (node && !owned(node)) node = parent.get(node.id);
    if (!node) return '(no caller of ours)';
    const url = node.callFrame.url;
    const modules = url.lastIndexOf('node_modules/');
    if (modules >= 0)
      return url
        .slice(modules + 'node_modules/'.length)
        .split('/')
        .slice(0, 3)
        .join('/');
    if (url.includes('node:internal/deps/')) return url.replace(/^.*node:internal\/deps\//, '');
    return frames.get(node.id) ?? '(unknown)';
  };
  return entries.map((entry) => {
    const us = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      if (frames.get(id) !== entry.frame || !byId.has(id)) return;
      const delta = profile.timeDeltas[i] ?? 0;
      const owner = ownerOf(id);
      us.set(owner, (us.get(owner) ?? 0) + delta);
      total += delta;
    });
    const callers = [...us.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, CALLERS_EACH)
      .map(([owner, t]) => ({ owner, share: total > 0 ? t / total : 0 }));
    return { frame: entry.frame, callers };
  });
}

function frameName(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const modules = frame.url.lastIndexOf('node_modules/');
  const where =
    modules >= 0 ? frame.url.slice(modules + 'node_modules/'.length) : frame.url.replace(/^.*\/(src|bench)\//, '$1/');
  return `${name} ${where}:${frame.lineNumber + 1}`;
}
