/**
 * npm run bench:size: what `npm install tiered-llm` puts on disk. Packs the package, installs the
 * tarball into an empty project with its peer dependencies left out (openai, and the optional
 * gpt-tokenizer, ioredis and @opentelemetry/api), and sums node_modules per package. Writes the
 * "Install size" section of bench/RESULTS.md, leaving the rest of that file as it is.
 *   npm run bench:size        (builds first; the install may come from npm's cache)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bytes, as npm's `unpackedSize` counts them: the files' lengths. Disk use adds the file system's blocks.
const GOAL_BYTES = 8_000_000;

interface Size {
  bytes: number;
  disk: number;
  maps: number;
  types: number;
}

interface Installed extends Size {
  name: string;
  version: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, 'bench/RESULTS.md');

/** The files under `dir`, summed; a nested node_modules is another package's, not this one's. */
function sizeOf(dir: string): Size {
  const size: Size = { bytes: 0, disk: 0, maps: 0, types: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      const inner = sizeOf(path);
      size.bytes += inner.bytes;
      size.disk += inner.disk;
      size.maps += inner.maps;
      size.types += inner.types;
    } else if (entry.isFile()) {
      const stat = lstatSync(path);
      size.bytes += stat.size;
      size.disk += stat.blocks * 512;
      if (entry.name.endsWith('.map')) size.maps += stat.size;
      else if (/\.d\.[cm]?ts$/.test(entry.name)) size.types += stat.size;
    }
  }
  return size;
}

/** Every package installed under `nodeModules`, nested copies included. */
function packagesIn(nodeModules: string): Installed[] {
  if (!existsSync(nodeModules)) return [];
  const dirs = readdirSync(nodeModules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) =>
      entry.name.startsWith('@')
        ? readdirSync(join(nodeModules, entry.name)).map((name) => join(nodeModules, entry.name, name))
        : [join(nodeModules, entry.name)],
    );
  return dirs.flatMap((dir) => [packageAt(dir), ...packagesIn(join(dir, 'node_modules'))]);
}

function packageAt(dir: string): Installed {
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name, version, ...sizeOf(dir) };
}

const npm = (cwd: string, args: string[]) => execFileSync('npm', args, { cwd, encoding: 'utf8' }).trim();
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

const work = mkdtempSync(join(tmpdir(), 'tiered-llm-size-'));
try {
  const tarball = join(work, npm(root, ['pack', '--silent', '--pack-destination', work]).split('\n').at(-1)!);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "install-size", "private": true }\n');
  npm(project, ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', tarball]);

  const installed = packagesIn(join(project, 'node_modules')).sort((a, b) => b.bytes - a.bytes);
  const total = installed.reduce((sum, p) => ({ bytes: sum.bytes + p.bytes, disk: sum.disk + p.disk }), { bytes: 0, disk: 0 });
  const own = installed.find((p) => p.name === 'tiered-llm');
  if (own === undefined) throw new Error('bench:size: the tarball did not install tiered-llm');
  const leaked = installed.filter((p) => ['openai', 'gpt-tokenizer', 'ioredis', '@opentelemetry/api'].includes(p.name));
  if (leaked.length > 0) throw new Error(`bench:size: peers were installed: ${leaked.map((p) => p.name).join(', ')}`);

  const maps = installed.reduce((sum, p) => sum + p.maps, 0);
  const types = installed.reduce((sum, p) => sum + p.types, 0);
  const rows = installed.map(
    (p) => `| ${p.name}@${p.version} | ${p.bytes.toLocaleString('en')} | ${mb(p.bytes)} | ${mb(p.maps)} | ${mb(p.types)} | ${mb(p.disk)} |`,
  );
  // The optional peer, as this repository installs it for its tests: what exact token counts add.
  const tokenizerDir = join(root, 'node_modules/gpt-tokenizer');
  const tokenizer = existsSync(tokenizerDir) ? packageAt(tokenizerDir) : undefined;
  const section = [
    '## Install size',
    '',
    `\`npm run bench:size\` on ${new Date().toISOString().slice(0, 10)}: the packed tarball (${mb(lstatSync(tarball).size)}) installed ` +
      `into an empty project with \`npm install --omit=peer\`, node ${process.version}, npm ${npm(root, ['--version'])}. ` +
      `Peers are left out: openai (required) and the optional gpt-tokenizer, ioredis and @opentelemetry/api. ` +
      `Bytes are the files' lengths (as npm's unpackedSize); disk adds the file system's block rounding.`,
    '',
    '| package | bytes | MB | of which source maps | of which declarations | on disk |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **total** | ${total.bytes.toLocaleString('en')} | **${mb(total.bytes)}** | ${mb(maps)} | ${mb(types)} | ${mb(total.disk)} |`,
    '',
    `Goal: under ${mb(GOAL_BYTES)}: ${total.bytes < GOAL_BYTES ? 'met' : 'MISSED'}.` +
      (tokenizer === undefined
        ? ''
        : ` Exact token counts (\`npm install gpt-tokenizer\`, ${tokenizer.version} here) add ${mb(tokenizer.bytes)}.`),
    '',
  ].join('\n');
  console.log(section);

  // Only this section is rewritten: it runs up to the next second-level heading or the end of the file.
  const text = existsSync(results) ? readFileSync(results, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf('\n## Install size\n');
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start + 1)}${section}${end < 0 ? '' : text.slice(end)}`;
  writeFileSync(results, updated);
} finally {
  rmSync(work, { recursive: true, force: true });
}
