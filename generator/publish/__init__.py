"""Putting the generated files on disk and turning them into a site: the only writer, MkDocs
(or Zensical), the search index and the Markdown safety extension."""

# The site builders `build --builder` and `serve --builder` offer; the first is the default.
BUILDERS = ("mkdocs", "zensical")
