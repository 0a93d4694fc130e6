"""Action plans in and out of spreadsheets: `read` checks and reads a file, `interpret` holds the rules for the mess
people type, `importer` previews and applies an import, `export` writes a plan in the layout the import reads.
See docs/import-export.md."""
