// Runs `transfer-lab train <experiment> --json` as a user would (CLI → training host) and reads its result line.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface CliTrainResult {
  /** The engine's own timer around the train request (setup, features, epochs, evaluation, export). */
  seconds: number;
  /** Process start to exit, including the CLI's final evaluation request. */
  wallSeconds: number;
  valAccuracy: number;
  state: string;
  engineDetail: string;
  /** Peak resident memory of the training host process (its worker threads included). */
  hostPeakRssMb: number;
}

export async function trainWithCli(experimentFile: string, cacheDir: string, runsRoot: string): Promise<CliTrainResult> {
  const rssFile = join(runsRoot, `rss-${process.pid}-${Date.now()}.jsonl`);
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'transfer-lab.js'), 'train', experimentFile, '--json', '--engine', 'wasm', '--cache-dir', cacheDir, '--runs', runsRoot], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: `--require ${join(__dirname, 'rssProbe.cjs')}`, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`transfer-lab train exited with ${code}:\n${stderr}`);
  const result = JSON.parse(last);
  const processes = (await readFile(rssFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  await rm(rssFile, { force: true });
  const host = processes.find((p) => basename(p.script ?? '') === 'host.js');
  if (!host) throw new Error(`no peak RSS recorded for the training host (got ${processes.map((p) => p.script).join(', ')})`);
  return {
    seconds: result.seconds, wallSeconds, valAccuracy: result.val_accuracy, state: result.state, engineDetail: result.engine_detail,
    hostPeakRssMb: host.maxRssKb / 1024,
  };
}

/** `transfer-lab doctor <target> --json` (the data doctor) as a user runs it; its engine-timed seconds and the counts it found. */
export async function doctorWithCli(target: string, cacheDir: string): Promise<{ seconds: number; wallSeconds: number; labelIssues: number; duplicates: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'transfer-lab.js'), 'doctor', target, '--json', '--engine', 'wasm', '--cache-dir', cacheDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`transfer-lab doctor exited with ${code}:\n${stderr}`);
  const result = JSON.parse(last);
  return { seconds: result.seconds, wallSeconds: (performance.now() - started) / 1000, labelIssues: result.label_issues.length, duplicates: result.duplicates.length };
}
