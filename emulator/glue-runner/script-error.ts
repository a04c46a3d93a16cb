/** Longest ErrorMessage kept; a Java cause can carry a whole schema. */
const MAX_MESSAGE = 2048;
/** Longest line buffered while waiting for its end. */
const MAX_LINE = 16_384;
const EXCEPTION_LINE = /^[\w.$]*(Error|Exception|Exit|Interrupt)\b:?/;
/** A dotted module or package path in front of a class name: `pyspark.errors.exceptions.captured.`, `java.io.`. */
const QUALIFIED_CLASS = /^(?:[a-z_][\w$]*\.)+(?=[A-Z][\w$]*(?::|$))/;
/** Spark's wrapper around a failed task: the part before the task's own exception says nothing to the user. */
const STAGE_FAILURE = /^SparkException: Job aborted due to stage failure: .*?Lost task [\d.]+ in stage [\d.]+ \(TID \d+\) \([^)]*\): /;

export type OutputStream = 'stdout' | 'stderr';

/** What a Python traceback ended with; for Py4J errors, the Java exception and its root cause. */
interface Finding {
  exception: string;
  javaTop?: string;
  javaRoot?: string;
  /** Order of discovery across both streams: the latest traceback is the one that ended the script. */
  order: number;
}

/** `pkg.mod.SomeError: text` → `SomeError: text`: the class name is the user's term, its module is not. */
export function unqualified(line: string): string {
  return line.replace(QUALIFIED_CLASS, '');
}

/** The line-by-line state of one output stream. */
class StreamScan {
  partial = '';
  inTraceback = false;
  /** After a Py4JJavaError: its Java exception (`: …` line) and the `Caused by:` lines that follow. */
  java?: Finding;
  awaitingJavaTop = false;
}

/**
 * Follows a failed script's output as it streams and keeps what Glue reports as the run's ErrorMessage:
 * the exception that ends the last Python traceback, in the user's terms (class names without their
 * modules; for an error raised in the JVM, the Java exception and its root cause), else the last line
 * that names an exception; never Spark's log lines.
 *
 * Both streams are read: spark-submit merges the Python driver's stderr into its own stdout, so a
 * PySpark job's traceback arrives on stdout while Spark's logging arrives on stderr. Each stream is
 * read whole, however long: shutdown logging after a traceback often runs to hundreds of kilobytes.
 */
export class ScriptErrorScanner {
  private readonly streams: Record<OutputStream, StreamScan> = { stdout: new StreamScan(), stderr: new StreamScan() };
  private traceback?: Finding;
  private lastExceptionLine?: string;
  private lastOutputLine?: string;
  private order = 0;

  push(chunk: string, stream: OutputStream = 'stderr'): void {
    const scan = this.streams[stream];
    const lines = (scan.partial + chunk).split('\n');
    scan.partial = lines.pop()!.slice(-MAX_LINE);
    for (const line of lines) this.line(scan, line);
  }

  /**
   * The ErrorMessage of a run whose process ended with `exit` (a code, or the signal that killed it).
   * `local` rewrites paths the job never named (the emulator's scratch folders) into the user's terms.
   */
  message(exit: { code: number | null; signal?: NodeJS.Signals | null }, local: (text: string) => string = (text) => text): string {
    for (const scan of Object.values(this.streams)) {
      if (scan.partial) this.line(scan, scan.partial);
      scan.partial = '';
    }
    const message = local(this.traceback ? describe(this.traceback) : this.lastExceptionLine ?? exitWithoutException(exit, this.lastOutputLine));
    return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  }

  private line(scan: StreamScan, raw: string): void {
    const line = raw.replace(/\r$/, '');
    const text = line.trim();
    if (!text) return;
    if (text === 'Traceback (most recent call last):') {
      scan.inTraceback = true;
      scan.java = undefined;
      return;
    }
    if (scan.awaitingJavaTop) {
      scan.awaitingJavaTop = false;
      if (text.startsWith(': ') && scan.java) {
        scan.java.javaTop = text.slice(2).trim();
        return;
      }
    }
    if (scan.inTraceback) {
      // Frames are indented; the first line that is not ends the traceback and names the exception.
      if (/^\s/.test(line)) return;
      scan.inTraceback = false;
      this.traceback = { exception: text, order: this.order++ };
      if (text.startsWith('py4j.protocol.Py4JJavaError')) {
        scan.java = this.traceback;
        scan.awaitingJavaTop = true;
      }
      return;
    }
    if (scan.java && text.startsWith('Caused by: ')) {
      scan.java.javaRoot = text.slice('Caused by: '.length);
      return;
    }
    if (isLogLine(text) || /^at\s|^\.\.\. \d+ more$/.test(text)) return;
    if (EXCEPTION_LINE.test(text)) this.lastExceptionLine = unqualified(text);
    else this.lastOutputLine = text;
  }
}

/** Spark's log4j lines (`25/01/02 10:00:00 INFO Class: …`): noise in an ErrorMessage, whatever their level. */
function isLogLine(text: string): boolean {
  return /^\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /.test(text);
}

function describe(finding: Finding): string {
  if (!finding.javaTop) return unqualified(finding.exception);
  const top = unqualified(finding.javaTop);
  const task = top.replace(STAGE_FAILURE, '');
  const head = task === top ? top : `a Spark task failed: ${unqualified(task)}`;
  const root = finding.javaRoot && unqualified(finding.javaRoot);
  if (!root || head.endsWith(root)) return head;
  return `${head.replace(/:\s*$/, '')} (caused by ${root})`;
}

function exitWithoutException(exit: { code: number | null; signal?: NodeJS.Signals | null }, lastOutput: string | undefined): string {
  if (exit.signal) {
    return `the job's process was killed by ${exit.signal} before the script finished`
      + (exit.signal === 'SIGKILL' ? ' (the machine may have run out of memory)' : '');
  }
  return `the script exited with code ${exit.code} without raising an exception`
    + (lastOutput ? `; its last output: ${lastOutput}` : ' and printed nothing but Spark\'s logging');
}
