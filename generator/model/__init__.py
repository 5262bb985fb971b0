"""The checked corpus: references resolved, appearances, timelines, relations, related
briefings and relation graphs, built once and read by every renderer and format."""
