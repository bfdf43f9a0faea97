"""The fixed words of the interface contract (shared/spec/interfaces.md): statuses, export formats.

Kept apart from the modules that use them so that the command line can offer them as choices
without importing the store, spaCy or openpyxl: `tracker --help` stays fast.
"""

STATUSES = ("done", "partial", "missing", "unverifiable")
FORMATS = ("csv", "jsonl", "xlsx")
CSV_ENCODINGS = ("utf-8-sig", "utf-8")
