"""briefing-site: structured YAML news briefings to a searchable static site."""

__version__ = "0.1.0"
