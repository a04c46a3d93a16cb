-- The loader Lambda's database user (its Data API secret: terraform/redshift.tf). It loads runs and records
-- them, nothing more: no DDL, no other table, not schema_migrations. It has no password here: `npm run
-- db:migrate` sets it from the user's secret after the migrations, so no file and no query log holds it.
-- PASSWORD DISABLE: no login until then (the emulator, on Postgres, creates the role with PASSWORD NULL).
-- TEMP tables (the loader's staging) and the public schema are open to every user by default.

CREATE USER sales_loader PASSWORD DISABLE;

-- sales: the staging table's shape, the MERGE (update and insert), and the delete of an earlier load of
-- the same source object version that a reprocess replaces.
GRANT SELECT, INSERT, UPDATE, DELETE ON sales TO sales_loader;

-- sales_rejected: the staging table's shape, the appended rows, and those of a load a reprocess replaces.
GRANT SELECT, INSERT, DELETE ON sales_rejected TO sales_loader;

-- load_audit: the status lookup, LOCK, the unsettled row a success replaces, and the audit row.
GRANT SELECT, INSERT, DELETE ON load_audit TO sales_loader;
