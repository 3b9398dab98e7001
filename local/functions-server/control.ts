/**
 * The worker's report lines on its stdout start with this (a control character no log line of a
 * function starts with); every other line is the function's own output, passed through.
 */
export const CONTROL_PREFIX = "\u0001edge ";

/** A worker's report, parsed. */
export type ControlMessage =
  | { kind: "ready"; port: number; baselineMb: number }
  | { kind: "oldest"; cpuMs: number | null }
  | { kind: "boot-error" };

export function parseControl(line: string): ControlMessage | null {
  if (!line.startsWith(CONTROL_PREFIX)) return null;
  const [kind, first, second] = line.slice(CONTROL_PREFIX.length).split(" ");
  if (kind === "ready") return { kind, port: Number(first), baselineMb: Number(second) };
  if (kind === "oldest") return { kind, cpuMs: first === "-" ? null : Number(first) };
  if (kind === "boot-error") return { kind };
  return null;
}

/**
 * Splits a stream of text into lines: `onLine` gets each complete line (without its newline);
 * a last line without a newline is given at the end.
 */
export async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let start = 0;
    let newline;
    while ((newline = buffer.indexOf("\n", start)) >= 0) {
      onLine(buffer.slice(start, newline));
      start = newline + 1;
    }
    buffer = buffer.slice(start);
  }
  if (buffer) onLine(buffer);
}

/** CPU time (ms) and resident memory (MB) of a process, from /proc/<pid>/stat (proc(5)). */
export async function readProcStat(pid: number): Promise<{ cpuMs: number; rssMb: number } | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces) start at field 3 (state): utime is
  // field 14, stime 15, rss (pages) 24. Clock ticks are 1/100 s on Linux (sysconf(_SC_CLK_TCK)).
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { cpuMs: ticks * 10, rssMb: Number(fields[21]) * 4096 / 2 ** 20 };
}
