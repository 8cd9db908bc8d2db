"""Fill a catalog's empty Indonesian entries from a dict file: python tools/translate.py DICT.py

A helper for translators; the .po file stays the source of truth.
"""
import runpy
import sys

from babel.messages.pofile import read_po, write_po

PO = "hub/translations/id/LC_MESSAGES/messages.po"

table = runpy.run_path(sys.argv[1])["ID"]
with open(PO, "rb") as fh:
    catalog = read_po(fh, locale="id")
missing = []
for message in catalog:
    if not message.id:
        continue
    if message.fuzzy:  # a guess by `pybabel update`: translate it again
        message.flags.discard("fuzzy")
        message.string = ""
    if message.string and (not isinstance(message.string, tuple) or all(message.string)):
        continue
    found = table.get(message.id)
    if found is None:
        missing.append(message.id)
    else:
        message.string = found
catalog.fuzzy = False
catalog.header_comment = "# Indonesian translations for Jejaring KIM (the interface's default language)."
with open(PO, "wb") as fh:
    write_po(fh, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
print(f"{len(missing)} untranslated:", *missing, sep="\n  ")
