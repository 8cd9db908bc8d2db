"""The monitoring tables as rows, and their CSV and XLSX exports. The page, the exports and the
API read the same KimRow objects, so they carry the same numbers."""
import csv
import io

from ..vocabulary import ADINDA, ADINDA_LABELS, CHANNEL_LABELS, CHANNELS
from .labels import MEASURE_LABELS


# (key, label) of every column of the KIM table, in order
def kim_columns():
    cols = [("slug", "Slug"), ("name", "KIM"), ("kecamatan", "Kecamatan")]
    cols += [(k, str(MEASURE_LABELS[k])) for k in ("members_active", "posts", "reads", "shares_sent",
                                                   "shares_received", "passed_on", "declined", "pass_on_rate",
                                                   "seen_median_hours", "checks", "flags")]
    cols += [("disseminations.total", str(MEASURE_LABELS["disseminations"]))]
    cols += [(f"disseminations.{c}", f"{MEASURE_LABELS['disseminations']}: {CHANNEL_LABELS[c]}") for c in CHANNELS]
    cols += [("audience", str(MEASURE_LABELS["audience"]))]
    cols += [(f"adinda.{a}", str(ADINDA_LABELS[a])) for a in ADINDA]
    cols += [(f"aspirations.{k}", str(MEASURE_LABELS[f"aspirations_{k}"])) for k in ("received", "in_time", "late")]
    cols += [("last_activity_at", str(MEASURE_LABELS["last_activity_at"])), ("quiet", str(MEASURE_LABELS["quiet"]))]
    return cols


def row_values(row, columns):
    data = row.as_json()
    out = []
    for key, _label in columns:
        if "." in key:
            group, name = key.split(".", 1)
            out.append(data[group][name])
        else:
            out.append(data[key])
    return out


def kim_table_rows(rows):
    columns = kim_columns()
    return columns, [row_values(r, columns) for r in rows]


def to_csv(header, rows):
    """CSV with a header row, UTF-8 with a BOM so that spreadsheet programs read it right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else ("1" if v is True else "0" if v is False else v) for v in row])
    return "\ufeff" + out.getvalue()


def to_xlsx(sheets):
    """An XLSX workbook of [(sheet name, header, rows)]."""
    import xlsxwriter
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#e6f4ec"})
    for name, header, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
        sheet.freeze_panes(1, 2)
        sheet.set_column(0, len(header) - 1, 14)
    book.close()
    return out.getvalue()
