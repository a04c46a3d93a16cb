import type pg from 'pg';

/**
 * Redshift's functions where Postgres has none, or one with another result type, installed in every
 * database the Data API uses, in a schema that sessions search before pg_catalog (see
 * `redshiftSessionSettings`), so a same-named Redshift version wins. Each follows the Redshift Database
 * Developer Guide's page for the function:
 *
 * - DATE_TRUNC returns TIMESTAMP (Postgres: TIMESTAMPTZ for a DATE argument).
 * - EXTRACT returns INTEGER, DOUBLE PRECISION for a TIMESTAMPTZ (Postgres: NUMERIC); its millisecond and
 *   microsecond parts are the fraction of the second only. The dialect rewrites `EXTRACT(part FROM x)` to
 *   `extract_part('part', x)`: Postgres binds EXTRACT to pg_catalog whatever the search path.
 * - SUM of BIGINT returns BIGINT (Postgres: NUMERIC).
 * - AVG of an integer returns BIGINT, its integer part; AVG of a DECIMAL keeps the argument's scale
 *   (Postgres: NUMERIC with up to 20 decimals).
 * - PERCENTILE_CONT and MEDIAN of integers and decimals return DECIMAL (Postgres: DOUBLE PRECISION, and
 *   no MEDIAN at all).
 * - DATEADD and DATEDIFF, which Postgres lacks; the dialect quotes their date part (`DATEADD(month, …)`).
 */
export const COMPAT_SCHEMA = 'redshift_compat';

/** Role settings of the Data API's sessions: UTC, as Redshift's sessions, and the compat schema before pg_catalog. */
export const redshiftSessionSettings: Record<string, string> = {
  search_path: `"$user", public, ${COMPAT_SCHEMA}, pg_catalog`,
  timezone: 'UTC',
};

const s = COMPAT_SCHEMA;
const integerTypes = ['smallint', 'integer', 'bigint'];

/** The fraction-of-second parts, by every name Redshift gives them. */
const millisecondNames = ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon'];
const microsecondNames = ['microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs'];
const quoted = (names: string[]) => names.map((name) => `'${name}'`).join(', ');

function extractFunctions(): string[] {
  const body = (source: string) => `SELECT CASE
      WHEN lower(part) IN (${quoted(millisecondNames)}) THEN trunc(pg_catalog.extract('microseconds', ${source}) / 1000) % 1000
      WHEN lower(part) IN (${quoted(microsecondNames)}) THEN pg_catalog.extract('microseconds', ${source}) % 1000000
      ELSE trunc(pg_catalog.extract(part, ${source}))
    END`;
  return [
    ...['timestamp', 'time', 'timetz', 'interval'].map((type) => `CREATE OR REPLACE FUNCTION ${s}.extract_part(part text, value ${type}) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ ${body('value')} $$`),
    `CREATE OR REPLACE FUNCTION ${s}.extract_part(part text, value date) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ ${body('value::timestamp')} $$`,
    `CREATE OR REPLACE FUNCTION ${s}.extract_part(part text, value timestamptz) RETURNS double precision
      LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ ${body('value')} $$`,
  ];
}

