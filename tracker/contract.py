"""The fixed words of the interface contract (shared/spec/interfaces.md): statuses, reasons, formats.

Kept apart from the modules that use them so that the command line can offer them as choices
without importing the store, spaCy or openpyxl: `tracker --help` stays fast.
"""

STATUSES = ("done", "partial", "missing", "unverifiable")
FORMATS = ("csv", "jsonl", "xlsx")
CSV_ENCODINGS = ("utf-8-sig", "utf-8")
# The reason codes of the export contract that go with each status ("done" has none).
REASONS = {
    "done": (),
    "partial": ("quantity_short", "items_short", "level_short", "bound_missed"),
    "missing": ("not_mentioned", "reported_not_done"),
    "unverifiable": ("vague", "no_followup", "not_yet_due"),
}
# Every reason code of the export, in words: the report's verdict cells and the XLSX legend.
REASON_MEANINGS = {
    "quantity_short": "quantity below target",
    "items_short": "not every named item reported",
    "level_short": "reported below the promised level",
    "bound_missed": "upper bound exceeded",
    "not_mentioned": "not mentioned",
    "reported_not_done": "reported as not started, delayed or postponed",
    "vague": "not checkable (no name, number, deadline or deliverable)",
    "no_followup": "no follow-up report yet",
    "not_yet_due": "planned period not over yet",
}
# The flag of a verdict whose plan pairs with no summary because its place is unknown or ambiguous.
UNPLACED = "unplaced"
