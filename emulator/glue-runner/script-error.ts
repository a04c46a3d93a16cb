/** Longest ErrorMessage kept; a Java cause can carry a whole schema. */
const MAX_MESSAGE = 2048;
/** Longest line buffered while waiting for its end. */
const MAX_LINE = 16_384;
const EXCEPTION_LINE = /^[\w.]*(Error|Exception|Exit|Interrupt)\b:?/;

/**
 * Follows a failed script's stderr as it streams and keeps what Glue reports as the run's ErrorMessage:
 * the exception line that ends the last Python traceback (with the Java cause Py4J prints on the line
 * after it), else the last line that names an exception, else the last lines of output.
 *
 * It reads the whole stream, however long: Spark's shutdown logging after a traceback often runs to
 * hundreds of kilobytes, which pushed the exception out of any fixed-size tail.
 */
export class ScriptErrorScanner {
  private partial = '';
  private inTraceback = false;
  private tracebackError?: string;
  private awaitingJavaCause = false;
  private lastExceptionLine?: string;
  private tail: string[] = [];

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!.slice(-MAX_LINE);
    for (const line of lines) this.line(line);
  }

  message(exitCode: number | null): string {
    if (this.partial) {
      this.line(this.partial);
      this.partial = '';
    }
    const message = this.tracebackError ?? this.lastExceptionLine
      ?? `the script exited with code ${exitCode}: ${this.tail.join(' | ') || 'no output'}`;
    return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    const text = line.trim();
    if (!text) return;
    this.tail = [...this.tail, text].slice(-3);
    if (this.awaitingJavaCause) {
      this.awaitingJavaCause = false;
      if (text.startsWith(': ')) {
        this.tracebackError = `${this.tracebackError} ${text}`;
        return;
      }
    }
    if (text === 'Traceback (most recent call last):') {
      this.inTraceback = true;
      return;
    }
    if (this.inTraceback) {
      // Frames are indented; the first line that is not ends the traceback and names the exception.
      if (/^\s/.test(line)) return;
      this.inTraceback = false;
      this.tracebackError = text;
      this.awaitingJavaCause = text.startsWith('py4j.protocol.Py4JJavaError');
      return;
    }
    if (EXCEPTION_LINE.test(text)) this.lastExceptionLine = text;
  }
}