function dateFunctions(): string[] {
  const unit = `CASE lower(part)
      WHEN 'year' THEN 'year' WHEN 'years' THEN 'year' WHEN 'y' THEN 'year' WHEN 'yr' THEN 'year' WHEN 'yrs' THEN 'year'
      WHEN 'quarter' THEN 'quarter' WHEN 'quarters' THEN 'quarter' WHEN 'qtr' THEN 'quarter' WHEN 'qtrs' THEN 'quarter'
      WHEN 'month' THEN 'month' WHEN 'months' THEN 'month' WHEN 'mon' THEN 'month' WHEN 'mons' THEN 'month'
      WHEN 'week' THEN 'week' WHEN 'weeks' THEN 'week' WHEN 'w' THEN 'week'
      WHEN 'day' THEN 'day' WHEN 'days' THEN 'day' WHEN 'd' THEN 'day'
      WHEN 'hour' THEN 'hour' WHEN 'hours' THEN 'hour' WHEN 'h' THEN 'hour' WHEN 'hr' THEN 'hour' WHEN 'hrs' THEN 'hour'
      WHEN 'minute' THEN 'minute' WHEN 'minutes' THEN 'minute' WHEN 'm' THEN 'minute' WHEN 'min' THEN 'minute' WHEN 'mins' THEN 'minute'
      WHEN 'second' THEN 'second' WHEN 'seconds' THEN 'second' WHEN 's' THEN 'second' WHEN 'sec' THEN 'second' WHEN 'secs' THEN 'second'
      ${millisecondNames.map((name) => `WHEN '${name}' THEN 'millisecond'`).join(' ')}
      ${microsecondNames.map((name) => `WHEN '${name}' THEN 'microsecond'`).join(' ')}
    END`;
  const monthNumber = (value: string) => `(pg_catalog.extract('year', ${value}) * 12 + pg_catalog.extract('month', ${value}))`;
  const epoch = (value: string) => `pg_catalog.extract('epoch', ${value})`;
  return [
    `CREATE OR REPLACE FUNCTION ${s}.unknown_datepart(part text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN RAISE EXCEPTION 'date part "%" is not supported by Redshift', part USING ERRCODE = '22023'; END $$`,
    `CREATE OR REPLACE FUNCTION ${s}.datepart_unit(part text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT COALESCE(${unit}, ${s}.unknown_datepart(part)) $$`,
    `CREATE OR REPLACE FUNCTION ${s}.dateadd(part text, amount bigint, value timestamp) RETURNS timestamp
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT CASE ${s}.datepart_unit(part)
        WHEN 'quarter' THEN value + make_interval(months => (amount * 3)::int)
        WHEN 'millisecond' THEN value + amount * interval '1 millisecond'
        WHEN 'microsecond' THEN value + amount * interval '1 microsecond'
        ELSE value + amount * ('1 ' || ${s}.datepart_unit(part))::interval
      END $$`,
    `CREATE OR REPLACE FUNCTION ${s}.dateadd(part text, amount bigint, value date) RETURNS timestamp
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ${s}.dateadd(part, amount, value::timestamp) $$`,
    `CREATE OR REPLACE FUNCTION ${s}.datediff(part text, earlier timestamp, later timestamp) RETURNS bigint
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT (CASE ${s}.datepart_unit(part)
        WHEN 'year' THEN pg_catalog.extract('year', later) - pg_catalog.extract('year', earlier)
        WHEN 'quarter' THEN (pg_catalog.extract('year', later) * 4 + pg_catalog.extract('quarter', later)) - (pg_catalog.extract('year', earlier) * 4 + pg_catalog.extract('quarter', earlier))
        WHEN 'month' THEN ${monthNumber('later')} - ${monthNumber('earlier')}
        WHEN 'week' THEN (pg_catalog.date_trunc('week', later)::date - pg_catalog.date_trunc('week', earlier)::date) / 7
        WHEN 'day' THEN later::date - earlier::date
        WHEN 'hour' THEN (${epoch("pg_catalog.date_trunc('hour', later)")} - ${epoch("pg_catalog.date_trunc('hour', earlier)")}) / 3600
        WHEN 'minute' THEN (${epoch("pg_catalog.date_trunc('minute', later)")} - ${epoch("pg_catalog.date_trunc('minute', earlier)")}) / 60
        WHEN 'second' THEN ${epoch("pg_catalog.date_trunc('second', later)")} - ${epoch("pg_catalog.date_trunc('second', earlier)")}
        WHEN 'millisecond' THEN trunc(${epoch('later')} * 1000) - trunc(${epoch('earlier')} * 1000)
        ELSE trunc(${epoch('later')} * 1000000) - trunc(${epoch('earlier')} * 1000000)
      END)::bigint $$`,
    `CREATE OR REPLACE FUNCTION ${s}.datediff(part text, earlier date, later date) RETURNS bigint
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ${s}.datediff(part, earlier::timestamp, later::timestamp) $$`,
    `CREATE OR REPLACE FUNCTION ${s}.date_trunc(part text, value date) RETURNS timestamp
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.date_trunc(part, value::timestamp) $$`,
    `CREATE OR REPLACE FUNCTION ${s}.date_trunc(part text, value timestamptz) RETURNS timestamp
      LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.date_trunc(part, value::timestamp) $$`,
  ];
}

