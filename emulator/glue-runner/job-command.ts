import { basename } from 'node:path';

/** Glue's special parameters that configure the run; Glue still passes them to the script, like every argument. */
export function mergeJobArguments(options: { defaults: Record<string, string>; run: Record<string, string>; jobName: string; runId: string }) {
  return { ...options.defaults, ...options.run, '--JOB_NAME': options.jobName, '--JOB_RUN_ID': options.runId };
}

export function scriptArgv(args: Record<string, string>): string[] {
  return Object.entries(args).flatMap(([name, value]) => [name.startsWith('--') ? name : `--${name}`, value]);
}

/** Spark settings that make s3://<bucket>/… paths resolve to <mountDir>/<bucket>/… in local mode. */
export function s3MountConf(options: { buckets: string[]; mountDir: string }): string[] {
  const conf = [
    'spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.viewfs.ViewFileSystemOverloadScheme',
    'spark.hadoop.fs.viewfs.overload.scheme.target.s3.impl=org.apache.hadoop.fs.RawLocalFileSystem',
    'spark.hadoop.fs.s3.impl.disable.cache=true',
  ];
  for (const bucket of options.buckets) {
    conf.push(`spark.hadoop.fs.viewfs.mounttable.${bucket}.linkFallback=file://${options.mountDir}/${bucket}`);
  }
  return conf;
}

/** The command line of a glueetl run: spark-submit in local mode with the job's Python files. */
export function sparkSubmitArgs(options: { script: string; pyFiles: string[]; conf: string[]; args: string[]; name?: string }): string[] {
  return [
    '--master', 'local[2]',
    '--name', options.name ?? basename(options.script),
    '--conf', 'spark.ui.enabled=false',
    ...options.conf.flatMap((setting) => ['--conf', setting]),
    ...(options.pyFiles.length > 0 ? ['--py-files', options.pyFiles.join(',')] : []),
    options.script,
    ...options.args,
  ];
}
