"""Developer tools outside the runtime package (the Pagefind installer, lock and lint scripts)."""