function aggregates(): string[] {
  const statements = [
    `CREATE OR REPLACE AGGREGATE ${s}.sum(bigint) (SFUNC = pg_catalog.int8pl, STYPE = bigint, COMBINEFUNC = pg_catalog.int8pl, PARALLEL = SAFE)`,
    // count and sum as numeric, so no input overflows the state; the result is the average's integer part.
    `CREATE OR REPLACE FUNCTION ${s}.avg_integer_final(state numeric[]) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT CASE WHEN state[1] = 0 THEN NULL ELSE trunc(state[2] / state[1])::bigint END $$`,
    // count, sum and the largest scale seen, which is the column's scale for a DECIMAL column.
    `CREATE OR REPLACE FUNCTION ${s}.avg_decimal_step(state numeric[], value numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT ARRAY[state[1] + 1, state[2] + value, greatest(state[3], pg_catalog.scale(value))] $$`,
    `CREATE OR REPLACE FUNCTION ${s}.avg_decimal_final(state numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT CASE WHEN state[1] = 0 THEN NULL ELSE round(state[2] / state[1], state[3]::int) END $$`,
    `CREATE OR REPLACE AGGREGATE ${s}.avg(numeric) (SFUNC = ${s}.avg_decimal_step, STYPE = numeric[], INITCOND = '{0,0,0}', FINALFUNC = ${s}.avg_decimal_final)`,
    // The values of a group, for the inverse distribution functions, and their linear interpolation.
    `CREATE OR REPLACE FUNCTION ${s}.percentile_of(state numeric[], percentile double precision) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      WITH sorted AS (SELECT array_agg(value ORDER BY value) AS values FROM unnest(state) AS value),
      position AS (SELECT values, percentile::numeric * (cardinality(values) - 1) AS at FROM sorted)
      SELECT CASE WHEN cardinality(values) IS NULL OR cardinality(values) = 0 THEN NULL
        WHEN at = floor(at) THEN values[floor(at)::int + 1]
        ELSE values[floor(at)::int + 1] + (at - floor(at)) * (values[ceil(at)::int + 1] - values[floor(at)::int + 1]) END
      FROM position $$`,
    `CREATE OR REPLACE FUNCTION ${s}.median_final(state numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ${s}.percentile_of(state, 0.5) $$`,
    `CREATE OR REPLACE FUNCTION ${s}.median_float_final(state numeric[]) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ${s}.percentile_of(state, 0.5)::double precision $$`,
  ];
  for (const type of [...integerTypes, 'numeric', 'double precision']) {
    const name = type.replace(' ', '_');
    statements.push(`CREATE OR REPLACE FUNCTION ${s}.collect_${name}(state numeric[], value ${type}) RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN value IS NULL THEN state ELSE array_append(state, value::numeric) END $$`);
    const isFloat = type === 'double precision';
    statements.push(`CREATE OR REPLACE AGGREGATE ${s}.median(${type}) (SFUNC = ${s}.collect_${name}, STYPE = numeric[], INITCOND = '{}', FINALFUNC = ${s}.${isFloat ? 'median_float_final' : 'median_final'})`);
    if (isFloat) continue;
    statements.push(`CREATE OR REPLACE FUNCTION ${s}.percentile_final_${name}(state numeric[], percentile double precision, unused ${type}) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ${s}.percentile_of(state, percentile) $$`);
    statements.push(`CREATE OR REPLACE AGGREGATE ${s}.percentile_cont(double precision ORDER BY ${type}) (SFUNC = ${s}.collect_${name}, STYPE = numeric[], INITCOND = '{}', FINALFUNC = ${s}.percentile_final_${name}, FINALFUNC_EXTRA)`);
    if (type === 'numeric') continue;
    statements.push(`CREATE OR REPLACE FUNCTION ${s}.avg_integer_step_${name}(state numeric[], value ${type}) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT ARRAY[state[1] + 1, state[2] + value] $$`);
    statements.push(`CREATE OR REPLACE AGGREGATE ${s}.avg(${type}) (SFUNC = ${s}.avg_integer_step_${name}, STYPE = numeric[], INITCOND = '{0,0}', FINALFUNC = ${s}.avg_integer_final)`);
  }
  return statements;
}

/** Bumped whenever the functions change, so databases prepared by an earlier emulator get the new ones. */
const VERSION = 1;

/**
 * Installs the functions in the database the admin connection is on, once per version: a lock keeps
 * two emulators on one engine from racing, and a comment on the schema records the version.
 */
export async function installRedshiftFunctions(admin: pg.ClientBase): Promise<void> {
  await admin.query('BEGIN');
  try {
    await admin.query(`SELECT pg_advisory_xact_lock(hashtext('${s}'))`);
    const { rows } = await admin.query<{ version: string | null }>(`SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = $1`, [s]);
    if (rows[0]?.version !== `version ${VERSION}`) {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await admin.query(`GRANT USAGE ON SCHEMA ${s} TO PUBLIC`);
      for (const statement of [...dateFunctions(), ...extractFunctions(), ...aggregates()]) await admin.query(statement);
      await admin.query(`COMMENT ON SCHEMA ${s} IS 'version ${VERSION}'`);
    }
    await admin.query('COMMIT');
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
