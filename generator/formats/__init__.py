"""The site's files other than pages: feeds, the JSON API, the STIX bundle, redirects.
Model in, files out; they share nothing with the page renderers but `addresses`."""
