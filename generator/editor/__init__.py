"""Editors' and reviewers' tools: report formats, `new` skeletons, the JSON Schema and the
data `diff` between git revisions."""
