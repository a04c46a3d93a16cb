"""Pure DataFrame transforms that clean raw sales CSV records (docs/data-contract.md)."""
