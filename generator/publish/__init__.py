"""Putting the generated files on disk and turning them into a site: the only writer, MkDocs,
the search index and the Markdown safety extension."""
