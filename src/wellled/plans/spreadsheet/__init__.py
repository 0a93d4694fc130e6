"""Action plans in and out of spreadsheets: `read` checks and reads a file; the `*_rules` modules hold the rules for
the mess people type (columns, headings, timescales, statuses, leads), `problems` what is said about it and
`interpret` the walk over a sheet's rows; `importer` previews and applies an import (`compare`, `apply`,
`pending`, `outcome`); `export` writes a plan in the layout the import reads. See docs/import-export.md."""
