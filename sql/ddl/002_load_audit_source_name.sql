-- Source profiles (docs/data-contract.md): the profile a run was cleaned with, from its run manifest's
-- source_profile.name (or, for a run that ended without a manifest, its --source_profile_uri). NULL for
-- a file read with the contract's own header matching.
ALTER TABLE load_audit ADD COLUMN source_name VARCHAR(64);
