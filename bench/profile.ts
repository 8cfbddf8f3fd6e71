/**
 * V8's sampling profiler on this process, and its self time summed by source file: the built
 * package's frames mapped back to `src/` through its sourcemaps, dependencies by package, Node's
 * internals by module. By file, not by function, so the summary survives renames.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface Profile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Where a frame's code comes from: its file, and the area (folder or package) the file belongs to. */
export interface Place {
  readonly file: string;
  readonly area: string;
}

const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(repo, 'dist');
const maps = new Map<string, SourceMap | undefined>();
const places = new Map<string, Place | undefined>();

/** `node_modules/<pkg>/<rest>` of a path, scoped packages included, if it is in one. */
function inPackage(path: string): { pkg: string; rest: string } | undefined {
  const at = path.lastIndexOf(`node_modules${sep}`);
  if (at < 0) return undefined;
  const parts = path.slice(at + 'node_modules'.length + 1).split(sep);
  const length = parts[0]?.startsWith('@') ? 2 : 1;
  return { pkg: parts.slice(0, length).join('/'), rest: parts.slice(length).join('/') };
}

function sourceMapOf(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = undefined; // no sourcemap: the frame keeps its built file's name
    }
    maps.set(path, map);
  }
  return maps.get(path);
}

function placeOfFile(path: string, line: number, column: number): Place {
  if (path.startsWith(dist + sep)) {
    const entry = sourceMapOf(path)?.findEntry(line, column);
    const source = entry && 'originalSource' in entry ? resolve(dirname(path), entry.originalSource) : undefined;
    if (!source) return { file: `dist/${relative(dist, path)}`, area: 'tiered-llm (unmapped)' };
    const bundled = inPackage(source);
    if (bundled) return { file: `${bundled.pkg}/${bundled.rest}`, area: `${bundled.pkg} (bundled)` };
    const file = relative(repo, source).split(sep).join('/');
    return { file, area: `tiered-llm ${dirname(file)}/` };
  }
  const dependency = inPackage(path);
  if (dependency) return { file: `${dependency.pkg}/${dependency.rest}`, area: dependency.pkg };
  const file = relative(repo, path).split(sep).join('/');
  return { file, area: file.startsWith('bench/') ? 'the bench itself' : 'other' };
}

/** The place of a frame; undefined for the idle thread, the profile's root and the profiler's own frames. */
export function placeOf(frame: CallFrame): Place | undefined {
  const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}:${frame.url ? '' : frame.functionName}`;
  if (places.has(key)) return places.get(key);
  let place: Place | undefined;
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') place = { file: '(garbage collector)', area: 'garbage collector' };
    else if (frame.functionName === '(program)') place = { file: '(program): V8 and native code', area: 'V8, native code, builtins' };
    else if (frame.functionName !== '(idle)' && frame.functionName !== '(root)')
      place = { file: '(V8 builtins)', area: 'V8, native code, builtins' };
  } else if (frame.url.startsWith('wasm:')) {
    // The only WebAssembly in this process is undici's HTTP parser, llhttp.
    place = { file: 'llhttp (wasm)', area: 'undici (fetch)' };
  } else if (frame.url.startsWith('node:inspector')) {
    place = undefined; // the profiler's own start and stop, outside the calls measured
  } else if (frame.url.startsWith('node:')) {
    place = { file: frame.url, area: frame.url.includes('undici') ? 'undici (fetch)' : 'node internals' };
  } else if (frame.url.startsWith('file:')) {
    place = placeOfFile(fileURLToPath(frame.url), frame.lineNumber, frame.columnNumber);
  } else place = { file: frame.url, area: 'other' };
  places.set(key, place);
  return place;
}

/** Self time in a profile, in µs, by file and by area; and the total (idle time left out). */
export interface SelfTime {
  readonly byFile: Map<string, number>;
  readonly byArea: Map<string, number>;
  busyUs: number;
}

/**
 * The self time of `profile`, added to `into` after multiplying it by `scale`. A builtin with no
 * source of its own (JSON.parse, a promise's then) is counted to the nearest caller that has one,
 * so that it shows where the work was asked for.
 */
export function addSelfTime(profile: Profile, into: SelfTime, scale = 1): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const placeOfNode = (id: number): Place | undefined => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return undefined;
    const isBuiltin = frame.url === '' && !frame.functionName.startsWith('(');
    const caller = parents.get(id);
    if (isBuiltin && caller !== undefined && byId.get(caller)?.callFrame.functionName !== '(root)') return placeOfNode(caller);
    return placeOf(frame);
  };
  const memo = new Map<number, Place | undefined>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap until the next one (as Chrome's DevTools count it).
  for (let i = 0; i < samples.length - 1; i++) {
    const id = samples[i]!;
    if (!memo.has(id)) memo.set(id, placeOfNode(id));
    const place = memo.get(id);
    if (!place) continue;
    const us = (deltas[i + 1] ?? 0) * scale;
    into.byFile.set(place.file, (into.byFile.get(place.file) ?? 0) + us);
    into.byArea.set(place.area, (into.byArea.get(place.area) ?? 0) + us);
    into.busyUs += us;
  }
}

/** Starts V8's sampling profiler on this process (every `intervalUs`); the function returned stops it and returns the profile. */
export async function startProfiler(intervalUs: number): Promise<() => Promise<Profile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile as Profile;
  };
}
