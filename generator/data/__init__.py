"""The data stage: finding the files (sources), reading them (load), their declared shape
(schema, dates, characters) and checking them (check)."""
