// Each measurement runs in its own Node process (fresh heap, fresh JIT, no
// garbage from the one before). The child prints its rows as the last line
// of stdout; progress goes to stderr.
import { spawn } from "node:child_process";

/** Runs `command args`, resolving { code, stdout, stderr, ms }; killed after `timeoutMs`. */
export function exec(command, args, { cwd, env, timeoutMs = 120_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: [input == null ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") reject(new Error(`${command} ${args.join(" ")}: killed after ${timeoutMs} ms\n${stderr}`));
      else resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    if (input != null) {
      child.stdin.on("error", () => {}); // a child that exits early must not crash us (EPIPE)
      child.stdin.end(input);
    }
  });
}

/** Runs a measurement module as `node --expose-gc <file> --child [--quick]`; resolves to its result. */
export function runModule(file, { quick, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const args = ["--expose-gc", file, "--child", ...(quick ? ["--quick"] : [])];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").at(-1);
      if (code === 0) {
        try {
          return resolve(JSON.parse(last));
        } catch {
          // fall through to the error below
        }
      }
      reject(new Error(`${file} ${signal ? `was killed after ${timeoutMs} ms` : `exited ${code}`}\n${stdout.slice(-2000)}`));
    });
  });
}

/** The footer of every measurement module: run `measure` when started by runModule. */
export async function runAsChild(measure) {
  if (!process.argv.includes("--child")) return;
  const result = await measure({ quick: process.argv.includes("--quick") });
  // Exit explicitly: an idle keep-alive socket must not hold the child open.
  await new Promise((resolve) => process.stdout.write(`\n${JSON.stringify(result)}\n`, resolve));
  process.exit(0);
}

export function progress(message) {
  process.stderr.write(`  ${message}\n`);
}
