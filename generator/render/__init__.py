"""Pure renderers: model objects in, Markdown text out. One module per page kind."""
